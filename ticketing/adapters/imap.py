"""An IMAP folder read with the standard library's ``imaplib``, each connection on its own thread.

Why ``imaplib`` and not an asyncio client: it does STARTTLS, it is typed, it logs nothing (so
a password cannot reach the logs through it), and one blocking connection per mailbox on its
own thread is all a worker needs. IDLE (RFC 2177), which ``imaplib`` of Python 3.11 lacks, is
spoken by hand: the thread waits on the socket in one-second steps so that the worker can stop.

Processed letters are moved to the processed folder (MOVE, or COPY + \\Deleted + EXPUNGE where
MOVE is missing), or, with no processed folder configured, kept in place and marked with the
keyword ``$BvbProcessed``. Folder names may be Russian: they are sent in modified UTF-7.
"""

from __future__ import annotations

import asyncio
import base64
import imaplib
import re
import select
import ssl
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from ticketing.config import MailServer
from ticketing.services.mail_ports import Mailbox, MailboxUnavailable

T = TypeVar("T")
PROCESSED_KEYWORD = "$BvbProcessed"
FAILED_KEYWORD = "$BvbFailed"
_UID = re.compile(rb"UID (\d+)")


def utf7_imap(name: str) -> str:
    """RFC 3501 §5.1.3 modified UTF-7: «Обработанные» → «&BB4EMQRABDAEMQQ+BEIEMAQ9BD0ESwQ1-»."""
    out, pending = [], ""

    def flush() -> None:
        nonlocal pending
        if pending:
            encoded = base64.b64encode(pending.encode("utf-16-be")).decode("ascii").rstrip("=")
            out.append("&" + encoded.replace("/", ",") + "-")
            pending = ""

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending += ch
    flush()
    return "".join(out)


def _quoted(name: str) -> str:
    return '"' + utf7_imap(name).replace("\\", "\\\\").replace('"', '\\"') + '"'


class ImapMailbox(Mailbox):
    def __init__(
        self,
        name: str,
        server: MailServer,
        folder: str,
        *,
        processed_folder: str,
        failed_folder: str,
        use_idle: bool = True,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.name = name
        self._server = server
        self._folder = folder
        self._processed = processed_folder
        self._failed = failed_folder
        self._use_idle = use_idle
        self._ssl = ssl_context
        self._imap: imaplib.IMAP4 | None = None
        self._capabilities: set[str] = set()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"imap-{name}")
        self._stop = threading.Event()

    # --- plumbing: every imaplib call runs on the mailbox's own thread --------------------------

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, fn, *args)
        except (OSError, imaplib.IMAP4.error, EOFError) as exc:
            await self.close()
            raise MailboxUnavailable(f"{self._server.host}:{self._server.port}: {type(exc).__name__}: {exc}") from exc

    def _check(self, typ: str, data: Any, what: str) -> Any:
        if typ != "OK":
            raise imaplib.IMAP4.error(f"{what}: {typ} {data!r}")
        return data

    @property
    def imap(self) -> imaplib.IMAP4:
        if self._imap is None:
            raise imaplib.IMAP4.abort("нет соединения")
        return self._imap

    # --- Mailbox ---------------------------------------------------------------------------------

    async def open(self) -> None:
        self._stop.clear()
        await self._run(self._open)

    def _open(self) -> None:
        server = self._server
        context = self._ssl or ssl.create_default_context()
        if server.security == "tls":
            imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                server.host, server.port, ssl_context=context, timeout=server.timeout
            )
        else:
            imap = imaplib.IMAP4(server.host, server.port, timeout=server.timeout)
            if server.security == "starttls":
                imap.starttls(ssl_context=context)
        self._imap = imap
        if server.user:
            self._check(*imap.login(server.user, server.password), "LOGIN")
        typ, data = imap.capability()
        self._capabilities = set(data[0].decode().upper().split()) if typ == "OK" and data and data[0] else set()
        for folder in (self._processed, self._failed):
            if folder:
                imap.create(_quoted(folder))  # «already exists» is fine
        if imap.select(_quoted(self._folder))[0] != "OK":  # a folder nobody wrote to yet: make it
            imap.create(_quoted(self._folder))
            self._check(*imap.select(_quoted(self._folder)), f"SELECT {self._folder}")
        validity = imap.response("UIDVALIDITY")[1]
        self.uidvalidity = int(validity[0]) if validity and validity[0] else 0

    async def close(self) -> None:
        self._stop.set()
        imap, self._imap = self._imap, None
        if imap is not None:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self._executor, _logout, imap)

    async def unprocessed(self) -> list[int]:
        return await self._run(self._unprocessed)

    def _unprocessed(self) -> list[int]:
        # A server reports letters appended since the last command only at the next one (RFC 3501
        # §5.2; Dovecot does so): without the NOOP a poll's SEARCH misses them until the following poll.
        self._check(*self.imap.noop(), "NOOP")
        criteria = ["UNDELETED"]
        if not self._processed:
            criteria += ["UNKEYWORD", PROCESSED_KEYWORD, "UNKEYWORD", FAILED_KEYWORD]
        data = self._check(*self.imap.uid("SEARCH", *criteria), "UID SEARCH")
        return sorted(int(u) for u in (data[0] or b"").split())

    async def fetch(self, uid: int) -> bytes | None:
        return await self._run(self._fetch, uid)

    def _fetch(self, uid: int) -> bytes | None:
        data = self._check(*self.imap.uid("FETCH", str(uid), "(UID BODY.PEEK[])"), "UID FETCH")
        for item in data:
            if isinstance(item, tuple) and len(item) == 2 and _UID.search(item[0]):
                return bytes(item[1])
        return None

    async def mark_processed(self, uid: int) -> None:
        await self._run(self._move, uid, self._processed, PROCESSED_KEYWORD)

    async def mark_failed(self, uid: int) -> None:
        await self._run(self._move, uid, self._failed, FAILED_KEYWORD)

    def _move(self, uid: int, folder: str, keyword: str) -> None:
        imap = self.imap
        if not folder:
            self._check(*imap.uid("STORE", str(uid), "+FLAGS", f"({keyword})"), "UID STORE")
            return
        if "MOVE" in self._capabilities:
            self._check(*imap.uid("MOVE", str(uid), _quoted(folder)), "UID MOVE")
            return
        self._check(*imap.uid("COPY", str(uid), _quoted(folder)), "UID COPY")
        self._check(*imap.uid("STORE", str(uid), "+FLAGS", "(\\Deleted)"), "UID STORE")
        if "UIDPLUS" in self._capabilities:
            imap.uid("EXPUNGE", str(uid))
        else:
            imap.expunge()

    async def wait_for_news(self, timeout: float) -> bool:
        if self._use_idle and "IDLE" in self._capabilities:
            return await self._run(self._idle, timeout)
        await asyncio.sleep(timeout)
        return False

    def _idle(self, timeout: float) -> bool:
        """RFC 2177 by hand: IDLE, wait for an untagged update (or the timeout, or a stop), DONE.

        A server may report a change it saw before IDLE ahead of its «+ idling»: that counts too.
        """
        imap = self.imap
        tag = imap._new_tag()
        imap.send(tag + b" IDLE\r\n")
        news = False
        while True:
            line = self._line()
            if line.startswith(b"+"):
                break
            if line.startswith(tag):
                raise imaplib.IMAP4.error(f"IDLE: {line!r}")
            news = news or _is_news(line)
        sock = imap.socket()
        deadline = time.monotonic() + timeout
        while not news and time.monotonic() < deadline and not self._stop.is_set():
            pending = isinstance(sock, ssl.SSLSocket) and sock.pending() > 0
            ready, _, _ = ([sock], [], []) if pending else select.select([sock], [], [], 1.0)
            if ready:
                news = _is_news(self._line())
        imap.send(b"DONE\r\n")
        while True:
            line = self._line()
            if line.startswith(tag):
                return news
            news = news or _is_news(line)

    def _line(self) -> bytes:
        line = self.imap.readline()
        if not line:
            raise imaplib.IMAP4.abort("сервер закрыл соединение во время IDLE")
        return line


def _is_news(line: bytes) -> bool:
    """An untagged update other than a keep-alive («* OK Still here»): new, gone or changed letters."""
    return line.startswith(b"*") and not line[2:].upper().startswith((b"OK", b"BYE"))


def _logout(imap: imaplib.IMAP4) -> None:
    try:
        imap.logout()
    except (OSError, imaplib.IMAP4.error, EOFError):
        pass
