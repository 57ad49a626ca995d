"""The letter that carries line 1's answer to the requester (§4.3, §6.3).

It is a person's answer, so it carries no ``Auto-Submitted`` header (RFC 3834 reserves it for
machines, and some mail systems would hide or drop it); loops are prevented on the way in
instead — auto-replies and bounces never reach a person to be answered. Threading: the
subject keeps «[БВБ-000123]», In-Reply-To names the requester's latest letter, References the
thread, and our own Message-ID is stored so the requester's reply finds its ticket.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr

from ticketing.domain.mail.threads import reply_subject

FOOTER_RU = (
    "\n\n--\n"
    "Служба поддержки проекта «Билет в будущее»\n"
    "Номер вашего обращения: {number}. Чтобы дополнить его, ответьте на это письмо, не меняя тему."
)
# The Union's general mailbox answers in the Union's name (§4.1): the letter came to the Union, not the project.
UNION_FOOTER_RU = (
    "\n\n--\n"
    "Союз «Агентство развития профессиональных сообществ и рабочих кадров «Молодые профессионалы "
    "(Ворлдскиллс Россия)»\n"
    "Номер вашего обращения: {number}. Чтобы дополнить его, ответьте на это письмо, не меняя тему."
)


def reply_message(
    *,
    text: str,
    number: str,
    subject: str,
    to: str,
    from_address: str,
    from_name: str,
    message_id: str,
    in_reply_to: str | None,
    references: tuple[str, ...],
    now: datetime,
    footer: str = FOOTER_RU,
) -> EmailMessage:
    """Build the answer letter; plain text in UTF-8, the ticket number in the subject and the footer.

    ``footer`` is a template with ``{number}``: :data:`FOOTER_RU` for the project, :data:`UNION_FOOTER_RU`
    for the Union's general mailbox.
    """
    message = EmailMessage(policy=SMTP)
    message["From"] = formataddr((from_name, from_address))
    message["To"] = to
    message["Subject"] = reply_subject(subject, number)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = " ".join(references)
    message["Content-Language"] = "ru"
    message.set_content(text.strip() + footer.format(number=number), charset="utf-8")
    return message


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip(">").lower() if "@" in address else "localhost"
