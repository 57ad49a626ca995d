"""The ticket number in a URL, read one way by the API and the console (issue 16)."""

from __future__ import annotations

from urllib.parse import unquote

from procedure.ticket_numbers import parse_number
from ticketing.http.errors import ApiError


def number_in_path(raw: str) -> str | None:
    """«БВБ-000123», «бвб 123» or «123» as Sanic hands it over (still percent-encoded); ``None`` if not a number."""
    return parse_number(unquote(raw))


def not_found_ru(raw: str) -> str:
    return f"Обращение «{unquote(raw)}» не найдено. Номер выглядит так: БВБ-000123."


def number_or_404(raw: str) -> str:
    """For the API: the number, or a 404 in Russian that shows the expected form."""
    number = number_in_path(raw)
    if number is None:
        raise ApiError(404, "not_found", not_found_ru(raw))
    return number
