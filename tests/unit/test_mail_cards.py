"""Incoming numbers of the Union mailbox's registration cards and the mail settings."""

from __future__ import annotations

import logging

import pytest

from ticketing.config import MailSettings, Settings
from ticketing.domain.mail.cards import check_incoming_format, incoming_number, missing_labels_ru, summary_of


def test_default_incoming_number() -> None:
    assert incoming_number("{seq:05d}/ВХ-{year}", 42, 2026) == "00042/ВХ-2026"
    assert incoming_number("ВХ-{year}-{seq}", 7, 2027) == "ВХ-2027-7"


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        ("ВХ-{year}", "нужен порядковый номер"),
        ("{seq}/{month}", "допустимы только"),
        ("{seq.__class__}", "допустимы только"),
        ("{seq!r}", "преобразования"),
        ("{seq:05q}", "UNION_INCOMING_FORMAT"),
        ("{seq", "непарные"),
    ],
)
def test_bad_formats_are_refused_in_russian(fmt: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_incoming_format(fmt)


def test_summary_and_labels() -> None:
    assert summary_of("  Прошу\n\nразъяснить   порядок ") == "Прошу разъяснить порядок"
    long = summary_of("слово " * 200, limit=50)
    assert long.endswith("…") and len(long) <= 51
    assert missing_labels_ru(["surname", "reason"]) == ["фамилия", "причина обращения"]


ENV = {
    "MAIL_IMAP_HOST": "imap.example.ru",
    "MAIL_IMAP_USER": "bilet",
    "MAIL_IMAP_PASSWORD": "imap-Secret-42",
    "MAIL_UNION_IMAP_FOLDER": "Союз",
    "MAIL_SMTP_HOST": "smtp.example.ru",
    "MAIL_SMTP_PASSWORD": "smtp-Secret-42",
    "MAIL_PERSONAL_ADDRESSES": "Ivanov@worldskills.ru; @staff.worldskills.ru",
    "UNION_INCOMING_FORMAT": "{seq}/ВХ",
}


def test_mail_settings_from_env(caplog: pytest.LogCaptureFixture) -> None:
    mail = MailSettings.from_env(ENV)
    assert mail.configured and [m.name for m in mail.mailboxes] == ["project", "union"]
    project, union = mail.mailboxes
    assert project.server.port == 993 and project.server.security == "tls" and project.folder == "INBOX"
    assert union.server is project.server and union.folder == "Союз" and union.channel == "union_email"
    assert mail.smtp is not None and mail.smtp.server.port == 587 and mail.smtp.from_address == "bilet@worldskills.ru"
    assert mail.personal_addresses == ("ivanov@worldskills.ru", "@staff.worldskills.ru")
    assert mail.union_incoming_format == "{seq}/ВХ"
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("настройки: %r %s", Settings.from_env(ENV), mail)
    for secret in ("imap-Secret-42", "smtp-Secret-42"):
        assert secret not in repr(mail) and secret not in str(Settings.from_env(ENV)) and secret not in caplog.text


def test_mail_not_configured_by_default_and_bad_values_explained() -> None:
    assert not MailSettings.from_env({}).configured and MailSettings.from_env({}).smtp is None
    assert not Settings.from_env({}).mail.configured
    with pytest.raises(ValueError, match="tls, starttls или none"):
        MailSettings.from_env({"MAIL_IMAP_HOST": "x", "MAIL_IMAP_SECURITY": "maybe"})
    with pytest.raises(ValueError, match="MAIL_UNION_IMAP_FOLDER"):
        MailSettings.from_env({"MAIL_IMAP_HOST": "x", "MAIL_UNION_IMAP_USER": "", "MAIL_UNION_IMAP_FOLDER": "INBOX"})
    plain = MailSettings.from_env(
        {"MAIL_IMAP_HOST": "x", "MAIL_IMAP_SECURITY": "none", "MAIL_IMAP_PROCESSED_FOLDER": ""}
    )
    assert plain.mailboxes[0].server.port == 143 and plain.processed_folder == ""
