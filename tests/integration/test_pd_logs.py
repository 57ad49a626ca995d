# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""No e-mail or login of a requester in the service's logs (152-ФЗ; procedure/personal_data.py).

The logs are read at their most talkative: DEBUG everywhere and SQLAlchemy's echo of statements with
their parameters, which is what an operator switches on to look into an incident.
"""

from __future__ import annotations

import logging

import pytest

from tests.integration.conftest import Api
from tests.integration.mail_rig import MailRig, letter, rig  # noqa: F401
from tests.integration.mail_servers import dovecot, smtp_capture  # noqa: F401
from tests.integration.test_api_tickets import CHAT_TICKET, create


def _talkative(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # statements and their parameters


async def test_creating_and_finding_a_ticket_by_api_logs_no_email_or_login(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    _talkative(caplog)
    response = await create(api)
    assert response.status == 201
    _, found = await api.client.get(
        "/api/v1/tickets?email=ivan.petrov@example.ru&login=ivanov2011", headers=api.headers("line1")
    )
    assert found.json["total"] == 1
    text = caplog.text.lower()
    assert "iv***@example.ru" in text  # the parameters were logged, masked
    assert "ivan.petrov@example.ru" not in text
    assert str(CHAT_TICKET["login"]) not in text


@pytest.mark.mail
async def test_mail_intake_logs_no_address(rig: MailRig, caplog: pytest.LogCaptureFixture) -> None:
    _talkative(caplog)
    rig.deliver(letter(sender="Анна Петрова <anna.petrova@example.ru>"))
    await rig.once()
    (ticket,) = await rig.tickets()
    assert ticket.email == "anna.petrova@example.ru"
    text = caplog.text.lower()
    assert f"→ обращение {ticket.number}".lower() in text and "insert into tickets" in text
    assert "anna.petrova" not in text


def test_an_exception_that_quotes_an_address_is_logged_masked(caplog: pytest.LogCaptureFixture) -> None:
    from ticketing.bootstrap import build_container
    from ticketing.config import Settings

    build_container(Settings(database_url="sqlite+aiosqlite:///:memory:"))  # the process's composition root
    try:
        raise RuntimeError("550 5.1.1 <maria.ivanova@mail.ru>: Recipient address rejected")
    except RuntimeError:
        logging.getLogger("ticketing.mail").exception("reply to %s not delivered", "maria.ivanova@mail.ru")
    assert "maria.ivanova" not in caplog.text
    assert "RuntimeError: 550 5.1.1 <ma***@mail.ru>" in caplog.text and "reply to ma***@mail.ru" in caplog.text
