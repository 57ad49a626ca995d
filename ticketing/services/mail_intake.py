"""Letters into tickets (§4.1–4.3, §4.7, §6.1, §6.2): one letter at a time, each exactly once.

Exactly once, even when the worker is killed mid-batch: the letter's IMAP key
(``<mailbox>:<UIDVALIDITY>:<UID>``) is the ticket's idempotency key, so a re-read returns the
ticket created the first time; the stored letter row (unique on that key) is written in the
transaction that finishes the letter; and the worker moves the letter out of the inbox only
after that commit. A crash between any two steps leaves a state the next read completes.

A letter continues its ticket when it refers to one of the ticket's letters (In-Reply-To,
References) or names its number in the subject, and comes from the same sender; otherwise it
opens a new ticket, screened by the same engine as chat. A ticket left without an answer takes
no follow-ups (``lifecycle.takes_follow_ups``): a letter to it opens a new ticket linked to the
old one, since a new request is the way back and a letter on a closed case is one nobody reads.
The same letter twice (one Message-ID from one sender: a redelivery, or one letter to bilet@
with a Cc to info@) is one ticket; the copy is kept and noted on it, and a copy in the Union's
mailbox registers the ticket there too (§4.1.2), so both sides see one request.
Auto-replies and bounces are kept and logged but never open or reopen anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from procedure import request_kinds
from procedure.screening import Verdict
from procedure.text_safety import neutralise
from ticketing.domain import actors
from ticketing.domain import lifecycle as lc
from ticketing.domain.access import ApiRole
from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.deliveries import failed
from ticketing.domain.mail.auto import LetterKind, classify, is_no_reply
from ticketing.domain.mail.letters import Letter, Limits, attachments_ru, parse_letter, size_ru
from ticketing.domain.mail.requester import (
    NameClassifier,
    PersonName,
    find_name,
    is_anonymous,
    is_personal_address,
    missing_fields,
)
from ticketing.domain.mail.threads import bare_subject, strip_quoted, ticket_number_in
from ticketing.domain.tickets import Channel, EventType, Kind, NewTicket, Ticket, TicketEvent
from ticketing.services.events import EventBus
from ticketing.services.mail_ports import IN, OUT, DuplicateLetter, Mailbox, StoredMail
from ticketing.services.registration import register
from ticketing.services.tickets import open_ticket
from ticketing.services.unit_of_work import AbstractUnitOfWork, ConcurrentUpdate

log = logging.getLogger(__name__)

MAIL_CHANNELS = frozenset({Channel.PROJECT_EMAIL, Channel.UNION_EMAIL})
MAX_DESCRIPTION = 20_000
RETRIES = 3


@dataclass(frozen=True)
class MailboxRef:
    """Which mailbox a letter came to: its name (part of the key), ticket channel and own address."""

    name: str
    channel: Channel
    address: str


@dataclass(frozen=True)
class IntakeRules:
    limits: Limits
    incoming_format: str
    personal_addresses: tuple[str, ...] = ()
    own_addresses: tuple[str, ...] = ()  # every address of ours: a letter to one of them is not personal


@dataclass(frozen=True)
class Received:
    """What became of a letter: ``created``, ``continued``, ``auto_reply``, ``bounce`` or ``duplicate``."""

    outcome: str
    ticket_number: str | None
    note: str | None = None


class MailIntake:
    """Turns raw letters into tickets; stateless between letters, safe to call again for the same one."""

    def __init__(
        self,
        uow: Callable[[], AbstractUnitOfWork],
        *,
        screen: Callable[[str], Verdict],
        names: NameClassifier,
        calendar: Callable[[], WorkCalendar],
        clock: Callable[[], datetime],
        rules: IntakeRules,
        bus: EventBus | None = None,
    ) -> None:
        self._uow = uow
        self._screen = screen
        self._names = names
        self._calendar = calendar
        self._clock = clock
        self._rules = rules
        self._bus = bus

    async def receive(self, mailbox: MailboxRef, uid_key: str, raw: bytes) -> Received:
        """Process one letter; a letter already processed (same key) is reported as ``duplicate``."""
        async with self._uow() as uow:
            done = await uow.mail.by_key(uid_key)
        if done is not None:
            return Received("duplicate", done.ticket_number)
        letter = parse_letter(raw, self._rules.limits)
        now = self._clock()
        first = await self._first_copy(letter)
        if first is not None:
            return await self._keep_copy(mailbox, uid_key, letter, first, now)
        kind, sign = classify(letter)
        if kind is not LetterKind.PERSONAL:
            return await self._keep_robot_letter(mailbox, uid_key, letter, kind, sign, now)
        thread = await self._thread_of(letter)
        if thread is None:
            return await self._open(mailbox, uid_key, letter, now)
        assert thread.number is not None
        if lc.takes_follow_ups(thread):
            return await self._continue(mailbox, uid_key, letter, thread.number, now)
        return await self._open(mailbox, uid_key, letter, now, follows=thread.number)

    # --- a new request -------------------------------------------------------------------------

    async def _open(
        self, mailbox: MailboxRef, uid_key: str, letter: Letter, now: datetime, *, follows: str | None = None
    ) -> Received:
        """A new ticket; ``follows`` is the ticket left without an answer that this letter replied to."""
        request = request_of(mailbox, uid_key, letter, follows=follows)
        new, text = request.ticket, request.text
        verdict = self._screen(f"{new.subject}\n{text}")
        actor = actors.mailbox_actor(mailbox.name)
        opened = await open_ticket(self._uow(), new, now=now, calendar=self._calendar(), actor=actor, verdict=verdict)
        assert opened.ticket.number is not None
        person = find_name(letter.from_name, text, self._names)
        for _ in range(RETRIES):
            try:
                async with self._uow() as uow:
                    if await uow.mail.by_key(uid_key) is not None:
                        return Received("duplicate", opened.ticket.number)
                    ticket = await uow.tickets.get_by_number(opened.ticket.number)
                    assert ticket is not None
                    self._note_letter(ticket, letter, actor, now, follows=follows)
                    self._apply_section_6(ticket, mailbox, letter, person, now)
                    if mailbox.channel is Channel.UNION_EMAIL:
                        await self._register(uow, ticket, letter, text, person, actor)
                    earlier = await self._point_to(uow, follows, ticket, actor, now) if follows else None
                    await uow.tickets.save(ticket)
                    await uow.mail.add(_stored(mailbox, uid_key, letter, "letter", ticket.number, now))
                    await uow.commit()
            except ConcurrentUpdate:
                continue
            except DuplicateLetter:
                return Received("duplicate", opened.ticket.number)
            await self._publish(ticket, 0)  # all of it: a replay after a crash has not announced the ticket either
            if earlier is not None:
                await self._publish(earlier, len(earlier.events) - 1)
            log.info("письмо %s → обращение %s (%s)", uid_key, ticket.number, ticket.status.value)
            return Received("created", ticket.number)
        raise ConcurrentUpdate(opened.ticket.number)

    async def _register(
        self, uow: AbstractUnitOfWork, ticket: Ticket, letter: Letter, text: str, person: PersonName | None, actor: str
    ) -> None:
        """§4.1.2: the Union's letter gets its registration card (once per ticket)."""
        await register(
            uow,
            ticket,
            person=person,
            display_name=letter.from_name,
            email=letter.reply_address,
            text=text,
            missing=missing_fields(
                subject=letter.subject, text=text, reply_address=letter.reply_address, person=person
            ),
            incoming_format=self._rules.incoming_format,
            actor=actor,
        )

    async def _point_to(
        self, uow: AbstractUnitOfWork, number: str, new: Ticket, actor: str, now: datetime
    ) -> Ticket | None:
        """The old ticket's history names the new one, so whoever opens either finds the other."""
        earlier = await uow.tickets.get_by_number(number)
        if earlier is None:
            return None
        code = earlier.resolution_reason or ""
        reason = lc.LEAVE_REASON_LABELS_BY_VALUE_RU.get(code, code)
        earlier.events.append(
            TicketEvent(
                type=EventType.FOLLOWED_BY,
                at=now,
                actor=actor,
                data={
                    "new_ticket": new.number,
                    "comment": f"Заявитель ответил на письмо по обращению, оставленному без ответа ({reason}): "
                    f"его письмо открыло новое обращение {new.number}.",
                },
            )
        )
        earlier.updated_at = now
        await uow.tickets.save(earlier)
        return earlier

    def _apply_section_6(
        self, ticket: Ticket, mailbox: MailboxRef, letter: Letter, person: PersonName | None, now: datetime
    ) -> None:
        """§6.2 personal addresses, then §6.1 anonymous letters: left without an answer, with the reason."""
        if ticket.status not in lc.OPEN_STATES:
            return  # screening already left it (§4.7, §4.8)
        actor = lc.Actor(name=actors.mailbox_actor(mailbox.name), role=ApiRole.SERVICE)
        own = (*self._rules.own_addresses, mailbox.address)
        if is_personal_address(letter.recipients, own, self._rules.personal_addresses):
            comment = f"Письмо адресовано на личный адрес сотрудника ({', '.join(letter.recipients)}), п. 6.2."
            lc.leave_without_answer(ticket, actor, now, reason=lc.LeaveReason.PERSONAL_ADDRESS.value, comment=comment)
        elif is_anonymous(letter.reply_address, person):
            why = "адрес не принимает ответы" if letter.reply_address else "нет адреса для ответа"
            if person is None and letter.reply_address:
                why = "ни в имени отправителя, ни в подписи нет фамилии и имени"
            elif person is not None and letter.reply_address and not is_no_reply(letter.reply_address):
                why = f"назван только «{person.full}», а нужны фамилия и имя (ст. 7, 11 59-ФЗ)"
            comment = f"Анонимное обращение (п. 6.1): {why}."
            lc.leave_without_answer(ticket, actor, now, reason=lc.LeaveReason.ANONYMOUS.value, comment=comment)

    def _note_letter(
        self, ticket: Ticket, letter: Letter, actor: str, now: datetime, *, follows: str | None = None
    ) -> None:
        who = f"{letter.from_name} <{letter.from_address}>" if letter.from_name else (letter.from_address or "?")
        comment = f"Письмо от {who}, тема «{letter.subject or '(без темы)'}»."
        if follows:
            comment += (
                f" Это ответ в переписку обращения {follows}, оставленного без ответа: оно не переоткрывается, "
                "письмо стало новым обращением."
            )
        if letter.html_only:
            comment += " Письмо было только в HTML: показан его текст."
        if letter.not_stored:
            comment += (
                " Не сохранены вложения: "
                + "; ".join(f"«{a.filename}» ({size_ru(a.size)}) — {a.reason}" for a in letter.not_stored)
                + "."
            )
        ticket.events.append(
            TicketEvent(
                type=EventType.MAIL_RECEIVED,
                at=now,
                actor=actor,
                data={
                    "message_id": letter.message_id,
                    "from": letter.from_address,
                    "attachments": [a.to_dict() for a in letter.attachments],
                    "comment": comment,
                    **({"follows": follows} if follows else {}),
                },
            )
        )

    # --- the same letter again -----------------------------------------------------------------

    async def _first_copy(self, letter: Letter) -> StoredMail | None:
        """The letter stored before with this Message-ID from this sender (a forged id from another is news)."""
        if not letter.message_id:
            return None
        async with self._uow() as uow:
            first = await uow.mail.first_received(letter.message_id)
        if first is None or first.sender != letter.from_address:
            return None
        return first

    async def _keep_copy(
        self, mailbox: MailboxRef, uid_key: str, letter: Letter, first: StoredMail, now: datetime
    ) -> Received:
        """Store the copy with the first letter's ticket; a copy in the Union's mailbox registers it there."""
        number = first.ticket_number
        actor = actors.mailbox_actor(mailbox.name)
        same_box = first.mailbox == mailbox.name
        for _ in range(RETRIES):
            try:
                async with self._uow() as uow:
                    ticket = await uow.tickets.get_by_number(number) if number else None
                    before = len(ticket.events) if ticket else 0
                    if ticket is not None:
                        if same_box:
                            comment = "Письмо с тем же Message-ID пришло ещё раз; второе обращение не открыто."
                        else:
                            comment = (
                                f"Копия этого письма пришла и в ящик {mailbox.address} (он был в адресатах письма); "
                                "второе обращение не открыто: это одно обращение."
                            )
                        ticket.events.append(
                            TicketEvent(
                                type=EventType.MAIL_COPY,
                                at=now,
                                actor=actor,
                                data={"message_id": letter.message_id, "mailbox": mailbox.name, "comment": comment},
                            )
                        )
                        ticket.updated_at = now
                        if mailbox.channel is Channel.UNION_EMAIL and not same_box:
                            text = neutralise(letter.text).strip()
                            person = find_name(letter.from_name, text, self._names)
                            await self._register(uow, ticket, letter, text, person, actor)
                        await uow.tickets.save(ticket)
                    await uow.mail.add(_stored(mailbox, uid_key, letter, "copy", number, now))
                    await uow.commit()
            except ConcurrentUpdate:
                continue
            except DuplicateLetter:
                return Received("duplicate", number)
            if ticket is not None:
                await self._publish(ticket, before)
            log.info("письмо %s — копия уже полученного письма %s (%s)", uid_key, letter.message_id, number or "—")
            return Received("duplicate", number, "copy")
        raise ConcurrentUpdate(uid_key)

    # --- a follow-up ---------------------------------------------------------------------------

    async def _thread_of(self, letter: Letter) -> Ticket | None:
        """The mail ticket this letter replies to, only if it comes from that ticket's requester."""
        ids = [*letter.in_reply_to, *reversed(letter.references)]
        async with self._uow() as uow:
            found = await uow.mail.tickets_of(ids)
            candidates = [found[i] for i in ids if i in found]
            in_subject = ticket_number_in(letter.subject)
            if in_subject:
                candidates.append(in_subject)
            for number in dict.fromkeys(candidates):
                ticket = await uow.tickets.get_by_number(number)
                if ticket is None or ticket.channel not in MAIL_CHANNELS:
                    continue
                senders = {ticket.email} | {m.sender for m in await uow.mail.thread(number) if m.direction == IN}
                if letter.from_address in senders or letter.reply_address in senders:
                    return ticket
        return None

    async def _continue(
        self, mailbox: MailboxRef, uid_key: str, letter: Letter, number: str, now: datetime
    ) -> Received:
        text = neutralise(strip_quoted(letter.text)) or "(письмо без нового текста)"
        if letter.attachments:
            text += "\n\n" + attachments_ru(letter)
        actor = lc.Actor(name=actors.mailbox_actor(mailbox.name), role=ApiRole.SERVICE)
        for _ in range(RETRIES):
            try:
                async with self._uow() as uow:
                    ticket = await uow.tickets.get_by_number(number)
                    assert ticket is not None
                    before = len(ticket.events)
                    reopened = lc.requester_message(ticket, actor, now, text=text)
                    await uow.tickets.save(ticket)
                    await uow.mail.add(_stored(mailbox, uid_key, letter, "follow_up", number, now))
                    await uow.commit()
            except ConcurrentUpdate:
                continue
            except DuplicateLetter:
                return Received("duplicate", number)
            await self._publish(ticket, before)
            log.info("письмо %s → дополнение к %s%s", uid_key, number, " (переоткрыто)" if reopened else "")
            return Received("continued", number)
        raise ConcurrentUpdate(number)

    # --- auto-replies and bounces --------------------------------------------------------------

    async def _keep_robot_letter(
        self, mailbox: MailboxRef, uid_key: str, letter: Letter, kind: LetterKind, sign: str | None, now: datetime
    ) -> Received:
        original = letter.report.original_message_id if letter.report else None
        ids = [i for i in (original, *letter.in_reply_to, *reversed(letter.references)) if i]
        for _ in range(RETRIES):
            try:
                async with self._uow() as uow:
                    found = await uow.mail.tickets_of(ids)
                    number = next((found[i] for i in ids if i in found), None)
                    ticket = await uow.tickets.get_by_number(number) if number else None
                    before = len(ticket.events) if ticket else 0
                    if ticket is not None and kind is LetterKind.BOUNCE:
                        self._note_bounce(ticket, letter, mailbox, now)
                        await uow.tickets.save(ticket)
                        await _fail_bounced_delivery(uow, ticket, ids, letter, now)
                    await uow.mail.add(_stored(mailbox, uid_key, letter, kind.value, number, now, note=sign))
                    await uow.commit()
            except ConcurrentUpdate:
                continue
            except DuplicateLetter:
                return Received("duplicate", None)
            if ticket is not None:
                await self._publish(ticket, before)
            about = f", относится к {number}" if number else ""
            log.info(
                "письмо %s от %s — %s (%s): обращение не открывается%s", uid_key, letter.from_address, kind, sign, about
            )
            return Received(kind.value, number, sign)
        raise ConcurrentUpdate(uid_key)

    def _note_bounce(self, ticket: Ticket, letter: Letter, mailbox: MailboxRef, now: datetime) -> None:
        report = letter.report
        reason = (report.diagnostic or report.status) if report else None
        comment = "Письмо заявителю не доставлено (вернулось уведомление о недоставке)"
        comment += f": {reason}." if reason else "."
        ticket.events.append(
            TicketEvent(
                type=EventType.MAIL_BOUNCED,
                at=now,
                actor=actors.mailbox_actor(mailbox.name),
                data={
                    "recipient": report.recipient if report else None,
                    "status": report.status if report else None,
                    "comment": comment + " Проверьте адрес заявителя.",
                },
            )
        )
        ticket.updated_at = now

    async def _publish(self, ticket: Ticket, since: int) -> None:
        if self._bus is None:
            return
        try:
            for event in ticket.events[since:]:
                await self._bus.publish_ticket_event(ticket, event)
        except Exception:  # the letter is stored; a silent screen must not undo that
            log.warning("обращение %s сохранено, но экраны не оповещены", ticket.number, exc_info=True)


@dataclass(frozen=True)
class LetterRequest:
    """What a letter asks for, before it is stored: the ticket to open and the writer's words.

    ``text`` is what the ticket is opened with and screened by: the whole letter, or only the new
    words of a reply to a ticket left without an answer (the quote is on the old ticket).
    """

    ticket: NewTicket
    text: str


def request_of(mailbox: MailboxRef, uid_key: str, letter: Letter, *, follows: str | None = None) -> LetterRequest:
    """The new ticket a letter opens: its subject, description and kind of request (§1.1).

    The kind is read from the subject and the writer's words by the rule the chat-bot uses
    (procedure/request_kinds.py): «не грузится» is a complaint, «прошу удалить» a statement, an
    idea a proposal, anything else a request for information.
    """
    text = neutralise(letter.text).strip()  # like every entry: procedure.text_safety
    subject = " ".join(neutralise(letter.subject).split())[:300] or "(без темы)"
    if follows is not None:  # the quote is on the old ticket; screen and sign-check the new words only
        text = neutralise(strip_quoted(letter.text)).strip() or text
        subject = bare_subject(subject) or "(без темы)"
    description = text[:MAX_DESCRIPTION] or "(письмо без текста)"
    if len(text) > MAX_DESCRIPTION:
        description += "\n…(текст сокращён, полностью — в исходном письме)"
    if letter.attachments:
        description += "\n\n" + attachments_ru(letter)
    new = NewTicket(
        channel=mailbox.channel,
        kind=Kind(request_kinds.detect_request_kind(f"{bare_subject(subject)}\n{text}")),
        question_type=None,
        region=None,
        role=None,
        login=None,
        email=letter.reply_address,
        subject=subject,
        description=description,
        idempotency_key=f"mail:{uid_key}",
    )
    return LetterRequest(new, text)


def _stored(
    mailbox: MailboxRef,
    uid_key: str,
    letter: Letter,
    kind: str,
    number: str | None,
    now: datetime,
    *,
    note: str | None = None,
) -> StoredMail:
    return StoredMail(
        mailbox=mailbox.name,
        direction=IN,
        kind=kind,
        received_at=now,
        message_id=letter.message_id,
        in_reply_to=letter.in_reply_to,
        references=letter.references,
        uid_key=uid_key,
        ticket_number=number,
        sender=letter.from_address,
        sender_name=letter.from_name,
        recipients=letter.recipients,
        subject=letter.subject,
        sent_at=letter.date,
        attachments=tuple(a.to_dict() for a in letter.attachments),
        note=note,
        raw=letter.stored_raw,
        raw_size=letter.size,
        raw_trimmed=letter.raw_trimmed,
    )


async def drain(
    mailbox: Mailbox,
    ref: MailboxRef,
    intake: MailIntake,
    *,
    transient: tuple[type[BaseException], ...],
    failures: dict[str, int],
    max_failures: int = 3,
) -> int:
    """Process every unprocessed letter of the folder; returns how many were finished.

    A letter leaves the inbox only after its ticket is committed. A transient failure (the
    database is down) stops the batch and leaves the letter for the next round; any other
    failure counts against the letter, which after ``max_failures`` goes to the failed
    folder for a person to look at, so one poisoned letter cannot block the rest.
    """
    finished = 0
    for uid in await mailbox.unprocessed():
        raw = await mailbox.fetch(uid)
        if raw is None:
            continue
        key = f"{ref.name}:{mailbox.uidvalidity}:{uid}"
        try:
            await intake.receive(ref, key, raw)
        except transient:
            raise
        except Exception:
            failures[key] = failures.get(key, 0) + 1
            log.exception("письмо %s не обработано (попытка %d из %d)", key, failures[key], max_failures)
            if failures[key] >= max_failures:
                await mailbox.mark_failed(uid)
                failures.pop(key, None)
                log.error("письмо %s перенесено в папку необработанных писем: его разберёт человек", key)
            continue
        failures.pop(key, None)
        await mailbox.mark_processed(uid)
        finished += 1
    return finished


async def _fail_bounced_delivery(
    uow: AbstractUnitOfWork, ticket: Ticket, ids: list[str], letter: Letter, now: datetime
) -> None:
    """The answer letter that came back is «failed» on the ticket's ``deliveries``, not «sent»."""
    assert ticket.number is not None
    ours = {m.message_id: m.delivery_id for m in await uow.mail.thread(ticket.number) if m.direction == OUT}
    delivery_id = next((ours[i] for i in ids if ours.get(i) is not None), None)
    if delivery_id is None:
        return
    for delivery in await uow.deliveries.of_ticket(ticket.number):
        if delivery.id == delivery_id:
            report = letter.report
            reason = (report.diagnostic or report.status) if report else None
            await uow.deliveries.save(
                failed(delivery, now, f"письмо вернулось: {reason or 'уведомление о недоставке'}", permanent=True)
            )
