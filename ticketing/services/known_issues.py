"""Use cases of the known-issues board (§5.5): post, update, link tickets, answer them all when fixed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from ticketing.domain import lifecycle as lc
from ticketing.domain.access import AccessScope
from ticketing.domain.deliveries import Delivery
from ticketing.domain.known_issues import InvalidIssue, IssueStatus, KnownIssue, best_match, validate
from ticketing.domain.tickets import EventType, Status, Ticket, TicketEvent
from ticketing.services import replies
from ticketing.services.events import EventBus
from ticketing.services.transitions import TicketNotFound, act, act_with
from ticketing.services.unit_of_work import AbstractUnitOfWork, ConcurrentUpdate

UowFactory = Callable[[], AbstractUnitOfWork]


async def list_issues(uow: AbstractUnitOfWork, *, active_only: bool) -> list[tuple[KnownIssue, int]]:
    """Issues with the number of tickets linked to each."""
    async with uow:
        issues = await uow.known_issues.all_issues(active_only=active_only)
        counts = await uow.known_issues.link_counts()
    return [(i, counts.get(i.id or 0, 0)) for i in issues]


async def get_issue(uow: AbstractUnitOfWork, issue_id: int) -> tuple[KnownIssue, list[str]] | None:
    async with uow:
        issue = await uow.known_issues.get(issue_id)
        if issue is None:
            return None
        return issue, await uow.known_issues.linked_numbers(issue_id)


async def post_issue(
    uow: AbstractUnitOfWork,
    *,
    title: str,
    description: str,
    keywords: str,
    status: IssueStatus,
    expected_on: date | None,
    author: str,
    now: datetime,
) -> KnownIssue:
    issue = validate(
        KnownIssue(
            title=title.strip(),
            description=description.strip(),
            keywords=keywords.strip(),
            status=status,
            expected_on=expected_on,
            created_at=now,
            updated_at=now,
            created_by=author,
            fixed_at=now if status is IssueStatus.FIXED else None,
        )
    )
    async with uow:
        stored = await uow.known_issues.add(issue)
        await uow.commit()
    return stored


@dataclass
class Outcome:
    """What a bulk action did to each linked ticket; ``skipped`` maps a number to the reason."""

    done: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)


async def update_issue(
    uow_factory: UowFactory,
    issue_id: int,
    *,
    title: str,
    description: str,
    keywords: str,
    status: IssueStatus,
    expected_on: date | None,
    actor: lc.Actor,
    scope: AccessScope,
    now: datetime,
    bus: EventBus | None = None,
) -> tuple[KnownIssue, Outcome] | None:
    """Change an issue; marking it fixed hands the linked tickets waiting on line 3 back to line 1.

    Line 1 then answers them all at once (:func:`answer_linked`). ``None`` when there is no such issue.
    """
    async with uow_factory() as uow:
        issue = await uow.known_issues.get(issue_id)
        if issue is None:
            return None
        becomes_fixed = status is IssueStatus.FIXED and issue.status is not IssueStatus.FIXED
        changed = validate(
            replace(
                issue,
                title=title.strip(),
                description=description.strip(),
                keywords=keywords.strip(),
                status=status,
                expected_on=expected_on,
                updated_at=now,
                fixed_at=(now if becomes_fixed else issue.fixed_at) if status is IssueStatus.FIXED else None,
            )
        )
        await uow.known_issues.save(changed)
        numbers = await uow.known_issues.linked_numbers(issue_id)
        await uow.commit()
    outcome = Outcome()
    if becomes_fixed:
        comment = f"Известная проблема «{changed.title}» исправлена (п. 5.5). Можно отвечать заявителю."
        for number in numbers:
            try:
                await act(
                    uow_factory(),
                    number,
                    scope,
                    lambda t: _return_if_on_line3(t, actor, now, comment),
                    bus=bus,
                )
                outcome.done.append(number)
            except (TicketNotFound, lc.IllegalTransition, ConcurrentUpdate) as exc:
                outcome.skipped[number] = str(exc) or "не найдено"
    return changed, outcome


def _return_if_on_line3(ticket: Ticket, actor: lc.Actor, now: datetime, comment: str) -> None:
    if ticket.status is not Status.WAITING_LINE3:
        raise lc.IllegalTransition("не ждёт третью линию")
    lc.return_to_line1(ticket, actor, now, comment=comment)


async def link_ticket(
    uow: AbstractUnitOfWork,
    number: str,
    scope: AccessScope,
    actor: lc.Actor,
    issue_id: int,
    *,
    now: datetime,
    bus: EventBus | None = None,
) -> Ticket:
    """Link a ticket to an issue and note it in the ticket's history.

    Raises:
        TicketNotFound: the ticket is not visible to the caller.
        IllegalTransition: no such issue, or the ticket is linked already.
    """

    async def change(tx: AbstractUnitOfWork, ticket: Ticket) -> None:
        issue = await tx.known_issues.get(issue_id)
        if issue is None:
            raise lc.IllegalTransition("Такой известной проблемы нет: обновите страницу.")
        if not await tx.known_issues.link(issue_id, number, at=now, by=actor.name):
            raise lc.IllegalTransition(f"Обращение уже связано с проблемой «{issue.title}».")
        # Known issues are line 3's (§5.5): a linked ticket is in its hands too, so line 3 sees it
        # (domain.access) and its «решено» answers it; the ticket stays on its own line meanwhile.
        ticket.handed_to.add(3)
        ticket.events.append(
            TicketEvent(
                type=EventType.KNOWN_ISSUE_LINKED,
                at=now,
                actor=actor.name,
                line=actor.line,
                data={"issue_id": issue_id, "title": issue.title},
            )
        )
        ticket.updated_at = now

    ticket, _ = await act_with(uow, number, scope, change, bus=bus)
    return ticket


async def answer_linked(
    uow_factory: UowFactory,
    issue_id: int,
    *,
    scope: AccessScope,
    actor: lc.Actor,
    text: str,
    now: datetime,
    bus: EventBus | None = None,
) -> Outcome:
    """Send one reply to every linked requester through the normal answer path (§6.3).

    Tickets that cannot be answered now (already answered, still with another line, outside
    the caller's regions) are skipped with the reason; the rest each get their own delivery.
    """
    issue = await get_issue(uow_factory(), issue_id)
    if issue is None:
        raise InvalidIssue("Такой известной проблемы нет.")
    if not text.strip():
        raise InvalidIssue("Напишите текст ответа заявителям.")
    return await _answer_each(
        uow_factory,
        issue[1],
        scope,
        lambda ticket: lc.answer(ticket, actor, now, text=text),
        text=text,
        now=now,
        bus=bus,
    )


async def resolve(
    uow_factory: UowFactory,
    issue_id: int,
    *,
    text: str,
    actor: lc.Actor,
    scope: AccessScope,
    now: datetime,
    bus: EventBus | None = None,
) -> tuple[KnownIssue, Outcome] | None:
    """Line 3 marks the issue fixed and answers every linked requester with ``text`` (§5.5, §6.3).

    The API's one-step version of the console's two (mark fixed, then line 1 answers all): the
    tickets waiting for line 3 come back to line 1 and are answered at once, each by its own
    channel; those that cannot be answered now are skipped with the reason. ``None``: no such issue.

    Raises:
        InvalidIssue: the text is empty.
    """
    if not text.strip():
        raise InvalidIssue("Напишите текст ответа заявителям: что исправлено и что сделать теперь.")
    async with uow_factory() as uow:
        issue = await uow.known_issues.get(issue_id)
    if issue is None:
        return None
    updated = await update_issue(
        uow_factory,
        issue_id,
        title=issue.title,
        description=issue.description,
        keywords=issue.keywords,
        status=IssueStatus.FIXED,
        expected_on=issue.expected_on,
        actor=actor,
        scope=scope,
        now=now,
        bus=bus,
    )
    if updated is None:  # pragma: no cover - deleted in between; there is no deletion today
        return None
    fixed, _ = updated
    async with uow_factory() as uow:
        numbers = await uow.known_issues.linked_numbers(issue_id)
    outcome = await _answer_each(
        uow_factory,
        numbers,
        scope,
        lambda ticket: lc.answer_fixed_issue(ticket, actor, now, text=text, issue_id=issue_id),
        text=text,
        now=now,
        bus=bus,
    )
    return fixed, outcome


async def _answer_each(
    uow_factory: UowFactory,
    numbers: list[str],
    scope: AccessScope,
    record: Callable[[Ticket], object],
    *,
    text: str,
    now: datetime,
    bus: EventBus | None,
) -> Outcome:
    outcome = Outcome()
    for number in numbers:
        try:
            _, delivery = await replies.reply_by(uow_factory(), number, scope, record, text=text, now=now, bus=bus)
        except TicketNotFound:
            outcome.skipped[number] = "не найдено или вне ваших регионов"
        except (lc.IllegalTransition, ConcurrentUpdate) as exc:
            outcome.skipped[number] = str(exc)
        else:
            outcome.done.append(number)
            outcome.deliveries.append(delivery)
    return outcome


async def link_new_ticket(
    uow: AbstractUnitOfWork, number: str, issue_id: int, *, actor: lc.Actor, now: datetime, bus: EventBus | None = None
) -> bool:
    """Link a ticket the bot opened to the issue it told the pupil about (§5.5), if that issue is still active.

    A fixed issue is not linked to any more: its «ответить всем» has gone, and line 1 answers the
    new ticket as usual. A replay (the same ticket again) finds the link already made.

    Returns:
        whether the ticket is linked to the issue now.
    """
    async with uow:
        issue = await uow.known_issues.get(issue_id)
        if issue is None or not issue.active:
            return False
        if number in await uow.known_issues.linked_numbers(issue_id):
            return True
    try:
        await link_ticket(uow, number, AccessScope(role=actor.role), actor, issue_id, now=now, bus=bus)
    except lc.IllegalTransition:  # linked concurrently by a replay
        return True
    return True


async def match(uow: AbstractUnitOfWork, text: str) -> KnownIssue | None:
    """The active issue a user's text most likely speaks about, for the bot (§5.5)."""
    async with uow:
        issues = await uow.known_issues.all_issues(active_only=True)
    return best_match(issues, text)
