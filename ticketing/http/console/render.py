"""Jinja2 templates with autoescaping: whatever a requester wrote is shown as text, never as markup."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sanic import Request
from sanic.response import HTTPResponse, html

from ticketing.http.console.present import TEMPLATE_GLOBALS
from ticketing.services import known_issues

TEMPLATES = Path(__file__).resolve().parent / "templates"
SECURITY_HEADERS = {
    # Our own scripts and styles only: an injected <script> would not run even if it got through.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(TEMPLATE_GLOBALS)
    return env


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTTPResponse:
    """A page; the signed-in user and their CSRF token are in every template's context."""
    session = getattr(request.ctx, "session", None)
    context.setdefault("user", getattr(request.ctx, "staff", None))
    context.setdefault("csrf", session.csrf if session is not None else "")
    context.setdefault("banner_issues", [])
    context.setdefault("section", "")
    body = environment().get_template(template).render(**context)
    return html(body, status=status, headers=SECURITY_HEADERS)


async def page(request: Request, template: str, *, status: int = 200, **context: Any) -> HTTPResponse:
    """A page with the banner of active known issues (§5.5), which line 1 sees on every screen."""
    issues = await known_issues.list_issues(request.app.ctx.container.uow(), active_only=True)
    return render(request, template, status=status, banner_issues=[i for i, _ in issues][:5], **context)
