"""The outgoing server of replies, with the standard library's ``smtplib`` on a worker thread.

A connection per letter: replies are few (tens an hour), and a fresh connection never trips
over a server that closed an idle one. Refusals are sorted for the outbox: a 5xx (no such
mailbox, a letter refused for its content) is permanent and stops the retries; anything else
(4xx, a dropped connection, a refused login or sender — our setup, fixable) is tried again
later. Error texts carry the server's words, never the password.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl

from ticketing.config import MailServer
from ticketing.services.mail_ports import MailSendError, MailTransport


class SmtpTransport(MailTransport):
    def __init__(self, server: MailServer, *, ssl_context: ssl.SSLContext | None = None) -> None:
        self._server = server
        self._ssl = ssl_context

    async def send(self, message: bytes, *, sender: str, recipients: list[str]) -> None:
        await asyncio.to_thread(self._send, message, sender, recipients)

    def _send(self, message: bytes, sender: str, recipients: list[str]) -> None:
        server = self._server
        context = self._ssl or ssl.create_default_context()
        try:
            if server.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=context)
            else:
                smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
            with smtp:
                if server.security == "starttls":
                    smtp.starttls(context=context)
                if server.user:
                    smtp.login(server.user, server.password)
                refused = smtp.sendmail(sender, recipients, message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            text = "; ".join(f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in exc.recipients.items())
            raise MailSendError(
                f"почтовый сервер отклонил адрес — {text}", permanent=all(c >= 500 for c in codes)
            ) from exc
        except smtplib.SMTPAuthenticationError as exc:  # our configuration, not the letter: retry once it is fixed
            raise MailSendError(
                f"почтовый сервер не принял логин ({exc.smtp_code}): проверьте MAIL_SMTP_USER и MAIL_SMTP_PASSWORD"
            ) from exc
        except smtplib.SMTPDataError as exc:  # the letter itself refused (size, content): for good when 5xx
            raise MailSendError(
                f"почтовый сервер отклонил письмо: {exc.smtp_code} {_text(exc.smtp_error)}",
                permanent=exc.smtp_code >= 500,
            ) from exc
        except smtplib.SMTPResponseException as exc:  # our sender refused, a 4xx: the setup or a moment
            raise MailSendError(f"почтовый сервер ответил {exc.smtp_code} {_text(exc.smtp_error)}") from exc
        except UnicodeEncodeError as exc:  # smtplib logs in and addresses in ASCII only
            raise MailSendError(f"не отправить: не-ASCII символы в логине, пароле или адресе ({exc.reason})") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise MailSendError(
                f"почтовый сервер {server.host}:{server.port} недоступен: {type(exc).__name__}"
            ) from exc
        if refused:
            text = "; ".join(f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in refused.items())
            raise MailSendError(f"почтовый сервер отклонил адрес — {text}", permanent=True)


def _text(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())[:300]
