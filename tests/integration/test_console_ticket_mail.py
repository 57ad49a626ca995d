# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""A mail ticket's card in the console (issue 14, parts 9.7 and 9.9): the incoming number and the missing
§4.1.1 fields on the card, the letter and its attachments as downloads within the ticket's own access scope."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.integration.console_helpers import Console, cheap_password_hashes, console, ticket_path  # noqa: F401
from tests.integration.mail_rig import UNION, UNION_FOLDER, MailRig, letter, rig  # noqa: F401
from tests.integration.mail_servers import dovecot, smtp_capture  # noqa: F401
from ticketing.domain import lifecycle as lc
from ticketing.domain.access import AccessScope, ApiRole
from ticketing.domain.tickets import Ticket
from ticketing.services.transitions import act

pytestmark = pytest.mark.mail

HTML = "<html><body><script>alert(document.cookie)</script>Привет</body></html>".encode()
PDF = b"%PDF-1.4\n% a small pdf\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
LINKS = re.compile(r'href="(/console/tickets/[^"]+/letters/(\d+)/(original|attachments/\d+))"')


async def _mail_ticket(rig: MailRig) -> str:
    msg = letter("Здравствуйте! Не могу войти в личный кабинет, скриншоты во вложении.\n\nС уважением,\nПетрова Анна")
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename="справка.pdf")
    msg.add_attachment(HTML, maintype="text", subtype="html", filename="страница.html")
    msg.add_attachment(SVG, maintype="image", subtype="svg+xml", filename="рисунок.svg")
    rig.deliver(msg)
    await rig.once()
    (ticket,) = await rig.tickets()
    return ticket.number or ""


async def test_line1_downloads_the_letter_and_its_attachments_and_nothing_renders_inline(
    rig: MailRig, console: Console
) -> None:
    number = await _mail_ticket(rig)
    olga = console["line1"]
    page = await olga.get(ticket_path(number))
    assert "Письма и вложения" in page.text
    links = {kind: href for href, _, kind in LINKS.findall(page.text)}
    assert set(links) == {"original", "attachments/1", "attachments/2", "attachments/3"}, links

    original = await olga.get(links["original"])
    assert original.status == 200 and original.headers["content-type"] == "message/rfc822"
    assert original.headers["content-disposition"].startswith("attachment;")
    assert b"Subject:" in original.body and "справка.pdf" in page.text

    pdf = await olga.get(links["attachments/1"])
    assert pdf.status == 200 and pdf.body == PDF and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" + quote("справка.pdf") in pdf.headers["content-disposition"]

    for key, body in (("attachments/2", HTML), ("attachments/3", SVG)):  # would run on the console's origin
        response = await olga.get(links[key])
        assert response.status == 200 and response.body == body
        assert response.headers["content-type"] == "application/octet-stream", key
        assert response.headers["content-disposition"].startswith("attachment;")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in response.headers["content-security-policy"]

    assert (await olga.get(links["attachments/1"].replace("/attachments/1", "/attachments/9"))).status == 404
    other = await console.ticket()  # the letter is not this chat ticket's
    assert (await olga.get(links["original"].replace(quote(number), quote(other)))).status == 404
    assert (await console.anonymous().get(links["original"]))[1].status in (302, 303, 401)


async def test_the_files_keep_the_tickets_own_access_scope(rig: MailRig, console: Console) -> None:
    number = await _mail_ticket(rig)
    page = await console["line1"].get(ticket_path(number))
    links = {kind: href for href, _, kind in LINKS.findall(page.text)}
    assert (await console["line2"].get(links["original"])).status == 404  # never handed to line 2 (§4.5)
    olga = lc.Actor("Ольга Первая", ApiRole.LINE1)

    def hand_to_tatarstan(ticket: Ticket) -> None:
        ticket.region = "Республика Татарстан"
        lc.transfer(ticket, olga, rig.clock(), to_line=2, comment="Вопрос региону", calendar=rig.container.calendar)

    await act(rig.container.uow(), number, AccessScope(role=ApiRole.LINE1), hand_to_tatarstan)
    for path in (links["original"], links["attachments/1"]):
        assert (await console["line2"].get(path)).status == 200  # Tatarstan's operator, handed the ticket
        assert (await console["line2_perm"].get(path)).status == 404  # another region: as if it did not exist
        assert (await console["line3"].get(path)).status == 404  # never handed to line 3


async def test_a_union_letters_card_shows_its_incoming_number_and_what_4_1_1_fields_are_missing(
    rig: MailRig, console: Console
) -> None:
    rig.deliver(letter("Здравствуйте!\nПомогите", sender="someone@example.ru", to=UNION, subject=""), UNION_FOLDER)
    await rig.once()
    (ticket,) = await rig.tickets()
    async with rig.container.uow() as uow:
        card = await uow.registration.of_ticket(ticket.number or "")
    assert card is not None
    page = await console["line1"].get(ticket_path(ticket.number or ""))
    requester = page.text.split('id="h-requester"', 1)[1].split("</section>", 1)[0]
    assert f"№ {card.incoming_number}</strong> от {card.registration_date:%d.%m.%Y}" in requester
    assert "Не хватает сведений по п. 4.1.1: фамилия, имя, тема, причина обращения" in requester
