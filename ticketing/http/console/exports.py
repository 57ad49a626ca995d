"""CSV and XLSX exports of any filtered list, readable by Russian Excel and LibreOffice.

CSV uses «;» and a UTF-8 BOM (what Russian-locale Excel expects). Cells that start like a
formula are prefixed with an apostrophe in both formats: a requester's «=HYPERLINK(…)» must
stay text in the operator's spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sanic.response import HTTPResponse, raw

from ticketing.domain.deadline_state import DeadlineState
from ticketing.domain.sla import MOSCOW
from ticketing.http.console.present import (
    CHANNEL_LABELS_RU,
    DEADLINE_RU,
    QUESTION_TYPE_LABELS_RU,
    REASON_RU,
    REQUESTER_ROLE_LABELS_RU,
    STATUS_RU,
)
from ticketing.services.read_models import QueueRow

Cell = str | int | float | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

QUEUE_HEADER = (
    "Номер",
    "Канал",
    "Тип вопроса",
    "Регион",
    "Роль заявителя",
    "Логин",
    "Почта",
    "Тема",
    "Статус",
    "Линия",
    "Поступило (МСК)",
    "Срок ответа (МСК)",
    "Состояние срока",
    "Исполнитель",
    "Ответственный на линии 1",
    "Причина «без ответа»",
    "Первый ответ (МСК)",
    "Решено (МСК)",
)


def _time(moment: datetime | None) -> str:
    """«2026-11-28 05:59:54», Moscow time (``isoformat``: a third cheaper than ``strftime``, 4 a row)."""
    return moment.astimezone(MOSCOW).isoformat(sep=" ", timespec="seconds")[:19] if moment else ""


def queue_rows(rows: Iterable[tuple[QueueRow, DeadlineState]]) -> list[list[Cell]]:
    return [
        [
            r.number,
            CHANNEL_LABELS_RU.get(r.channel, r.channel),
            QUESTION_TYPE_LABELS_RU.get(r.question_type or "", ""),
            r.region or "",
            REQUESTER_ROLE_LABELS_RU.get(r.role or "", ""),
            r.login or "",
            r.email or "",
            r.subject,
            STATUS_RU.get(r.status, r.status),
            r.line,
            _time(r.created_at),
            _time(r.due_at),
            DEADLINE_RU[state.value],
            r.assignee or "",
            r.owner or "",
            REASON_RU.get(r.resolution_reason or "", ""),
            _time(r.first_answered_at),
            _time(r.resolved_at),
        ]
        for r, state in rows
    ]


def safe(cell: Cell) -> Cell:
    """A cell that stays text, without the control characters a worksheet cannot hold.

    The entries remove them (procedure.text_safety), but a row stored before that may still carry a NUL,
    and one such cell made the whole XLSX export fail. ``isprintable`` spares the regex almost every cell.
    """
    if not isinstance(cell, str):
        return cell
    text: str = cell if cell.isprintable() else ILLEGAL_CHARACTERS_RE.sub("", cell)
    return "'" + text if text.startswith(FORMULA_START) else text


def _disposition(filename: str) -> str:
    return f"attachment; filename=\"export.{filename.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(filename)}"


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> HTTPResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:  # ``safe`` written out: a call per cell was a fifth of a 17,000-row export
        writer.writerow(
            ["" if c is None else "'" + c if isinstance(c, str) and c.startswith(FORMULA_START) else c for c in row]
        )
    body = "\ufeff" + buffer.getvalue()
    return raw(
        body.encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": _disposition(filename), "Cache-Control": "no-store"},
    )


def xlsx_response(filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]) -> HTTPResponse:
    """One workbook, one sheet per (title, header, rows); write-only mode keeps memory flat."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append([safe(c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return raw(
        buffer.getvalue(),
        content_type=XLSX_TYPE,
        headers={"Content-Disposition": _disposition(filename), "Cache-Control": "no-store"},
    )
