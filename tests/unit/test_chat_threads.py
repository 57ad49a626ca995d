"""Who the pupil writes to in the chat: the bot, or the specialist who answered (domain/chat_threads.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.test_lifecycle import BOT, L1, L3, NOW, new_ticket
from ticketing.domain import lifecycle as lc
from ticketing.domain.chat_threads import is_back_to_bot, specialist_thread


@pytest.mark.parametrize(
    "typed", ["Вернуться к боту", "вернуться к боту!", "  Назад к боту ", "к боту", "Вернуться к чат-боту", "бот"]
)
def test_ways_to_say_back_to_the_bot(typed: str) -> None:
    assert is_back_to_bot(typed)


@pytest.mark.parametrize(
    "typed", ["бот не помог, письма нет", "а бот сказал другое", "вернуться к тесту", "хочу вернуться на платформу"]
)
def test_a_message_that_only_mentions_the_bot_is_for_the_specialist(typed: str) -> None:
    assert not is_back_to_bot(typed)


def test_no_answer_no_thread_then_the_answer_opens_it() -> None:
    ticket = new_ticket()
    assert specialist_thread([ticket]) is None
    lc.answer(ticket, L1, NOW, text="Напишите сюда, если письмо не придёт.")
    assert specialist_thread([ticket]) is ticket
    lc.requester_message(ticket, BOT, NOW + timedelta(minutes=1), text="не пришло")
    assert specialist_thread([ticket]) is ticket  # reopened, still the same conversation with the specialist


def test_back_to_bot_closes_it_until_the_next_answer() -> None:
    ticket = new_ticket()
    lc.answer(ticket, L1, NOW, text="Ответ")
    lc.back_to_bot(ticket, BOT, NOW)  # the same moment: the later entry wins
    assert specialist_thread([ticket]) is None
    lc.reopen(ticket, L1, NOW + timedelta(minutes=5), comment="уточнить")
    lc.answer(ticket, L1, NOW + timedelta(minutes=6), text="Ещё ответ", question_ids=[1])
    assert specialist_thread([ticket]) is ticket


def test_the_latest_answer_of_the_conversation_wins_and_a_left_ticket_takes_no_replies() -> None:
    older, newer = new_ticket(), new_ticket()
    newer.number = "БВБ-000002"
    lc.answer(older, L1, NOW, text="Первый ответ")
    lc.answer(newer, L1, NOW + timedelta(hours=1), text="Второй ответ")
    assert specialist_thread([older, newer]) is newer
    lc.reopen(newer, L1, NOW + timedelta(hours=2), comment="ошибка")
    lc.leave_without_answer(newer, L1, NOW + timedelta(hours=2), reason="misdirected")
    assert specialist_thread([older, newer]) is None


def test_line3_answers_a_fixed_issue_but_not_over_another_line() -> None:
    ticket = new_ticket()
    with pytest.raises(lc.IllegalTransition, match="техподдержка платформы"):
        lc.answer_fixed_issue(ticket, L1, NOW, text="Исправлено", issue_id=1)
    lc.answer_fixed_issue(ticket, L3, NOW, text="Исправлено", issue_id=1)
    assert ticket.status.value == "answered" and ticket.owner is None
    assert ticket.events[-1].data["issue_id"] == 1 and ticket.events[-1].line == 3
    with pytest.raises(lc.IllegalTransition, match="Ответить нельзя"):
        lc.answer_fixed_issue(ticket, L3, NOW, text="Ещё раз", issue_id=1)
