"""No sequence of moves, by anybody, reaches a state the procedure has no name for (§4.4–4.9, §5, §6)."""

from __future__ import annotations

import copy
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from procedure import statuses
from tests.unit.properties.strategies import START, Step, steps, tickets
from tests.unit.test_lifecycle import new_ticket
from ticketing.domain import lifecycle as lc
from ticketing.domain.access import ApiRole
from ticketing.domain.tickets import FIRST_LINE, QuestionType, RequesterRole, Status, Ticket


def problems(ticket: Ticket) -> list[str]:
    """What is wrong with a ticket's state, in words; empty when it is a state the procedure names."""
    found = []
    waiting = {2: Status.WAITING_LINE2, 3: Status.WAITING_LINE3}
    if ticket.line not in (1, 2, 3):
        found.append(f"линия {ticket.line}")
    if ticket.line != FIRST_LINE and ticket.status is not waiting[ticket.line]:
        found.append(f"на линии {ticket.line} в статусе {ticket.status.value}")  # finished tickets are line 1's
    if ticket.status in waiting.values() and ticket.line != 2 + (ticket.status is Status.WAITING_LINE3):
        found.append(f"{ticket.status.value} на линии {ticket.line}")
    if ticket.line != FIRST_LINE and ticket.line not in ticket.handed_to:
        found.append("у линии, которой не передавали")
    if ticket.line == 2 and not ticket.region:
        found.append("у регионального оператора без региона")
    if 3 in ticket.handed_to and ticket.line3_due_at is None:
        found.append("передано на линию 3 без её срока")
    finished = ticket.status.value in statuses.FINISHED
    if finished != (ticket.resolved_at is not None):
        found.append(f"{ticket.status.value} и resolved_at={ticket.resolved_at}")
    if ticket.status in (Status.CLOSED, Status.LEFT_WITHOUT_ANSWER) and ticket.assignee is not None:
        found.append(f"{ticket.status.value}, но в работе у {ticket.assignee}")
    if ticket.status.value in statuses.ANSWERED and any(q.answered_at is None for q in ticket.questions):
        found.append(f"{ticket.status.value} с неотвеченным вопросом")
    if ticket.status is Status.ANSWERED and ticket.first_answered_at is None:
        found.append("отвечено без первого ответа")
    if ticket.status is Status.IN_PROGRESS and ticket.owner is None:
        found.append("в работе без ответственного на линии 1")
    if (ticket.status is Status.LEFT_WITHOUT_ANSWER) != (ticket.resolution_reason is not None):
        found.append(f"{ticket.status.value} и причина {ticket.resolution_reason}")
    if [q.id for q in ticket.questions] != list(range(1, len(ticket.questions) + 1)):
        found.append("номера вопросов не по порядку")
    return found


@settings(max_examples=300)
@given(tickets(), st.lists(steps(), max_size=25))
def test_no_sequence_of_moves_reaches_an_illegal_state(ticket: Ticket, moves: list[Step]) -> None:
    assert problems(ticket) == []
    now = START
    for step in moves:
        now += timedelta(minutes=7)
        before = copy.deepcopy(ticket)
        try:
            step.apply(ticket, step.actor, now)
        except lc.IllegalTransition:
            # A refused move changes nothing: no half-done transfer, no history entry.
            assert ticket == before, f"{step} отказано, но обращение изменилось"
            continue
        assert ticket.events[: len(before.events)] == before.events, f"{step}: история переписана"
        assert len(ticket.events) > len(before.events), f"{step}: нет записи в истории"
        assert problems(ticket) == [], f"после {step}: {problems(ticket)}"


@settings(max_examples=200)
@given(tickets(), st.lists(steps(), max_size=25))
def test_other_lines_only_take_and_return_what_is_on_their_line(ticket: Ticket, moves: list[Step]) -> None:
    """Lines 2 and 3 claim and hand back (§4.5, §4.6); answering, closing and leaving are line 1's (§5.3)."""
    now = START
    for step in moves:
        now += timedelta(minutes=7)
        line_before = ticket.line
        try:
            step.apply(ticket, step.actor, now)
        except lc.IllegalTransition:
            continue
        if step.actor.role.value in ("line2", "line3") and step.name not in ("message", "back_to_bot"):
            assert step.name in ("claim", "return"), f"{step} удалось"
            assert line_before == lc.LINE_OF_ROLE[step.actor.role], f"{step} с линии {line_before}"


def test_screening_a_mentors_question_on_line_2_brings_it_back_to_line_1() -> None:
    """Found by the property above: «left without answer» stayed in the regional operator's queue."""
    ticket = new_ticket(role=RequesterRole.MENTOR, question_type=QuestionType.INFORMATIONAL)
    assert (ticket.line, ticket.status) == (2, Status.WAITING_LINE2)
    lc.leave_without_answer(ticket, lc.Actor("screening", ApiRole.SERVICE), START, reason="threat")
    assert (ticket.line, ticket.status, ticket.assignee) == (1, Status.LEFT_WITHOUT_ANSWER, None)
    assert ticket.handed_to == {2} and ticket.events[-1].data["from_line"] == 2
