"""The Russian production calendar: which days count as working days for answer deadlines.

The deadlines of the procedure are counted in working days (§4.3) or end on the next working
day (§4.1.4 with Civil Code art. 193), so every transfer of days off matters: a worked Saturday
(1 Nov 2025) shortens a deadline, a moved day off (3 Nov 2025, 31 Dec 2026) lengthens it.

Sources, in order of precedence:

1. the extra dates given to :class:`WorkCalendar` (an admin's corrections, and by default the
   non-working days the President declared in 2020, :data:`DECREE_NON_WORKING_DAYS_2020`);
2. the ``holidays`` package (``holidays.country_holidays("RU")``), which models the
   government's yearly transfers, including worked Saturdays (its ``weekend_workdays``);
3. for years the package has no transfers for, Monday to Friday minus the fixed holidays of
   Labour Code art. 112 (see :data:`FIXED_HOLIDAYS`).

Everything the package knows is read once, in the constructor; calls afterwards are pure
arithmetic over per-year tables cached in memory.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
from holidays.countries.russia import Russia, RussiaStaticHolidays


def _date_range(first: date, last: date) -> tuple[date, ...]:
    return tuple(first + timedelta(days=i) for i in range((last - first).days + 1))


# Days declared non-working by decree in 2020; the production calendar (and so the `holidays`
# package) does not contain them, yet the desk did not work on them:
# - Указ Президента РФ от 25.03.2020 № 206: 30 Mar - 3 Apr 2020;
# - Указ Президента РФ от 02.04.2020 № 239: 4 - 30 Apr 2020;
# - Указ Президента РФ от 28.04.2020 № 294: 6 - 8 May 2020;
# - Указ Президента РФ от 01.06.2020 № 354: 24 Jun 2020 (the Victory Parade);
# - Указ Президента РФ от 01.06.2020 № 345: 1 Jul 2020 (the vote on the amendments to the Constitution).
DECREE_NON_WORKING_DAYS_2020: tuple[date, ...] = (
    *_date_range(date(2020, 3, 30), date(2020, 4, 30)),
    *_date_range(date(2020, 5, 6), date(2020, 5, 8)),
    date(2020, 6, 24),
    date(2020, 7, 1),
)

# Default extraordinary non-working days; an admin's additions are passed to WorkCalendar on top.
DEFAULT_EXTRA_NON_WORKING_DAYS: tuple[date, ...] = DECREE_NON_WORKING_DAYS_2020

# Labour Code art. 112 part 1 (as in force since 2013): 1-6 and 8 Jan (New Year holidays), 7 Jan,
# 23 Feb, 8 Mar, 1 May, 9 May, 12 Jun, 4 Nov. Used only for years without official transfers.
FIXED_HOLIDAYS: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8),
    (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4),
)  # fmt: skip

_SATURDAY = 5


def _official_years() -> range:
    """Years for which the installed ``holidays`` release models the government's transfers.

    The last such year is the last one its Russian transfer tables mention; asking the package
    about later years would silently return holidays without transfers, so those years go to
    the fallback instead, where the docstrings say so.
    """
    transfers = getattr(RussiaStaticHolidays, "special_public_holidays", {})
    in_lieu = getattr(RussiaStaticHolidays, "special_public_holidays_observed", {})
    last = max((*transfers, *in_lieu), default=Russia.start_year - 1)
    return range(Russia.start_year, last + 1)


@dataclass(frozen=True, slots=True)
class _Year:
    """One year's working days as sorted ordinals: membership and n-th-next by bisection."""

    ordinals: tuple[int, ...]
    members: frozenset[int]


class WorkCalendar:
    """Working days of the Russian production calendar, with transfers and extra dates.

    Years covered by the installed ``holidays`` release (1991 to 2027 for 0.109, see
    :attr:`official_years`) follow the government's resolutions, worked Saturdays included.
    Years outside that range fall back to Monday to Friday minus :data:`FIXED_HOLIDAYS`: no
    transfers and no moving of a holiday that falls on a weekend (Labour Code art. 112 part 2),
    so near such a holiday the fallback may count a working day too many. Extend the extra
    dates, or upgrade ``holidays``, once the government publishes the year's calendar.

    Instances are immutable after construction; to add an admin's dates, build a new one
    (about a millisecond).

    Args:
        extra_non_working: days off declared beyond the production calendar (decrees);
            by default :data:`DEFAULT_EXTRA_NON_WORKING_DAYS`.
        extra_working: days that are worked although the calendar says otherwise.

    Raises:
        ValueError: a date is both in ``extra_non_working`` and in ``extra_working``.
        TypeError: an extra date is a ``datetime``, whose day would depend on a time zone.
    """

    def __init__(
        self,
        extra_non_working: Iterable[date] = DEFAULT_EXTRA_NON_WORKING_DAYS,
        extra_working: Iterable[date] = (),
    ) -> None:
        self._extra_non_working = _as_dates(extra_non_working, "extra_non_working")
        self._extra_working = _as_dates(extra_working, "extra_working")
        if both := self._extra_non_working & self._extra_working:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"Даты указаны и как рабочие, и как нерабочие: {listed}.")

        self._official_years = _official_years()
        official = holidays.country_holidays("RU", years=self._official_years, categories=("public",))
        self._official_holidays = frozenset(official.keys())
        self._official_weekend_workdays = frozenset(official.weekend_workdays)
        self._years: dict[int, _Year] = {}

    @property
    def official_years(self) -> range:
        """Years whose transfers come from the ``holidays`` package rather than the fallback."""
        return self._official_years

    @property
    def extra_non_working(self) -> frozenset[date]:
        """The extra days off this calendar was built with."""
        return self._extra_non_working

    @property
    def extra_working(self) -> frozenset[date]:
        """The extra working days this calendar was built with."""
        return self._extra_working

    def has_official_calendar(self, year: int) -> bool:
        """Whether ``year`` follows the government's transfers (False: the fallback is used)."""
        return year in self._official_years

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day, worked Saturdays included."""
        return d.toordinal() in self._year(d.year).members

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d``; ``d`` itself never counts (Civil Code art. 191).

        Raises:
            ValueError: ``n`` is less than 1.
        """
        if n < 1:
            raise ValueError(f"Число рабочих дней должно быть не меньше 1, получено {n}.")
        after = d.toordinal()
        year = d.year
        while True:
            ordinals = self._year(year).ordinals
            first = bisect_right(ordinals, after)
            available = len(ordinals) - first
            if n <= available:
                return date.fromordinal(ordinals[first + n - 1])
            n -= available
            year += 1

    def next_working_day_on_or_after(self, d: date) -> date:
        """``d`` if it is a working day, otherwise the next one (Civil Code art. 193)."""
        return d if self.is_working_day(d) else self.add_working_days(d, 1)

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is None:
            cached = self._years[year] = self._build_year(year)
        return cached

    def _build_year(self, year: int) -> _Year:
        if year in self._official_years:
            days_off = self._official_holidays
            weekend_workdays = self._official_weekend_workdays
        else:
            days_off = frozenset(date(year, month, day) for month, day in FIXED_HOLIDAYS)
            weekend_workdays = frozenset()
        start = date(year, 1, 1)
        working: list[int] = []
        for offset in range((date(year, 12, 31) - start).days + 1):
            d = start + timedelta(days=offset)
            if d in self._extra_working:
                is_working = True
            elif d in self._extra_non_working or d in days_off:
                is_working = False
            else:
                is_working = d.weekday() < _SATURDAY or d in weekend_workdays
            if is_working:
                working.append(d.toordinal())
        return _Year(ordinals=tuple(working), members=frozenset(working))


def _as_dates(values: Iterable[date], name: str) -> frozenset[date]:
    result = frozenset(values)
    for value in result:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise TypeError(f"{name}: ожидаются даты (datetime.date), получено {value!r}.")
    return result
