"""The access log of personal data from the HTTP side: who (a staff member or a token), from which address.

Handlers call :func:`record` after they have read the data; the entry (services/personal_data_ports.py)
names the tickets, and the list's filter with any e-mail or login in it masked.
"""

from __future__ import annotations

from collections.abc import Iterable

from sanic import Request

from procedure.personal_data import mask_text
from ticketing.services.personal_data import Accessor, record_access


def accessor_of(request: Request) -> Accessor:
    """The console's staff member (``staff:login``) or the API token (``token:name``), with the client address."""
    address = request.remote_addr or request.ip or None
    staff = getattr(request.ctx, "staff", None)
    if staff is not None:
        return Accessor(actor=f"staff:{staff.login}", role=staff.role.value, address=address)
    token = request.ctx.token
    return Accessor(actor=f"token:{token.name}", role=token.role.value, address=address)


async def record(request: Request, action: str, tickets: Iterable[str | None], subject: str | None = None) -> None:
    """One entry; ``subject`` defaults to the request's path and query (masked)."""
    container = request.app.ctx.container
    numbers = [n for n in tickets if n]
    what = (
        subject if subject is not None else request.path + (f"?{request.query_string}" if request.query_string else "")
    )
    entry = accessor_of(request).entry(container.clock(), action, mask_text(what), numbers)
    await record_access(container.uow, entry)
