"""For generated staff and tickets, no role reads or changes what it must not (§4.5, §4.6, §5.1, §5.7).

The rule (``ticketing.domain.access``): line 1, admins and the bot's service token see every ticket;
line 2 the tickets of its regions that were handed to line 2; line 3 those handed to line 3; once
handed, a ticket stays visible to that line. The services read through it: a ticket outside the
scope is «not found» and stays as it was. ``tests/integration/test_access_properties.py`` holds the
SQL form of the rule to the same cases.
"""

from __future__ import annotations

import asyncio
import copy
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.fakes import FakeState
from tests.unit.properties.strategies import ACTORS, REGIONS, START, Step, steps, tickets
from ticketing.domain import lifecycle as lc
from ticketing.domain.access import AccessScope, ApiRole
from ticketing.domain.tickets import Ticket
from ticketing.services.tickets import get_ticket
from ticketing.services.transitions import TicketNotFound, act
from ticketing.services.unit_of_work import TicketFilter

scopes = st.builds(
    AccessScope,
    role=st.sampled_from(ApiRole),
    regions=st.lists(st.sampled_from(REGIONS), unique=True, max_size=2).map(tuple),
)


@st.composite
def worked_tickets(draw: st.DrawFn, number: int = 1) -> Ticket:
    """A ticket after a random history: transferred, returned, answered… by anybody."""
    ticket = draw(tickets(number))
    now = START
    for step in draw(st.lists(steps(), max_size=8)):
        now += timedelta(minutes=5)
        try:
            step.apply(ticket, step.actor, now)
        except lc.IllegalTransition:
            pass
    return ticket


def procedure_says(scope: AccessScope, ticket: Ticket) -> bool:
    """§4.5, §4.6, §5.7 in so many words, independently of AccessScope's own arithmetic."""
    if scope.role in (ApiRole.LINE1, ApiRole.ADMIN, ApiRole.SERVICE):
        return True
    if scope.role is ApiRole.LINE2:
        return ticket.region in scope.regions and 2 in ticket.handed_to
    return 3 in ticket.handed_to


@settings(max_examples=150)
@given(scopes, worked_tickets())
def test_each_role_sees_what_the_procedure_gives_it(scope: AccessScope, ticket: Ticket) -> None:
    assert scope.can_see(region=ticket.region, handed_to=ticket.handed_to) == procedure_says(scope, ticket)


@settings(max_examples=200)
@given(scopes, tickets(), st.lists(steps(), max_size=20))
def test_a_line_that_saw_a_ticket_keeps_seeing_it(scope: AccessScope, ticket: Ticket, moves: list[Step]) -> None:
    """What a line handled stays visible to it after it goes back (data it worked on is not hidden mid-case)."""
    seen = False
    now = START
    for step in moves:
        now += timedelta(minutes=5)
        try:
            step.apply(ticket, step.actor, now)
        except lc.IllegalTransition:
            pass
        visible = scope.can_see(region=ticket.region, handed_to=ticket.handed_to)
        assert visible or not seen, f"после {step} обращение пропало из видимых"
        seen = visible


@settings(max_examples=80)
@given(
    scopes,
    st.lists(worked_tickets(), min_size=1, max_size=4),
    st.sampled_from(ACTORS),
    steps(),
    st.integers(0, 3),
)
def test_out_of_scope_is_not_found_and_stays_unchanged(
    scope: AccessScope, generated: list[Ticket], actor: lc.Actor, step: Step, pick: int
) -> None:
    state = FakeState()
    for i, ticket in enumerate(generated, start=1):
        ticket.number = f"БВБ-{i:06d}"
        ticket.id = i
        state.tickets[ticket.number] = ticket
    target = generated[pick % len(generated)]
    assert target.number is not None
    before = copy.deepcopy(state.tickets)
    actor = lc.Actor(actor.name, scope.role)  # the caller acts with its own token's role

    async def scenario() -> None:
        visible = procedure_says(scope, target)
        found = await get_ticket(state.uow(), target.number or "", scope)
        assert (found is not None) == visible
        page, total = await _list(state, scope)
        assert {t.number for t in page} == {t.number for t in generated if procedure_says(scope, t)} and total == len(
            page
        )
        try:
            await act(
                state.uow(), target.number or "", scope, lambda t: step.apply(t, actor, START + timedelta(days=1))
            )
        except TicketNotFound:
            assert not visible, "видимое обращение не найдено"
            assert state.tickets == before, "невидимое обращение изменилось"
            return
        except lc.IllegalTransition:
            assert state.tickets == before
            return
        assert visible, f"{step} изменило обращение вне видимости {scope}"
        others = {n: t for n, t in state.tickets.items() if n != target.number}
        assert others == {n: t for n, t in before.items() if n != target.number}, "изменилось чужое обращение"

    asyncio.run(scenario())


async def _list(state: FakeState, scope: AccessScope) -> tuple[list[Ticket], int]:
    async with state.uow() as uow:
        return await uow.tickets.list(TicketFilter(scope=scope), limit=100, offset=0)
