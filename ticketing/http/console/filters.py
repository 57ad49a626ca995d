"""Reading the filters of a list from the query string: unknown values are dropped, not trusted.

The search («номер, почта или логин») is the one filter that holds personal data, so it never goes into a
URL, where access logs, proxies and the browser's history would keep it (152-ФЗ): the form posts it
(``POST /console/queue``), and it lives in a cookie of the console (``SEARCH_COOKIE``, HttpOnly, this
browser's session only) that every list, its live updates and its exports read.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlencode

from sanic import Request

from ticketing.bootstrap import Container
from ticketing.domain.deadline_state import DeadlineState
from ticketing.domain.staff import StaffUser
from ticketing.domain.tickets import Channel, QuestionType, Status
from ticketing.services.console_ports import QueueFilter

# Deeper pages cost more with every step (OFFSET) and nobody reads them: narrow the filters or export.
MAX_PAGE = 200
FILTER_KEYS = ("channel", "region", "question_type", "status", "deadline")  # in the URL: no personal data
SEARCH_COOKIE = "bvb_console_search"
SEARCH_MAX = 200


@dataclass(frozen=True)
class Picked:
    tab: str
    flt: QueueFilter
    page: int
    query: dict[str, str]  # the recognised parameters, to build links and exports
    search: str = ""  # from the cookie, never in a link

    def url(self, path: str, **override: str | int) -> str:
        params = {**self.query, "tab": self.tab, **{k: str(v) for k, v in override.items()}}
        return f"{path}?{urlencode({k: v for k, v in params.items() if v not in ('', None)})}"


def region_choices(container: Container, user: StaffUser) -> list[str]:
    """The regions a person may filter by: their own for line 2, all 89 for the others."""
    if user.scope.region_filter is not None:
        return sorted(user.scope.region_filter)
    return sorted(r.name for r in container.regions.all())


def search_of(request: Request) -> str:
    """The search the form posted (its cookie), or empty."""
    return unquote(str(request.cookies.get(SEARCH_COOKIE) or "")).strip()[:SEARCH_MAX]


def search_cookie_value(search: str) -> str:
    """The cookie's value: percent-encoded, since a cookie carries neither spaces nor Cyrillic."""
    return quote(search.strip()[:SEARCH_MAX], safe="")


def picked(request: Request, container: Container, user: StaffUser, tabs: list[str]) -> Picked:
    args = {k: str(request.args.get(k, "")).strip() for k in (*FILTER_KEYS, "tab", "page")}
    query: dict[str, str] = {}
    allowed = {
        "channel": {c.value for c in Channel},
        "question_type": {q.value for q in QuestionType},
        "status": {s.value for s in Status},
        "deadline": {d.value for d in DeadlineState},
        "region": set(region_choices(container, user)),
    }
    for key, values in allowed.items():
        if args[key] in values:
            query[key] = args[key]
    search = search_of(request)
    tab = args["tab"] if args["tab"] in tabs else tabs[0]
    page = min(int(args["page"]), MAX_PAGE) if args["page"].isdigit() and int(args["page"]) > 0 else 1
    flt = QueueFilter(
        channel=query.get("channel"),
        region=query.get("region"),
        question_type=query.get("question_type"),
        status=query.get("status"),
        deadline=query.get("deadline"),
        search=search or None,
    )
    return Picked(tab=tab, flt=flt, page=page, query=query, search=search)
