"""Real mail servers for the mail tests: a private Dovecot (IMAP) and an aiosmtpd capture (SMTP).

Dovecot runs from a config file written here (its own base_dir, state_dir and log, a free port
above 1024, passwd-file accounts with {PLAIN} passwords, ``ssl = no``) as a child process in
the foreground, and is stopped when the session ends. Its login process refuses root, so the
maildirs belong to the ``mail`` user (see FACTS.md). Each test takes fresh accounts, so tests
never see each other's letters.

The SMTP capture keeps what arrives and, like a real relay, can put it into the recipient's
IMAP mailbox — so a test can read the answer where the requester would.
"""

from __future__ import annotations

import imaplib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from ticketing.adapters.imap import utf7_imap

ACCOUNTS = 80
PASSWORD = 'te"st\\pass-42'  # a quote and a backslash: IMAP quoting must hold
SMTP_USER, SMTP_PASSWORD = "relay", "smtp-Secret\\17!"


def _folder(name: str) -> str:
    return '"' + utf7_imap(name) + '"'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(100):
        if process.poll() is not None:
            pytest.fail(f"Dovecot не запустился: {log.read_text(errors='replace') if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("Dovecot не открыл порт за 10 с")


@dataclass
class Dovecot:
    port: int
    root: Path
    _accounts: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def account(self) -> str:
        number = next(self._accounts)
        if number > ACCOUNTS:
            pytest.fail("тестовые почтовые ящики Dovecot кончились: увеличьте ACCOUNTS")
        return f"box{number}"

    def connect(self, user: str) -> imaplib.IMAP4:
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        imap.login(user, PASSWORD)
        return imap

    def append(self, user: str, raw: bytes, folder: str = "INBOX") -> None:
        """Deliver a letter the way an MTA's local delivery would: it lands in the folder."""
        imap = self.connect(user)
        try:
            imap.create(_folder(folder))
            typ, data = imap.append(_folder(folder), None, None, raw)
            assert typ == "OK", data
        finally:
            imap.logout()

    def letters(self, user: str, folder: str = "INBOX") -> list[bytes]:
        imap = self.connect(user)
        try:
            typ, _ = imap.select(_folder(folder))
            if typ != "OK":
                return []
            _, data = imap.uid("SEARCH", "UNDELETED")
            found: list[bytes] = []
            for uid in (data[0] or b"").split():
                _, fetched = imap.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
                found.extend(bytes(item[1]) for item in fetched if isinstance(item, tuple))
            return found
        finally:
            imap.logout()


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    with private_dovecot() as server:
        yield server


@contextmanager
def private_dovecot() -> Iterator[Dovecot]:
    """A Dovecot of its own (also for ``make chaos``, bench/chaos.py), stopped and removed on exit."""
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.path.exists(binary):
        pytest.fail("Нет Dovecot: make provision (поставит dovecot-imapd и остальное, что нужно тестам)")
    root = Path(tempfile.mkdtemp(prefix="bvb-dovecot-"))
    root.chmod(0o755)
    mail = pwd.getpwnam("mail")
    for name in ("run", "state", "mail"):
        (root / name).mkdir()
    os.chown(root / "mail", mail.pw_uid, mail.pw_gid)
    passwd = root / "passwd"
    passwd.write_text("".join(f"box{i}:{{PLAIN}}{PASSWORD}::::::\n" for i in range(1, ACCOUNTS + 1)))
    port = free_port()
    config = root / "dovecot.conf"
    config.write_text(
        f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
instance_name = bvb-test-{port}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = {mail.pw_uid}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {passwd}
}}
userdb {{
  driver = static
  args = uid={mail.pw_uid} gid={mail.pw_gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
    )
    process = subprocess.Popen([binary, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_port(port, process, root / "dovecot.log")
        yield Dovecot(port=port, root=root)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Captured:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


class SmtpCapture:
    """What our SMTP client sends; ``refuse`` addresses get 550, ``busy`` makes every letter 451."""

    def __init__(self, relay: Dovecot | None = None) -> None:
        self.messages: list[Captured] = []
        self.refuse: set[str] = set()
        self.busy = False
        self.relay_to: dict[str, str] = {}  # recipient address → Dovecot account to put the letter in
        self._relay = relay
        self.port = free_port()
        self.logins: list[str] = []
        self._controller = Controller(
            self,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=self._authenticate,
            auth_require_tls=False,
        )

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.login.decode() == SMTP_USER
        ok = ok and data.password.decode() == SMTP_PASSWORD
        if ok:
            self.logins.append(SMTP_USER)
        return AuthResult(success=ok)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.busy:
            return "451 4.3.0 Temporary failure, try again later"
        content = bytes(envelope.original_content or envelope.content)
        self.messages.append(Captured(envelope.mail_from, list(envelope.rcpt_tos), content))
        if self._relay is not None:
            for rcpt in envelope.rcpt_tos:
                if rcpt.lower() in self.relay_to:
                    self._relay.append(self.relay_to[rcpt.lower()], content)
        return "250 OK: queued"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


@pytest.fixture
def smtp_capture(dovecot: Dovecot) -> Iterator[SmtpCapture]:
    capture = SmtpCapture(relay=dovecot)
    capture.start()
    try:
        yield capture
    finally:
        capture.stop()
