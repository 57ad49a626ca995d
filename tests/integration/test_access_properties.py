"""The SQL form of the access scope selects exactly the tickets ``AccessScope.can_see`` lets through.

Every list, queue, export, report and the event stream filter with ``scope_conditions``; the cards
check a loaded ticket with ``can_see``. Hypothesis generates staff and tickets and runs the very
conditions on SQLite (the PostgreSQL form is the same SQL: a column ``IN`` list and a bare boolean).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import and_, select, true
from sqlalchemy.dialects import sqlite

from ticketing.adapters.orm import tickets
from ticketing.adapters.ticket_conditions import scope_conditions
from ticketing.domain.access import AccessScope, ApiRole

REGIONS = ("Республика Татарстан", "Свердловская область", "г. Москва", "Чувашская Республика — Чувашия")

scopes = st.builds(
    AccessScope,
    role=st.sampled_from(ApiRole),
    regions=st.lists(st.sampled_from(REGIONS), unique=True, max_size=3).map(tuple),
)
rows = st.lists(
    st.tuples(st.none() | st.sampled_from(REGIONS), st.frozensets(st.sampled_from([2, 3]))),
    min_size=1,
    max_size=12,
)


def where_sql(scope: AccessScope) -> str:
    condition = and_(true(), *scope_conditions(scope))
    query = select(tickets.c.number).where(condition)
    return str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


@settings(
    max_examples=200, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(scopes, rows)
def test_sql_scope_selects_what_can_see_allows(
    scope: AccessScope, generated: list[tuple[str | None, frozenset[int]]]
) -> None:
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute("CREATE TABLE tickets (number TEXT, region TEXT, handed_line2 BOOLEAN, handed_line3 BOOLEAN)")
        db.executemany(
            "INSERT INTO tickets VALUES (?, ?, ?, ?)",
            [(str(i), region, 2 in handed, 3 in handed) for i, (region, handed) in enumerate(generated)],
        )
        selected = {number for (number,) in db.execute(where_sql(scope))}
    expected = {
        str(i) for i, (region, handed) in enumerate(generated) if scope.can_see(region=region, handed_to=handed)
    }
    assert selected == expected, where_sql(scope)
