"""Personal data (152-ФЗ) in what our processes write to their logs, and how long it is kept.

The users are children and their parents; an e-mail or a login in a log file is personal data that
outlives every retention rule of the database (logs are copied, rotated, sent to support). So no
process logs them as they are: ``ivan.petrov@mail.ru`` becomes ``iv***@mail.ru``, ``login=ivanov2011``
becomes ``login=iv***``. Enough for a colleague to tell two requesters apart in one incident,
not enough to write to the child.

:func:`install_log_masking` wraps the logging module's record factory, so every record of the process
is masked when it is made — whoever logs it (our code, Sanic, SQLAlchemy's echo of parameters, Rasa,
rasa_sdk) and whichever handler writes it (a file, the console, pytest's ``caplog``); and so are the
``extra`` fields of a record, where Sanic's access log puts the request line with its query string. It is called in
one place per process: ``ticketing.bootstrap.build_container`` (the service, the mail worker and the
commands), ``actions.server.create_app`` (the action server) and ``bot/nlu/__init__.py`` (the Rasa
server, when it loads our components).

What it cannot see: a login inside free text («мой логин ivanov2011») has no shape of its own; our
code never logs free text of requesters, and Rasa logs the user's message only at DEBUG.

Pure Python 3.10, no dependencies (``procedure/__init__.py``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

DEFAULT_RETENTION_DAYS = 365
"""How long a closed ticket keeps its requester's data (``PD_RETENTION_DAYS``, docs/security.md).

152-ФЗ ст. 5 ч. 7: personal data are kept no longer than the purpose of processing requires. The
purpose is to answer (§4.3, §4.1.4: days, at most 30) and then the control of quality and repeats
(§5.3: «похожие прежние обращения», the dashboard's periods), which looks back over a school year.
"""


def retention_days(raw: str | None) -> int:
    """``PD_RETENTION_DAYS`` as both processes read it: whole days, at least 1; unset or empty is the default.

    The ticketing service (anonymisation of closed tickets) and the action server (its outbox) refuse
    to start on a bad value with this one Russian ``ValueError``, rather than run with a retention
    nobody chose.
    """
    if raw is None or not raw.strip():
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(raw.strip())
    except ValueError:
        raise ValueError(f"PD_RETENTION_DAYS: нужно целое число дней, а не «{raw}».") from None
    if days < 1:
        raise ValueError(f"PD_RETENTION_DAYS: срок хранения — не меньше 1 дня, а не {days}.")
    return days

# An address anywhere in a text: Latin or Cyrillic, also written %40 in a logged URL.
_EMAIL = re.compile(r"(?<![\w.%+\-'])([\w.%+\-]{1,64})(?:@|%40)((?:[\w\-]{1,63}\.)+[\w\-]{2,63})(?![\w\-])")
# A login (or an address) after its key: «login=ivanov2011», "login": "ivanov2011", 'login': '…', «логин: …»
# (Rasa's debug line of slots is «\tlogin: ivanov2011», which its JSON log writes «\\tlogin: …»).
_KEYED = re.compile(
    r"""(?P<key>(?:(?<=\\[tn])|\b)(?:login|логин|username|e-?mail|почта)\b["']?\s*[:=]\s*["']?)"""
    r"""(?P<value>(?:\w|%[0-9A-Fa-f]{2})[^\s"',;)}\]>&\\]*)""",  # a word or %-encoded: not SQL's «= ?», «= :email_1»
    re.IGNORECASE,
)
_MASK = "***"


def mask_login(login: str) -> str:
    """``ivanov2011`` → ``iv***``: the first two characters (one of a short login)."""
    login = login.strip()
    if not login:
        return login
    keep = 2 if len(login) > 3 else 1
    return login[:keep] + _MASK


def mask_email(address: str) -> str:
    """``ivan.petrov@mail.ru`` → ``iv***@mail.ru``: the domain stays, the mailbox does not."""
    local, at, domain = address.strip().rpartition("@")
    if not at:
        return mask_login(address)
    return mask_login(local) + "@" + domain


def mask_text(text: str) -> str:
    """Every e-mail in ``text`` masked, and every value written after a login or e-mail key."""
    if not text:
        return text
    masked = _EMAIL.sub(lambda m: f"{mask_login(m.group(1))}@{m.group(2)}", text)

    def keyed(match: re.Match[str]) -> str:
        value = match.group("value")
        if value.endswith(_MASK) or _MASK + "@" in value:
            return match.group(0)  # an address already masked above
        return match.group("key") + mask_login(value)

    return _KEYED.sub(keyed, masked)


_installed = False


def install_log_masking() -> None:
    """Mask e-mails and logins in every log record this process makes from now on (idempotent).

    The message is formatted with its arguments and masked at once; a traceback is formatted and
    masked too (an exception's text often quotes the address: «550 no such user ivan@mail.ru»), and
    kept as ``exc_text`` instead of ``exc_info``, so that no formatter prints it again unmasked.
    """
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()
    formatter = logging.Formatter()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: logging reports it itself, later
            return record
        record.msg, record.args = mask_text(message), ()
        if record.exc_info:
            record.exc_text = mask_text(formatter.formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return record

    logging.setLogRecordFactory(factory)

    # ``extra={…}`` fields are set on the record after the factory made it (Logger.makeRecord), and that is
    # where Sanic's access log puts the request line, query string and all: «GET /api/v1/tickets?email=…».
    original_make_record = logging.Logger.makeRecord

    def make_record(self: logging.Logger, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = original_make_record(self, *args, **kwargs)
        extra = kwargs.get("extra", args[8] if len(args) > 8 else None)
        for key, value in (extra or {}).items():
            if isinstance(value, str):
                setattr(record, key, mask_text(value))
        return record

    logging.Logger.makeRecord = make_record  # type: ignore[method-assign]
    _installed = True
