# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""Nothing a requester writes may disappear: letters to tickets left without an answer, the same letter twice."""

from __future__ import annotations

import pytest

from tests.integration.mail_rig import UNION, UNION_FOLDER, MailRig, letter, rig  # noqa: F401
from tests.integration.mail_servers import dovecot, smtp_capture  # noqa: F401
from ticketing.domain.tickets import Status

pytestmark = pytest.mark.mail

ANONYMOUS = "Здравствуйте! Как записаться на профпробу в нашем городе?"


async def test_an_anonymous_requester_who_signs_the_reply_gets_a_new_linked_ticket(rig: MailRig) -> None:
    first = letter(ANONYMOUS, sender="parent77@example.ru", subject="Профпроба")
    rig.deliver(first)
    await rig.once()
    (old,) = await rig.tickets()
    assert (old.status, old.resolution_reason) == (Status.LEFT_WITHOUT_ANSWER, "anonymous")

    signed = (  # bottom-posted: the quote first, the new words below it
        f"Пн, 7 дек. 2026 г. в 09:00, parent77@example.ru:\n> {ANONYMOUS}\n\n"
        "Простите, забыла подписаться. Город — Казань, сын в 7 классе.\n\nС уважением,\nСидорова Мария"
    )
    rig.deliver(
        letter(
            signed,
            sender="parent77@example.ru",
            subject="Re: Профпроба",
            In_Reply_To=str(first["Message-ID"]),
            References=str(first["Message-ID"]),
        )
    )
    await rig.once()
    old_now, new = await rig.tickets()
    assert old_now.number == old.number and old_now.status is Status.LEFT_WITHOUT_ANSWER  # nothing reopened
    assert new.status is Status.NEW and new.subject == "Профпроба"
    assert new.description.startswith("Простите, забыла подписаться. Город — Казань")
    assert ">" not in new.description
    received = next(e for e in new.events if e.type == "mail_received")
    assert received.data["follows"] == old.number and f"обращения {old.number}" in received.data["comment"]
    pointer = next(e for e in old_now.events if e.type == "followed_by")
    assert pointer.data["new_ticket"] == new.number and "анонимное" in pointer.data["comment"]
    assert [m.kind for m in await rig.letters(new.number or "")] == ["letter"]


async def test_a_russian_letter_to_a_foreign_language_ticket_opens_a_new_one(rig: MailRig) -> None:
    english = "I cannot log in to my account, please help me with the password."
    rig.deliver(letter(english, sender="Ivan Smirnov <ivan@example.com>", subject="Login problem"))
    await rig.once()
    (old,) = await rig.tickets()
    assert old.resolution_reason == "foreign_language"

    russian = (
        "Извините, напишу по-русски: не могу войти в личный кабинет, пароль не подходит.\n\nСмирнов Иван\n\n"
        f"Ivan Smirnov <ivan@example.com> wrote:\n> {english}"
    )
    rig.deliver(letter(russian, sender="Ivan Smirnov <ivan@example.com>", subject=f"Re: Login problem [{old.number}]"))
    await rig.once()
    old_now, new = await rig.tickets()
    assert old_now.status is Status.LEFT_WITHOUT_ANSWER and old_now.resolution_reason == "foreign_language"
    assert new.status is Status.NEW and new.resolution_reason is None  # screened on the new words, in Russian
    assert new.subject == "Login problem" and "please help" not in new.description
    assert any(e.type == "followed_by" and e.data["new_ticket"] == new.number for e in old_now.events)


async def test_the_same_letter_delivered_twice_is_one_ticket(rig: MailRig) -> None:
    once = letter()
    rig.deliver(once)
    rig.deliver(once)  # the server delivered it again: another UID, the same Message-ID
    await rig.once()
    (ticket,) = await rig.tickets()
    assert sorted(m.kind for m in await rig.letters(ticket.number or "")) == ["copy", "letter"]
    assert [e.type for e in ticket.events].count("mail_copy") == 1
    assert rig.dovecot.letters(rig.user) == []  # both left the inbox


async def test_a_letter_to_bilet_with_cc_to_info_is_one_request_seen_by_both(rig: MailRig) -> None:
    both = letter(Cc=UNION)
    rig.deliver(both)
    rig.deliver(both, UNION_FOLDER)
    await rig.once()
    (ticket,) = await rig.tickets()
    mailboxes = sorted(m.mailbox for m in await rig.letters(ticket.number or ""))
    assert mailboxes == ["project", "union"]
    async with rig.container.uow() as uow:
        card = await uow.registration.of_ticket(ticket.number or "")
    assert card is not None and card.email == "anna@example.ru"  # the Union registered it as well (§4.1.2)
    copy = next(e for e in ticket.events if e.type == "mail_copy")
    assert UNION in copy.data["comment"]


async def test_a_forged_message_id_from_another_sender_is_not_swallowed(rig: MailRig) -> None:
    original = letter()
    rig.deliver(original)
    await rig.once()
    text = "Здравствуйте! У меня свой вопрос про сертификат.\n\nКузнецов Пётр"
    forged = letter(text, sender="Пётр Кузнецов <p@example.ru>")
    forged.replace_header("Message-ID", str(original["Message-ID"]))
    rig.deliver(forged)
    await rig.once()
    assert [t.email for t in await rig.tickets()] == ["anna@example.ru", "p@example.ru"]
