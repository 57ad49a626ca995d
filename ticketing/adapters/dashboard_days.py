"""The dashboard's numbers day by day, kept between visits for the days whose tickets did not change.

The dashboard counts the tickets created in a period. Each Moscow day of it is counted once into
a :class:`DayPart` and kept; a visit then asks the database only which days changed (a cheap
fingerprint per day, docs/performance.md, «Страницы консоли») and counts just those again.

Exact, not approximate:

- counts and «answered in time / late» are per-ticket facts, so the days' counts add up;
- medians do not add up, so a day keeps the durations themselves, sorted, and the period's
  median is picked from all of them: ``percentile_cont(0.5)`` of the whole period, the same
  number PostgreSQL gives (a histogram per day would only come close);
- «open with the deadline passed» depends on the moment of the visit, so a day keeps the
  deadlines of its open tickets and they are compared with ``now`` on each visit.

A day's fingerprint is how many tickets it has, the sum of their ids and the sum of their
versions. Tickets are never deleted and every change goes through ``SqlTicketRepository.save``,
which raises ``version``: an unchanged fingerprint means the same tickets in the same state.
An UPDATE made by hand, around ``save``, is not seen until the server restarts.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain
from math import floor
from typing import Any
from weakref import WeakKeyDictionary

from ticketing.services.read_models import DayCount, Share, Summary

Fingerprint = tuple[int, int, int]  # tickets, the sum of their ids, the sum of their versions
DIMENSIONS = ("status", "line", "channel", "region", "question_type", "left")
NO_VALUE = "—"


@dataclass(frozen=True)
class DayPart:
    """What the tickets created on one Moscow day add to the dashboard, as of ``fingerprint``."""

    fingerprint: Fingerprint
    created: int = 0  # tickets
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (dimension, key) → tickets
    answered: dict[str, tuple[int, int]] = field(default_factory=dict)  # region → (in time, late)
    resolved: dict[str, int] = field(default_factory=dict)  # Moscow day of resolution → tickets
    to_first_answer: Sequence[float] = ()  # seconds, ascending
    to_resolution: Sequence[float] = ()  # seconds, ascending; answered and closed tickets
    open_due: Sequence[datetime] = ()  # deadlines of the open tickets, ascending
    returns: dict[int, tuple[int, int]] = field(default_factory=dict)  # line 2/3 → (in time, all)

    @property
    def weight(self) -> int:
        return len(self.to_first_answer) + len(self.to_resolution) + len(self.open_due) + len(self.counts)


class DayCache:
    """Days counted earlier, by scope and day; the least recently used go first past ``limit``.

    ``limit`` counts the values kept (durations, deadlines, counts): 2 million is about 70 MB,
    a two-year period of a million tickets (100,000 tickets: 180,000 values, 6 MB).
    """

    def __init__(self, limit: int = 2_000_000) -> None:
        self.limit = limit
        self._days: OrderedDict[Hashable, DayPart] = OrderedDict()
        self._weight = 0

    def fresh(self, key: Hashable, fingerprint: Fingerprint) -> DayPart | None:
        """The day as counted before, unless its tickets changed since."""
        part = self._days.get(key)
        if part is None or part.fingerprint != fingerprint:
            return None
        self._days.move_to_end(key)
        return part

    def keep(self, key: Hashable, part: DayPart) -> None:
        old = self._days.pop(key, None)
        if old is not None:
            self._weight -= old.weight
        self._days[key] = part
        self._weight += part.weight
        while self._weight > self.limit and len(self._days) > 1:
            _, dropped = self._days.popitem(last=False)
            self._weight -= dropped.weight

    def __len__(self) -> int:
        return len(self._days)


_CACHES: WeakKeyDictionary[Any, DayCache] = WeakKeyDictionary()


def cache_of(engine: Any) -> DayCache:
    """One cache per database engine: it lives as long as the server's engine, tests get their own."""
    cache = _CACHES.get(engine)
    if cache is None:
        cache = _CACHES[engine] = DayCache()
    return cache


@dataclass(frozen=True)
class Period:
    """The period's numbers, added up from its days."""

    summary: Summary
    in_time_by_region: dict[str, Share]
    returns: dict[int, Share]
    days: list[DayCount]
    median_first_answer: timedelta | None
    median_resolution: timedelta | None


def combine(parts: Iterable[tuple[str, DayPart]], now: datetime) -> Period:
    """Add up the days (created that day → ``parts``) the way the page shows them."""
    counts: defaultdict[tuple[str, str], int] = defaultdict(int)
    answered: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    resolved: defaultdict[str, int] = defaultdict(int)
    created: dict[str, int] = {}
    returns = {2: [0, 0], 3: [0, 0]}
    firsts: list[Sequence[float]] = []
    resolutions: list[Sequence[float]] = []
    breached = 0
    for day, part in parts:
        for key, n in part.counts.items():
            counts[key] += n
        created[day] = part.created
        for region, (ok, late) in part.answered.items():
            share = answered[region]
            share[0] += ok
            share[1] += late
        for on, n in part.resolved.items():
            resolved[on] += n
        for line, (ok, n) in part.returns.items():
            returns[line][0] += ok
            returns[line][1] += n
        firsts.append(part.to_first_answer)
        resolutions.append(part.to_resolution)
        breached += bisect_left(part.open_due, now)
    by: dict[str, dict[str, int]] = {name: {} for name in DIMENSIONS}
    for (dimension, value), n in counts.items():
        by[dimension][value] = n
    in_time = sum(ok for ok, _ in answered.values())
    late = sum(lt for _, lt in answered.values())
    summary = Summary(
        total=sum(by["status"].values()),
        by_status=_most_first(by["status"]),
        by_line=dict(sorted(by["line"].items())),
        by_channel=_most_first(by["channel"]),
        by_region=_most_first(by["region"]),
        by_question_type=_most_first(by["question_type"]),
        left_without_answer=_most_first(by["left"]),
        open_breached=breached,
        answered_in_time=in_time,
        answered_late=late,
    )
    shares = {region: Share(in_time=ok, total=ok + lt) for region, (ok, lt) in answered.items() if ok or lt}
    days = sorted(created.keys() | resolved.keys())
    return Period(
        summary=summary,
        in_time_by_region=dict(sorted(shares.items(), key=lambda kv: (kv[1].share or 0, kv[0]))),
        returns={line: Share(in_time=ok, total=n) for line, (ok, n) in returns.items()},
        days=[DayCount(day=d, created=created.get(d, 0), resolved=resolved.get(d, 0)) for d in days],
        median_first_answer=_seconds(median(firsts)),
        median_resolution=_seconds(median(resolutions)),
    )


def _most_first(counts: dict[str, int]) -> dict[str, int]:
    """Largest first; equal counts by name, so that the page does not reshuffle between visits."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _seconds(value: float | None) -> timedelta | None:
    """Whole seconds: SQLite's julianday is a float and would show 1:59:59.99 for two hours."""
    return timedelta(seconds=round(value)) if value is not None else None


def median(runs: Sequence[Sequence[float]]) -> float | None:
    """``percentile_cont(0.5)`` of all the values of ascending ``runs``, computed as PostgreSQL does."""
    n = sum(len(run) for run in runs)
    if not n:
        return None
    position = 0.5 * (n - 1)
    first = floor(position)
    low = kth(runs, first)
    if position == first:
        return low
    # The next value up: ``low`` again if it repeats, else the smallest value above it.
    above = [(run, bisect_right(run, low)) for run in runs]
    if sum(i for _, i in above) > first + 1:
        return low
    high = min(run[i] for run, i in above if i < len(run))
    return low + (position - first) * (high - low)


def kth(runs: Sequence[Sequence[float]], k: int) -> float:
    """The ``k``-th smallest (from 0) of the values of ascending ``runs``, without merging them.

    Each round takes the weighted median of the runs' middles and drops the values on the side
    of it where the ``k``-th is not: at least a quarter of what is left, so some thirty rounds
    of a few hundred bisections find it among 100,000 values.
    """
    low = [0] * len(runs)
    high = [len(run) for run in runs]
    while True:
        left = sum(h - lo for lo, h in zip(low, high, strict=True))
        if left <= 64:
            rest = sorted(chain.from_iterable(run[lo:h] for run, lo, h in zip(runs, low, high, strict=True)))
            return rest[k]
        pivot = _weighted_middle(
            sorted((run[(lo + h) // 2], h - lo) for run, lo, h in zip(runs, low, high, strict=True) if h > lo), left
        )
        below = [bisect_left(run, pivot, lo, h) for run, lo, h in zip(runs, low, high, strict=True)]
        upto = [bisect_right(run, pivot, lo, h) for run, lo, h in zip(runs, low, high, strict=True)]
        n_below = sum(b - lo for b, lo in zip(below, low, strict=True))
        n_upto = sum(u - lo for u, lo in zip(upto, low, strict=True))
        if k < n_below:
            high = below
        elif k < n_upto:
            return pivot
        else:
            k -= n_upto
            low = upto


def _weighted_middle(middles: list[tuple[float, int]], total: int) -> float:
    """The middle value at which half of the ``total`` values lie in runs with smaller middles."""
    weight = 0
    for value, size in middles:
        weight += size
        if 2 * weight >= total:
            return value
    return middles[-1][0]
