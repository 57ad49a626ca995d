# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""Queues of each line, their filters and counters, exports, and line 2's region boundary on every route."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import quote

from openpyxl import load_workbook

from tests.integration.console_helpers import (  # noqa: F401
    Console,
    cheap_password_hashes,
    console,
    sign_in,
    ticket_path,
)
from tests.integration.test_api_tickets import CHAT_TICKET
from ticketing.http.console.sse import visible

PERM = {**CHAT_TICKET, "region": "Пермский край", "login": "perm2011", "email": "perm@example.ru"}
MAIL = {**CHAT_TICKET, "channel": "project_email", "conversation_id": None, "transcript": [], "region": None}


async def test_line1_sees_new_tickets_sorted_by_deadline_with_counters(console: Console) -> None:
    first = await console.ticket()
    second = await console.ticket({**PERM, "channel": "union_email"})  # 30 days to answer
    page = await console["line1"].get("/console/queue")
    assert page.status == 200
    assert page.text.index(first) < page.text.index(second)  # the earlier deadline first
    assert 'data-queue="new">2<' in page.text and 'data-queue="mine">0<' in page.text
    await console["line1"].post(ticket_path(first, "claim"))
    page = await console["line1"].get("/console/queue?tab=mine")
    assert first in page.text and second not in page.text
    assert 'data-queue="new">1<' in page.text and 'data-queue="mine">1<' in page.text
    other = await console["line1b"].get("/console/queue?tab=mine")
    assert first not in other.text


async def test_filters_narrow_the_list(console: Console) -> None:
    chat = await console.ticket()
    mail = await console.ticket(MAIL)
    perm = await console.ticket(PERM)
    olga = console["line1"]
    page = await olga.get("/console/queue?tab=all&channel=project_email")
    assert mail in page.text and chat not in page.text
    page = await olga.get("/console/queue?tab=all&region=" + quote("Пермский край"))
    assert perm in page.text and chat not in page.text
    await olga.post("/console/queue", {"tab": "all", "q": perm.lower().replace("-", " ")})
    page = await olga.get("/console/queue?tab=all")
    assert perm in page.text and chat not in page.text
    await olga.post("/console/queue", {"tab": "all"})  # «Сбросить»
    page = await olga.get("/console/queue?tab=all&deadline=breached")
    assert "В очереди пусто" in page.text
    await console.advance(timedelta(days=20))
    page = await olga.get("/console/queue?tab=all&deadline=breached")
    assert chat in page.text and "срок нарушен" in page.text
    page = await olga.get("/console/queue?tab=all&status=bogus&channel=<script>")
    assert page.status == 200 and chat in page.text  # unknown values are dropped, not echoed


async def test_a_search_by_email_never_goes_into_a_url(console: Console) -> None:
    """An address typed into «Поиск» is posted and kept in the console's cookie: no link, redirect, live URL
    or export link of the console carries it (access logs, proxies, the browser's history; 152-ФЗ)."""
    chat = await console.ticket()
    perm = await console.ticket(PERM)
    olga = console["line1"]
    page = await olga.get("/console/queue?tab=all")
    assert '<form class="filters" method="post" action="/console/queue"' in page.text

    searched = await olga.post("/console/queue", {"tab": "all", "q": "Perm@Example.ru ", "channel": "chat"})
    assert searched.status == 303
    assert searched.headers["location"] == "/console/queue?channel=chat&tab=all"
    page = await olga.get(searched.headers["location"])
    assert perm in page.text and chat not in page.text  # the search applies
    assert 'value="Perm@Example.ru"' in page.text  # and is shown in its box, not in a link
    urls = re.findall(r'(?:href|action|data-live-url)="([^"]*)"', page.text)
    assert urls and not [u for u in urls if "perm" in u.lower() or "%40" in u or "@" in u]
    live = await olga.get("/console/queue/live?tab=all")
    assert perm in live.text and chat not in live.text  # the live updates read the same search
    export = await olga.get("/console/queue/export.csv?tab=all")
    assert perm in export.content.decode("utf-8-sig") and chat not in export.content.decode("utf-8-sig")

    ignored = await olga.get("/console/queue?tab=all&q=nobody@example.ru")  # an old link's ?q= is not read
    assert perm in ignored.text
    reset = await olga.post("/console/queue", {"tab": "all"})
    assert reset.status == 303 and reset.headers["location"] == "/console/queue?tab=all"
    page = await olga.get(reset.headers["location"])
    assert perm in page.text and chat in page.text and 'value="Perm@Example.ru"' not in page.text
    await olga.post("/console/queue", {"tab": "all", "q": "perm@example.ru"})
    assert (await olga.post("/console/logout")).status == 303
    assert "bvb_console_search" not in olga.client.cookies
    assert (await sign_in(olga.client, olga.login)).status == 303  # the next person at this browser: unfiltered
    page = await olga.get("/console/queue?tab=all")
    assert chat in page.text and perm in page.text


async def test_live_fragment_has_the_tabs_and_the_rows(console: Console) -> None:
    number = await console.ticket()
    fragment = await console["line1"].get("/console/queue/live?tab=new")
    assert fragment.status == 200 and number in fragment.text
    assert "<html" not in fragment.text and 'data-queue="new"' in fragment.text


async def test_exports_follow_the_filters_and_keep_formulas_as_text(console: Console) -> None:
    await console.ticket({**CHAT_TICKET, "description": '=HYPERLINK("http://evil";"жми") не открывается тест'})
    await console.ticket(PERM)
    response = await console["line1"].get("/console/queue/export.csv?tab=all&region=" + quote("Республика Татарстан"))
    assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Номер;Канал;Тип вопроса;Регион")
    assert len(lines) == 2 and "Пермский" not in text
    assert "'=HYPERLINK" in text and ';"=HYPERLINK' not in text and ";=HYPERLINK" not in text
    response = await console["line1"].get("/console/queue/export.xlsx?tab=all")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.values)
    assert rows[0][0] == "Номер" and len(rows) == 3
    assert any(str(cell).startswith("'=HYPERLINK") for row in rows for cell in row if cell)


async def test_line2_sees_and_touches_only_its_regions(console: Console) -> None:
    own = await console.ticket()
    foreign = await console.ticket(PERM)
    olga = console["line1"]
    for number in (own, foreign):
        await olga.post(ticket_path(number, "claim"))
        response = await olga.post(ticket_path(number, "transfer"), {"line": "2", "comment": "Организационный вопрос"})
        assert response.status == 303
    rustam = console["line2"]
    queue = await rustam.get("/console/queue")
    assert own in queue.text and foreign not in queue.text
    for tab in ("line2", "mine", "all"):
        page = await rustam.get(f"/console/queue?tab={tab}&region=" + quote("Пермский край"))
        assert foreign not in page.text, tab
    assert (await rustam.get(ticket_path(own))).status == 200
    page = await rustam.get(ticket_path(foreign))
    assert page.status == 404 and "вне ваших регионов" in page.text and "Пермский" not in page.text
    for action, data in (("claim", {}), ("return", {"comment": "x"}), ("link", {"issue_id": "1"})):
        response = await rustam.post(ticket_path(foreign, action), data)
        assert response.status == 404, action
    for action in ("reply", "close", "transfer"):
        response = await rustam.post(ticket_path(own, action), {"text": "x", "comment": "x", "line": "3"})
        assert response.status == 403, action
    export = await rustam.get("/console/queue/export.csv?tab=all")
    assert own in export.content.decode("utf-8-sig") and foreign not in export.content.decode("utf-8-sig")
    live = await rustam.get("/console/queue/live?tab=all")
    assert foreign not in live.text
    dashboard = await rustam.get("/console/dashboard")
    assert "Пермский край" not in dashboard.text
    dashboard_csv = await rustam.get("/console/dashboard/export.csv")
    assert "Пермский" not in dashboard_csv.content.decode("utf-8-sig")
    assert (await rustam.get("/console/admin/users")).status == 403
    response = await rustam.post(ticket_path(own, "claim"))
    assert response.status == 303
    response = await rustam.post(ticket_path(own, "return"), {"comment": "Профпробы в Казани с 1 декабря"})
    assert response.status == 303


def test_event_stream_of_line2_is_filtered_by_region() -> None:
    from datetime import UTC, datetime

    from ticketing.domain.access import ApiRole
    from ticketing.domain.staff import StaffUser

    rustam = StaffUser(
        login="rop",
        name="Р",
        role=ApiRole.LINE2,
        password_hash="x",
        created_at=datetime.now(UTC),
        regions=("Республика Татарстан",),
    )
    olga = StaffUser(login="o", name="О", role=ApiRole.LINE1, password_hash="x", created_at=datetime.now(UTC))
    assert visible(rustam, {"region": "Республика Татарстан", "handed_to": [2]})
    assert not visible(rustam, {"region": "Республика Татарстан", "handed_to": []})  # §4.5: not handed to it
    assert not visible(rustam, {"region": "Пермский край", "handed_to": [2]})
    assert not visible(rustam, {"region": None, "handed_to": [2]})
    assert visible(olga, {"region": "Пермский край"})


async def test_line3_sees_only_what_was_escalated_to_it(console: Console) -> None:
    kept = await console.ticket()
    escalated = await console.ticket(PERM)
    olga = console["line1"]
    await olga.post(ticket_path(escalated, "claim"))
    await olga.post(ticket_path(escalated, "transfer"), {"line": "3", "comment": "Белый экран, инструкция не помогла"})
    denis = console["line3"]
    queue = await denis.get("/console/queue")
    assert escalated in queue.text and kept not in queue.text
    assert (await denis.get(ticket_path(kept))).status == 404
    assert (await denis.get(ticket_path(escalated))).status == 200
