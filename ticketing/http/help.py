"""``/help``: the public help page (§4.2.2.3) made of the very texts the bot says.

The scenario answers live once, as the bot's ``utter_faq/<key>`` responses in the Rasa project;
the page groups them by the themes of ``content/faq_themes.yml`` (ticketing/adapters/scenarios.py),
so the site and the chat cannot disagree. It shows the *published* version of the files
(``procedure.published``): an edit shows up at ``make publish``, together with the bot's new model,
without restarting the service; a file saved with a slip and not published changes nothing here.

Search (``ticketing.domain.help_search``: word forms, typos, best first) works without JavaScript
(``?q=``: the answers found come first, right under the search box, the best one open) and, with
it, as you type (help.js asks ``/help/search`` for the same ranking). The page carries the chat
widget, so «не нашли ответ» leads straight to the bot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, html, json

from ticketing.adapters.published_content import PublishedContent
from ticketing.adapters.scenarios import HelpTheme, load_help
from ticketing.domain.help_search import HelpIndex, Searchable
from ticketing.http.console.wiring import parts_of

FILES = Path(__file__).resolve().parent / "templates_help"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
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


def page_themes(themes: list[HelpTheme]) -> list[tuple[str, list[Entry]]]:
    return [(theme.title, [Entry(e.key, e.title, e.text) for e in theme.entries]) for theme in themes]


def search_index(themes: list[HelpTheme]) -> HelpIndex:
    return HelpIndex(Searchable(e.key, e.title, e.text, e.examples) for theme in themes for e in theme.entries)


def build_page(root: Path) -> tuple[list[tuple[str, list[Entry]]], HelpIndex]:
    """The themes with their entries, and the search index of the same version of the files."""
    loaded = load_help(root)
    return page_themes(loaded), search_index(loaded)


HelpContent = PublishedContent[tuple[list[tuple[str, list[Entry]]], HelpIndex]]


_environment: Environment | None = None


def environment() -> Environment:
    global _environment
    if _environment is None:
        env = Environment(loader=FileSystemLoader(FILES), autoescape=True, undefined=StrictUndefined)
        env.filters["answer"] = answer_html
        _environment = env
    return _environment


def content_of(request: Request) -> HelpContent:
    """The app's help content: the published version the console's scenarios come from too."""
    content: HelpContent | None = getattr(request.app.ctx, "help_content", None)
    if content is None:
        content = parts_of(request.app).follow_published(build_page)
        request.app.ctx.help_content = content
    return content


def _query(request: Request) -> str:
    return (request.args.get("q") or "").strip()[:MAX_QUERY]


@bp.get("/", strict_slashes=False)
async def help_page(request: Request) -> HTTPResponse:
    """All answers by theme; with ``?q=`` the answers found come first, best first, the rest hidden."""
    query = _query(request)
    themes_now, index = content_of(request).current()
    hits = [hit.key for hit in index.rank(query)] if query else []
    rank = {key: place for place, key in enumerate(hits)}
    found: list[dict[str, Any]] = []
    themes = []
    for number, (title, entries) in enumerate(themes_now, start=1):
        rows: list[dict[str, Any]] = []
        for order, entry in enumerate(entries):
            row = {"entry": entry, "theme": number, "order": order}
            (found if entry.key in rank else rows).append(row)
        themes.append({"number": number, "title": title, "rows": rows})
    found.sort(key=lambda row: rank[row["entry"].key])
    body = (
        environment().get_template("help.html").render(themes=themes, found=found, query=query, searching=bool(query))
    )
    return html(body, headers=HEADERS)


@bp.get("/search")
async def help_search(request: Request) -> HTTPResponse:
    """The keys of the answers for ``?q=``, best first: help.js reorders the page as you type."""
    _, index = content_of(request).current()
    query = _query(request)
    keys = [hit.key for hit in index.rank(query)] if query else []
    return json({"query": query, "keys": keys}, headers={**HEADERS, "Cache-Control": "no-store"})
