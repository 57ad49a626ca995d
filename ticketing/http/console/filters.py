"""Reading the filters of a list from the query string: unknown values are dropped, not trusted."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from sanic import Request

from ticketing.bootstrap import Container
from ticketing.domain.deadline_state import DeadlineState
from ticketing.domain.staff import StaffUser
from ticketing.domain.tickets import Channel, QuestionType, Status
from ticketing.services.console_ports import QueueFilter

# Deeper pages cost more with every step (OFFSET) and nobody reads them: narrow the filters or export.
MAX_PAGE = 200
FILTER_KEYS = ("channel", "region", "question_type", "status", "deadline", "q")


@dataclass(frozen=True)
class Picked:
    tab: str
    flt: QueueFilter
    page: int
    query: dict[str, str]  # the recognised parameters, to build links and exports

    def url(self, path: str, **override: str | int) -> str:
        params = {**self.query, "tab": self.tab, **{k: str(v) for k, v in override.items()}}
        return f"{path}?{urlencode({k: v for k, v in params.items() if v not in ('', None)})}"


def region_choices(container: Container, user: StaffUser) -> list[str]:
    """The regions a person may filter by: their own for line 2, all 89 for the others."""
    if user.scope.region_filter is not None:
        return sorted(user.scope.region_filter)
    return sorted(r.name for r in container.regions.all())


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
    if args["q"]:
        query["q"] = args["q"][:200]
    tab = args["tab"] if args["tab"] in tabs else tabs[0]
    page = min(int(args["page"]), MAX_PAGE) if args["page"].isdigit() and int(args["page"]) > 0 else 1
    flt = QueueFilter(
        channel=query.get("channel"),
        region=query.get("region"),
        question_type=query.get("question_type"),
        status=query.get("status"),
        deadline=query.get("deadline"),
        search=query.get("q"),
    )
    return Picked(tab=tab, flt=flt, page=page, query=query)
