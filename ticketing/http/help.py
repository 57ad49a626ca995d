"""``/help``: the public help page (§4.2.2.3) made of the very texts the bot says.

The scenario answers live once, as the bot's ``utter_faq/<key>`` responses in the Rasa project;
the page groups them by the themes of ``content/faq_themes.yml`` (ticketing/adapters/scenarios.py),
so the site and the chat cannot disagree. The files are re-read when one of them changes, so a
published edit shows up without restarting the service. Search works without JavaScript
(``?q=``: matching answers open, the rest hidden) and, with it, as you type (help.js).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, html

from ticketing.adapters.scenarios import HelpTheme, help_sources, load_help
from ticketing.http.console.wiring import parts_of

FILES = Path(__file__).resolve().parent / "templates_help"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "public, max-age=300",
}
MAX_QUERY = 200

bp = Blueprint("help", url_prefix="/help")
bp.static("/static", FILES / "static", name="files")

_URL = re.compile(r"(https?://[^\s<>«»\"]+?)(?=[.,;:!?)»]*(?:\s|$))")
_EMAIL = re.compile(r"\b([\w.+-]+@[\w-]+(?:\.[\w-]+)+)\b")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case with «ё» as «е»: how both the page and its script compare words."""
    return text.casefold().replace("ё", "е")


def query_stems(query: str) -> list[str]:
    """Search words cut to a stem («пароля» and «пароль» both find «парол»); help.js does the same."""
    return [word[: max(4, len(word) - 2)] for word in _WORD.findall(fold(query))]


def answer_html(text: str) -> Markup:
    """The answer as safe HTML: escaped, line breaks kept, links and e-mails clickable."""
    escaped = str(escape(text))
    escaped = _URL.sub(r'<a href="\1">\1</a>', escaped)
    escaped = _EMAIL.sub(r'<a href="mailto:\1">\1</a>', escaped)
    return Markup(escaped.replace("\n", "<br>\n"))


@dataclass(frozen=True)
class Entry:
    """One question on the page with its search words."""

    key: str
    title: str
    text: str
    search: str  # folded title, answer and the ways people ask it


def page_themes(themes: list[HelpTheme]) -> list[tuple[str, list[Entry]]]:
    return [
        (
            theme.title,
            [Entry(e.key, e.title, e.text, fold(" ".join((e.title, e.text, *e.examples)))) for e in theme.entries],
        )
        for theme in themes
    ]


class HelpContent:
    """The page's content, rebuilt when a source file changes (cheap: a few ``stat`` calls)."""

    def __init__(self, project_root: Path) -> None:
        self._root = project_root
        self._lock = threading.Lock()
        self._signature: tuple[Any, ...] | None = None
        self._themes: list[tuple[str, list[Entry]]] = []

    def themes(self) -> list[tuple[str, list[Entry]]]:
        signature = tuple(
            (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in help_sources(self._root) if p.is_file()
        )
        with self._lock:
            if signature != self._signature:
                self._themes = page_themes(load_help(self._root))
                self._signature = signature
            return self._themes


_environment: Environment | None = None


def environment() -> Environment:
    global _environment
    if _environment is None:
        env = Environment(loader=FileSystemLoader(FILES), autoescape=True, undefined=StrictUndefined)
        env.filters["answer"] = answer_html
        _environment = env
    return _environment


def content_of(request: Request) -> HelpContent:
    """The app's help content; the project root is the one the console reads scenarios from."""
    content: HelpContent | None = getattr(request.app.ctx, "help_content", None)
    if content is None:
        content = HelpContent(parts_of(request.app).settings.project_root)
        request.app.ctx.help_content = content
    return content


@bp.get("/", strict_slashes=False)
async def help_page(request: Request) -> HTTPResponse:
    """All answers by theme; with ``?q=`` the matching ones open and the others hidden."""
    query = (request.args.get("q") or "").strip()[:MAX_QUERY]
    stems = query_stems(query)
    themes = []
    found = 0
    for title, entries in content_of(request).themes():
        rows = []
        for entry in entries:
            match = all(stem in entry.search for stem in stems) if stems else True
            found += bool(stems) and match
            rows.append({"entry": entry, "match": match})
        themes.append({"title": title, "rows": rows, "visible": any(r["match"] for r in rows)})
    body = (
        environment().get_template("help.html").render(themes=themes, query=query, searching=bool(stems), found=found)
    )
    return html(body, headers=HEADERS)
