"""Transitions between lines and states, with their messages (§4.4–4.9, §5.1–5.8, §6.3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ticketing.domain import lifecycle as lc
from ticketing.domain.access import ApiRole
from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.tickets import Channel, Kind, NewTicket, QuestionType, RequesterRole, Status, Ticket

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
CAL = WorkCalendar()
L1 = lc.Actor("Ольга (линия 1)", ApiRole.LINE1)
L1B = lc.Actor("Пётр (линия 1)", ApiRole.LINE1)
L2 = lc.Actor("РОИВ Татарстан", ApiRole.LINE2)
L3 = lc.Actor("Разработчики", ApiRole.LINE3)
ADMIN = lc.Actor("admin", ApiRole.ADMIN)
BOT = lc.Actor("bot", ApiRole.SERVICE)


def new_ticket(**overrides: object) -> Ticket:
    fields: dict[str, object] = dict(
        channel=Channel.CHAT,
        kind=Kind.INFO_REQUEST,
        question_type=QuestionType.TECHNICAL,
        region="Республика Татарстан",
        role=RequesterRole.PARTICIPANT,
        login="ivanov",
        email="i@example.ru",
        subject="Тест",
        description="Не загружается тест",
    )
    fields.update(overrides)
    ticket = Ticket.register(NewTicket(**fields), now=NOW, due_at=NOW + timedelta(days=5), actor="bot")  # type: ignore[arg-type]
    ticket.number = "БВБ-000001"
    return ticket


def test_new_requests_land_on_line_1() -> None:
    ticket = new_ticket()
    assert (ticket.line, ticket.status) == (1, Status.NEW)
    assert [q.text for q in ticket.questions] == ["Не загружается тест"]


@pytest.mark.parametrize("role", [RequesterRole.MENTOR, RequesterRole.VENUE])
def test_organisational_questions_of_mentors_and_venues_go_to_line_2(role: RequesterRole) -> None:
    ticket = new_ticket(role=role, question_type=QuestionType.INFORMATIONAL)
    assert (ticket.line, ticket.status) == (2, Status.WAITING_LINE2)


def test_technical_question_of_a_mentor_stays_on_line_1() -> None:
    assert new_ticket(role=RequesterRole.MENTOR).line == 1


def test_full_path_line1_line3_back_and_answered() -> None:
    ticket = new_ticket(instructions_tried=("test_not_loading",))
    lc.claim(ticket, L1, NOW)
    assert (ticket.status, ticket.assignee, ticket.owner) == (Status.IN_PROGRESS, L1.name, L1.name)
    due = ticket.due_at
    lc.transfer(ticket, L1, NOW, to_line=3, comment="Инструкция не помогла", calendar=CAL)
    assert (ticket.line, ticket.status, ticket.assignee) == (3, Status.WAITING_LINE3, None)
    assert ticket.line3_due_at == NOW + timedelta(hours=24)
    assert ticket.due_at == due  # the requester's deadline never moves
    assert ticket.events[-1].data["instructions_tried"] == ["test_not_loading"]
    lc.claim(ticket, L3, NOW)
    assert ticket.status is Status.WAITING_LINE3 and ticket.assignee == L3.name
    lc.return_to_line1(ticket, L3, NOW, comment="Исправили кэш, пусть обновит страницу")
    assert (ticket.line, ticket.status, ticket.assignee) == (1, Status.IN_PROGRESS, L1.name)
    lc.answer(ticket, L1, NOW, text="Обновите страницу, пожалуйста")
    assert ticket.status is Status.ANSWERED and ticket.first_answered_at == NOW
    lc.close(ticket, L1, NOW)
    assert ticket.status is Status.CLOSED
    assert [e.type for e in ticket.events] == [
        "created",
        "claimed",
        "transferred",
        "claimed",
        "returned",
        "answered",
        "closed",
    ]


def test_every_transfer_needs_a_comment() -> None:
    ticket = new_ticket()
    with pytest.raises(lc.IllegalTransition, match="нужен комментарий"):
        lc.transfer(ticket, L1, NOW, to_line=2, comment="  ", calendar=CAL)


def test_transfer_to_line_2_needs_a_region() -> None:
    ticket = new_ticket(channel=Channel.PROJECT_EMAIL, region=None)
    with pytest.raises(lc.IllegalTransition, match="регион"):
        lc.transfer(ticket, L1, NOW, to_line=2, comment="орг. вопрос", calendar=CAL)


def test_only_line_1_transfers_and_answers() -> None:
    ticket = new_ticket()
    for actor in (L2, L3, BOT):
        with pytest.raises(lc.IllegalTransition, match="первая линия"):
            lc.transfer(ticket, actor, NOW, to_line=3, comment="x", calendar=CAL)
        with pytest.raises(lc.IllegalTransition, match="первая линия"):
            lc.answer(ticket, actor, NOW, text="x")


def test_cannot_answer_while_another_line_has_it() -> None:
    ticket = new_ticket()
    lc.transfer(ticket, L1, NOW, to_line=2, comment="Вопрос об организации в регионе", calendar=CAL)
    with pytest.raises(lc.IllegalTransition, match="Дождитесь ответа"):
        lc.answer(ticket, L1, NOW, text="ответ")
    with pytest.raises(lc.IllegalTransition, match="другой линии"):
        lc.claim(ticket, L3, NOW)
    with pytest.raises(lc.IllegalTransition, match="та линия"):
        lc.return_to_line1(ticket, L3, NOW, comment="не наше")


def test_a_claimed_ticket_is_not_taken_silently() -> None:
    ticket = new_ticket()
    lc.claim(ticket, L1, NOW)
    with pytest.raises(lc.IllegalTransition, match="уже в работе у «Ольга"):
        lc.claim(ticket, L1B, NOW)
    with pytest.raises(lc.IllegalTransition, match="уже у вас"):
        lc.claim(ticket, L1, NOW)
    lc.claim(ticket, ADMIN, NOW)  # an admin may reassign
    assert ticket.assignee == "admin"


def test_several_questions_answered_only_when_all_are() -> None:
    ticket = new_ticket()
    lc.answer(ticket, L1, NOW, text="Ответ на первый")
    assert ticket.status is Status.ANSWERED
    assert lc.requester_message(ticket, BOT, NOW, text="А где сертификат?")
    assert ticket.status is Status.IN_PROGRESS and len(ticket.questions) == 2
    with pytest.raises(lc.IllegalTransition, match="Закрыть можно только отвеченное"):
        lc.close(ticket, L1, NOW)
    with pytest.raises(lc.IllegalTransition, match="нет вопросов с номерами 7"):
        lc.answer(ticket, L1, NOW, text="x", question_ids=[7])
    lc.answer(ticket, L1, NOW, text="Сертификат в личном кабинете", question_ids=[2])
    assert ticket.status is Status.ANSWERED
    with pytest.raises(lc.IllegalTransition, match="статус обращения — «дан ответ»"):
        lc.answer(ticket, L1, NOW, text="ещё")


def test_empty_answer_is_refused() -> None:
    with pytest.raises(lc.IllegalTransition, match="Ответ пустой"):
        lc.answer(new_ticket(), L1, NOW, text=" ")


@pytest.mark.parametrize("reason", [r.value for r in lc.LeaveReason if r is not lc.LeaveReason.REPEAT])
def test_every_reason_code_leaves_without_answer(reason: str) -> None:
    ticket = new_ticket()
    lc.leave_without_answer(ticket, L1, NOW, reason=reason)
    assert ticket.status is Status.LEFT_WITHOUT_ANSWER and ticket.resolution_reason == reason
    assert ticket.events[-1].data["reason"] == reason


def test_reason_is_required_and_listed() -> None:
    with pytest.raises(lc.IllegalTransition, match="foreign_language — на иностранном языке"):
        lc.leave_without_answer(new_ticket(), L1, NOW, reason="boring")


def test_repeat_links_the_earlier_solved_ticket() -> None:
    earlier = new_ticket()
    earlier.number = "БВБ-000001"
    ticket = new_ticket()
    ticket.number = "БВБ-000002"
    with pytest.raises(lc.IllegalTransition, match="номер прежнего"):
        lc.leave_without_answer(ticket, L1, NOW, reason="repeat")
    with pytest.raises(lc.IllegalTransition, match="ещё не решено"):
        lc.leave_without_answer(ticket, L1, NOW, reason="repeat", repeat_of=earlier)
    lc.answer(earlier, L1, NOW, text="ответ")
    lc.leave_without_answer(ticket, L1, NOW, reason="repeat", repeat_of=earlier)
    assert ticket.repeat_of == "БВБ-000001"


def test_requester_reply_reopens_answered_but_not_threats() -> None:
    answered = new_ticket()
    lc.answer(answered, L1, NOW, text="ответ")
    lc.close(answered, L1, NOW)
    assert lc.requester_message(answered, BOT, NOW, text="Не помогло")
    assert answered.status is Status.IN_PROGRESS and answered.line == 1

    threat = new_ticket()
    lc.leave_without_answer(threat, BOT, NOW, reason="threat")
    assert not lc.requester_message(threat, BOT, NOW, text="ещё текст")
    assert threat.status is Status.LEFT_WITHOUT_ANSWER
    assert threat.transcript[-1].text == "ещё текст"  # kept, never lost

    empty = new_ticket()
    lc.leave_without_answer(empty, L1, NOW, reason="no_question")
    assert lc.requester_message(empty, BOT, NOW, text="Как записаться на профпробу?")
    assert empty.status is Status.NEW


def test_staff_reopen_needs_a_comment_and_a_resolved_ticket() -> None:
    ticket = new_ticket()
    with pytest.raises(lc.IllegalTransition, match="и так открыто"):
        lc.reopen(ticket, L1, NOW, comment="x")
    lc.leave_without_answer(ticket, L1, NOW, reason="misdirected")
    with pytest.raises(lc.IllegalTransition, match="нужен комментарий"):
        lc.reopen(ticket, L1, NOW, comment=None)
    lc.reopen(ticket, L1, NOW, comment="ошиблись с причиной")
    assert ticket.status is Status.NEW and ticket.resolution_reason is None
