"""Adding up the dashboard's days: exact medians from sorted runs, the days kept between visits."""

from __future__ import annotations

import math
import random
import statistics
from array import array
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ticketing.adapters.dashboard_days import DayCache, DayPart, combine, kth, median
from ticketing.services.read_models import DayCount, Share


def percentile_cont(values: list[float]) -> float:
    """PostgreSQL's ``percentile_cont(0.5)``, straight from its definition."""
    ordered = sorted(values)
    position = 0.5 * (len(ordered) - 1)
    low, high = ordered[math.floor(position)], ordered[math.ceil(position)]
    return low + (position - math.floor(position)) * (high - low)


@pytest.mark.parametrize("seed", range(40))
def test_median_of_runs_is_the_median_of_all_values(seed: int) -> None:
    rng = random.Random(seed)
    runs = [
        sorted(rng.choice((rng.random() * 500_000, float(rng.randrange(50)))) for _ in range(rng.randrange(0, 300)))
        for _ in range(rng.randrange(1, 40))
    ]
    values = [v for run in runs for v in run]
    if not values:
        assert median(runs) is None
        return
    assert median(runs) == percentile_cont(values)
    assert median([array("d", run) for run in runs]) == percentile_cont(values)
    ordered = sorted(values)
    for k in {0, len(values) // 3, len(values) // 2, len(values) - 1}:
        assert kth(runs, k) == ordered[k]


def test_median_of_one_value_two_values_and_of_equal_values() -> None:
    assert median([[5.0]]) == 5.0
    assert median([[1.0], [], [4.0]]) == 2.5
    assert median([[7.0] * 1000, [7.0] * 999]) == 7.0
    assert median([[], []]) is None
    assert median([[1.0, 2.0], [3.0]]) == statistics.median([1.0, 2.0, 3.0])


def part(fingerprint: tuple[int, int, int] = (1, 1, 0), **fields: Any) -> DayPart:
    return DayPart(fingerprint=fingerprint, **fields)


def test_cache_gives_a_day_back_only_with_the_same_fingerprint() -> None:
    cache = DayCache()
    counted = part((3, 6, 1))
    cache.keep("day", counted)
    assert cache.fresh("day", (3, 6, 1)) is counted
    assert cache.fresh("day", (3, 6, 2)) is None  # a ticket was saved since
    assert cache.fresh("day", (4, 10, 1)) is None  # a ticket was added since
    assert cache.fresh("other day", (3, 6, 1)) is None


def test_cache_forgets_the_least_recently_used_days_past_its_limit() -> None:
    cache = DayCache(limit=250)
    for day in ("a", "b", "c"):
        cache.keep(day, part(to_first_answer=array("d", range(100))))
    assert len(cache) == 2 and cache.fresh("a", (1, 1, 0)) is None
    assert cache.fresh("b", (1, 1, 0)) is not None  # used: now the most recent
    cache.keep("d", part(to_first_answer=array("d", range(100))))
    assert cache.fresh("c", (1, 1, 0)) is None and cache.fresh("b", (1, 1, 0)) is not None


def test_combine_adds_up_days_and_compares_open_deadlines_with_now() -> None:
    now = datetime(2026, 11, 20, 9, tzinfo=UTC)
    monday = part(
        created=3,
        counts={("status", "closed"): 2, ("status", "new"): 1, ("line", "1"): 1, ("region", "Москва"): 3},
        answered={"Москва": (1, 1)},
        resolved={"2026-11-16": 1, "2026-11-17": 1},
        to_first_answer=array("d", [60.0, 180.0]),
        to_resolution=array("d", [60.0, 7200.0]),
        open_due=[now - timedelta(hours=1)],
        returns={2: (1, 1)},
    )
    tuesday = part(
        created=2,
        counts={("status", "closed"): 1, ("status", "new"): 1, ("line", "2"): 1, ("region", "Пермский край"): 2},
        answered={"Пермский край": (1, 0)},
        resolved={"2026-11-17": 1},
        to_first_answer=array("d", [120.0]),
        to_resolution=array("d", [120.0, 150.0]),
        open_due=[now, now + timedelta(days=1)],  # due this very moment: not yet overdue
        returns={3: (0, 1)},
    )
    period = combine([("2026-11-16", monday), ("2026-11-17", tuesday)], now)
    summary = period.summary
    assert summary.total == 5 and summary.by_status == {"closed": 3, "new": 2}
    assert summary.by_line == {"1": 1, "2": 1}
    assert summary.by_region == {"Москва": 3, "Пермский край": 2}
    assert (summary.answered_in_time, summary.answered_late, summary.open_breached) == (2, 1, 1)
    assert period.in_time_by_region == {"Москва": Share(1, 2), "Пермский край": Share(1, 1)}  # worst first
    assert period.returns == {2: Share(1, 1), 3: Share(0, 1)}
    assert period.days == [DayCount("2026-11-16", 3, 1), DayCount("2026-11-17", 2, 2)]
    assert period.median_first_answer == timedelta(minutes=2)
    assert period.median_resolution == timedelta(minutes=2, seconds=15)  # between 120 and 150 s
