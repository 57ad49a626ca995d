"""The files of a mail ticket line 1 may open: the letters as received, and their attachments (§4.1, §4.3).

Both are stored with the ticket (``mail_messages.raw``); only what was stored can be given, and
only to someone who may see the ticket itself (``domain.access``, the rule of
``services.tickets.get_ticket``): the same boundary as the ticket page, so a line-2 operator of
another region gets «не найдено», as for the ticket.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ticketing.domain.access import AccessScope
from ticketing.domain.mail.letters import attachment_file
from ticketing.services.mail_ports import IN, StoredMail
from ticketing.services.unit_of_work import AbstractUnitOfWork


@dataclass(frozen=True)
class MailFile:
    filename: str
    content_type: str  # as the letter declared it; the HTTP layer decides what to serve it as
    content: bytes = field(repr=False)


class FileUnavailable(Exception):
    """The file exists but cannot be given; the message says why, in Russian."""


async def _read(
    uow: AbstractUnitOfWork, number: str, scope: AccessScope, mail_id: int
) -> tuple[StoredMail, bytes | None] | None:
    """The letter and its bytes, or ``None`` when it is not this ticket's or the caller may not see the ticket."""
    async with uow:
        ticket = await uow.tickets.get_by_number(number)
        if ticket is None or not scope.can_see(region=ticket.region, handed_to=ticket.handed_to):
            return None
        mail = await uow.mail.get(mail_id)
        if mail is None or mail.ticket_number != number or mail.direction != IN:
            return None
        return mail, await uow.mail.raw(mail_id)


async def original_letter(uow: AbstractUnitOfWork, number: str, scope: AccessScope, mail_id: int) -> MailFile | None:
    """The letter exactly as it came (``.eml``), or ``None`` when the caller may not see it."""
    found = await _read(uow, number, scope, mail_id)
    if found is None:
        return None
    _, raw = found
    if raw is None:
        raise FileUnavailable("Исходное письмо не сохранено: откройте его в почтовом ящике.")
    return MailFile(f"письмо-{number}-{mail_id}.eml", "message/rfc822", raw)


async def attachment(
    uow: AbstractUnitOfWork, number: str, scope: AccessScope, mail_id: int, index: int
) -> MailFile | None:
    """Attachment ``index`` of a letter, checked against what was recorded when the letter came."""
    found = await _read(uow, number, scope, mail_id)
    if found is None:
        return None
    mail, raw = found
    recorded = next((a for a in mail.attachments if a.get("index") == index), None)
    if recorded is None:
        return None
    if not recorded.get("stored"):
        raise FileUnavailable(
            f"Вложение «{recorded.get('filename')}» не сохранено: {recorded.get('reason') or 'оно слишком большое'}. "
            "Попросите заявителя прислать его другим способом."
        )
    file = attachment_file(raw, index) if raw is not None else None
    if file is None or (file.filename, file.content_type) != (recorded.get("filename"), recorded.get("content_type")):
        raise FileUnavailable("Вложение в сохранённом письме не совпадает с записью о нём: скачайте письмо целиком.")
    return MailFile(file.filename, file.content_type, file.content)
