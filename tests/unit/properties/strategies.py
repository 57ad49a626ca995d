"""Generated tickets, staff and moves, shared by the property tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from ticketing.domain import lifecycle as lc
from ticketing.domain.access import ApiRole
from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.tickets import Channel, Kind, NewTicket, QuestionType, RequesterRole, Status, Ticket

CAL = WorkCalendar()
START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
REGIONS = ("Республика Татарстан", "Свердловская область", "г. Москва")

ACTORS = (
    lc.Actor("Ольга (линия 1)", ApiRole.LINE1),
    lc.Actor("Пётр (линия 1)", ApiRole.LINE1),
    lc.Actor("РОИВ", ApiRole.LINE2),
    lc.Actor("Разработчики", ApiRole.LINE3),
    lc.Actor("admin", ApiRole.ADMIN),
    lc.Actor("screening", ApiRole.SERVICE),
)


@st.composite
def tickets(draw: st.DrawFn, number: int = 1) -> Ticket:
    """A registered ticket as a channel hands it over: on line 1, or line 2 for a mentor's question (§5.8)."""
    new = NewTicket(
        channel=draw(st.sampled_from(Channel)),
        kind=draw(st.sampled_from(Kind)),
        question_type=draw(st.none() | st.sampled_from(QuestionType)),
        region=draw(st.none() | st.sampled_from(REGIONS)),
        role=draw(st.none() | st.sampled_from(RequesterRole)),
        login=None,
        email="i@example.ru",
        subject="Тема",
        description="Не загружается тест",
    )
    ticket = Ticket.register(new, now=START, due_at=START + timedelta(days=5), actor="bot")
    ticket.number = f"БВБ-{number:06d}"
    return ticket


Move = Callable[[Ticket, lc.Actor, datetime], object]
comments = st.sampled_from([None, "", "   ", "Проверили, ответ готов"])
texts = st.sampled_from([None, "", "Здравствуйте! Ответ на ваш вопрос."])


@dataclass(frozen=True)
class Step:
    """One move by one actor, printable when hypothesis shows the failing sequence."""

    name: str
    actor: lc.Actor
    apply: Move

    def __repr__(self) -> str:
        return f"{self.name} by {self.actor.role.value}"


def _solved_ticket() -> Ticket:
    done = Ticket.register(
        NewTicket(Channel.CHAT, Kind.INFO_REQUEST, None, None, None, None, None, "Тема", "Раньше"),
        now=START,
        due_at=START,
        actor="bot",
    )
    done.number = "БВБ-000099"
    done.status = Status.CLOSED
    return done


SOLVED = _solved_ticket()


@st.composite
def steps(draw: st.DrawFn) -> Step:
    actor = draw(st.sampled_from(ACTORS))
    kind = draw(
        st.sampled_from(["claim", "transfer", "return", "answer", "close", "leave", "reopen", "message", "back_to_bot"])
    )
    comment = draw(comments)
    text = draw(texts)
    move: Move
    if kind == "claim":
        move = lambda t, a, now: lc.claim(t, a, now)  # noqa: E731
    elif kind == "transfer":
        to_line = draw(st.integers(1, 3))
        move = lambda t, a, now: lc.transfer(t, a, now, to_line=to_line, comment=comment, calendar=CAL)  # noqa: E731
    elif kind == "return":
        move = lambda t, a, now: lc.return_to_line1(t, a, now, comment=comment)  # noqa: E731
    elif kind == "answer":
        ids = draw(st.none() | st.lists(st.integers(1, 4), max_size=3))
        move = lambda t, a, now: lc.answer(t, a, now, text=text, question_ids=ids)  # noqa: E731
    elif kind == "close":
        move = lambda t, a, now: lc.close(t, a, now, comment=comment)  # noqa: E731
    elif kind == "leave":
        reason = draw(st.sampled_from([*(r.value for r in lc.LeaveReason), None, "bogus"]))
        repeat_of = draw(st.sampled_from([None, SOLVED]))
        move = lambda t, a, now: lc.leave_without_answer(  # noqa: E731
            t, a, now, reason=reason, comment=comment, repeat_of=repeat_of
        )
    elif kind == "reopen":
        move = lambda t, a, now: lc.reopen(t, a, now, comment=comment)  # noqa: E731
    elif kind == "message":
        move = lambda t, a, now: lc.requester_message(t, a, now, text=text)  # noqa: E731
    else:
        move = lambda t, a, now: lc.back_to_bot(t, a, now)  # noqa: E731
    return Step(kind, actor, move)
