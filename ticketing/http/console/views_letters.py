"""Downloads of a mail ticket's letters and attachments: always saved, never shown inline (§4.1, §4.3)."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, raw

from ticketing.bootstrap import Container
from ticketing.domain.mail.downloads import download_headers
from ticketing.domain.staff import StaffUser
from ticketing.http.console.auth import staff_only
from ticketing.http.console.render import page
from ticketing.http.console.views_ticket import not_found
from ticketing.http.paths import number_in_path
from ticketing.services import mail_files

bp = Blueprint("console_letters", url_prefix="/console")


async def _send(request: Request, raw_number: str, mail_id: int, index: int | None) -> HTTPResponse:
    container: Container = request.app.ctx.container
    user: StaffUser = request.ctx.staff
    number = number_in_path(raw_number)
    if number is None:
        return await not_found(request, raw_number)
    try:
        if index is None:
            file = await mail_files.original_letter(container.uow(), number, user.scope, mail_id)
        else:
            file = await mail_files.attachment(container.uow(), number, user.scope, mail_id, index)
    except mail_files.FileUnavailable as exc:
        return await page(request, "error.html", status=409, title="Файл недоступен", message=str(exc))
    if file is None:
        return await not_found(request, raw_number)
    headers = download_headers(file.filename, file.content_type)
    return raw(file.content, content_type=headers.pop("Content-Type"), headers=headers)


@bp.get("/tickets/<raw_number:str>/letters/<mail_id:int>/original")
@staff_only()
async def original(request: Request, raw_number: str, mail_id: int) -> HTTPResponse:
    return await _send(request, raw_number, mail_id, None)


@bp.get("/tickets/<raw_number:str>/letters/<mail_id:int>/attachments/<index:int>")
@staff_only()
async def attachment(request: Request, raw_number: str, mail_id: int, index: int) -> HTTPResponse:
    return await _send(request, raw_number, mail_id, index)
