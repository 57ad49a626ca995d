"""The production calendar against the official ones.

Expected dates come from the production calendars published on consultant.ru
(law/ref/calendar/proizvodstvennye/2020, 2024, 2025, 2026), i.e. the government's yearly
resolutions on transfers of days off, and from the 2020 decrees listed in
ticketing.domain.calendar; they were written down independently of the `holidays` package.
"""

from __future__ import annotations

from datetime import date, datetime
from importlib.metadata import version

import holidays
import pytest

from ticketing.domain.calendar import DECREE_NON_WORKING_DAYS_2020, WorkCalendar


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture(scope="module")
def without_decrees() -> WorkCalendar:
    return WorkCalendar(extra_non_working=())


def test_installed_holidays_knows_the_2026_and_2027_transfers() -> None:
    # Guards against an old `holidays` chosen by a resolver (Rasa's dateutil pin pulls one in):
    # those releases have no 2026 transfers and would make 9 Jan and 31 Dec 2026 working days.
    ru = holidays.country_holidays("RU", years=(2026, 2027))
    assert date(2026, 1, 9) in ru  # moved from Saturday 3 Jan
    assert date(2026, 12, 31) in ru  # moved from Sunday 4 Jan
    assert date(2027, 2, 20) in ru.weekend_workdays  # worked Saturday for Monday 22 Feb 2027
    major, minor = (int(part) for part in version("holidays").split(".")[:2])
    assert (major, minor) >= (0, 107)


def test_calendar_uses_the_package_for_the_years_it_knows(calendar: WorkCalendar) -> None:
    assert calendar.has_official_calendar(2020)
    assert calendar.has_official_calendar(2026)
    assert calendar.has_official_calendar(2027)
    assert not calendar.has_official_calendar(2040)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # 2024: Sat 27 Apr worked for Mon 29 Apr; Sat 2 Nov worked for Tue 30 Apr;
        # Sat 28 Dec worked for Mon 30 Dec; Tue 31 Dec off (moved from Sun 7 Jan).
        (date(2024, 4, 27), True),
        (date(2024, 4, 29), False),
        (date(2024, 4, 30), False),
        (date(2024, 5, 10), False),  # moved from Sat 6 Jan
        (date(2024, 11, 2), True),
        (date(2024, 11, 4), False),
        (date(2024, 12, 28), True),
        (date(2024, 12, 30), False),
        (date(2024, 12, 31), False),
        # 2025: 1-8 Jan off; Sun 23 Feb moved to Thu 8 May, Sat 8 Mar to Fri 13 Jun,
        # Sat 4 Jan to Fri 2 May, Sun 5 Jan to Wed 31 Dec; Sat 1 Nov worked for Mon 3 Nov.
        (date(2025, 1, 8), False),
        (date(2025, 1, 9), True),
        (date(2025, 2, 24), True),  # 23 Feb (Sunday) is not moved to the Monday in 2025
        (date(2025, 3, 10), True),
        (date(2025, 5, 2), False),
        (date(2025, 5, 5), True),
        (date(2025, 5, 8), False),
        (date(2025, 6, 13), False),
        (date(2025, 11, 1), True),
        (date(2025, 11, 2), False),
        (date(2025, 11, 3), False),
        (date(2025, 11, 4), False),
        (date(2025, 11, 5), True),
        (date(2025, 12, 31), False),
        # 2026: Fri 9 Jan off (from Sat 3 Jan), Thu 31 Dec off (from Sun 4 Jan); Sun 8 Mar gives
        # Mon 9 Mar, Sat 9 May gives Mon 11 May; no worked Saturdays at all.
        (date(2026, 1, 9), False),
        (date(2026, 1, 12), True),
        (date(2026, 2, 23), False),
        (date(2026, 3, 9), False),
        (date(2026, 5, 11), False),
        (date(2026, 11, 4), False),
        (date(2026, 11, 28), False),
        (date(2026, 12, 30), True),
        (date(2026, 12, 31), False),
        # 2020, production calendar: 4 and 5 May moved from 4-5 Jan, 24 Feb and 9 Mar in lieu.
        (date(2020, 2, 24), False),
        (date(2020, 3, 9), False),
        (date(2020, 5, 12), True),
    ],
)
def test_is_working_day_follows_the_official_calendar(calendar: WorkCalendar, day: date, working: bool) -> None:
    assert calendar.is_working_day(day) is working


@pytest.mark.parametrize(
    "day",
    [date(2020, 3, 30), date(2020, 4, 15), date(2020, 4, 30), date(2020, 5, 6),
     date(2020, 5, 8), date(2020, 6, 24), date(2020, 7, 1)],
)  # fmt: skip
def test_2020_decree_days_are_off_by_default_and_only_by_default(
    calendar: WorkCalendar, without_decrees: WorkCalendar, day: date
) -> None:
    # They are not in the production calendar: the default list is what makes them days off.
    assert not calendar.is_working_day(day)
    assert without_decrees.is_working_day(day)
    assert day in DECREE_NON_WORKING_DAYS_2020


def test_decree_list_covers_each_decree_exactly() -> None:
    assert len(DECREE_NON_WORKING_DAYS_2020) == 32 + 3 + 2  # 30 Mar-30 Apr, 6-8 May, 24 Jun, 1 Jul
    assert date(2020, 3, 27) not in DECREE_NON_WORKING_DAYS_2020
    assert date(2020, 5, 12) not in DECREE_NON_WORKING_DAYS_2020


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Across New Year 2025/26: 31 Dec 2025 off, 1-8 Jan holidays, Fri 9 Jan off, 10-11 Jan
        # weekend, so the first working day after 30 Dec 2025 is Mon 12 Jan 2026.
        (date(2025, 12, 30), 1, date(2026, 1, 12)),
        (date(2025, 12, 30), 3, date(2026, 1, 14)),
        # Fri 27 Dec 2024: the next working day is the worked Saturday 28 Dec, then 9 Jan 2025.
        (date(2024, 12, 27), 1, date(2024, 12, 28)),
        (date(2024, 12, 27), 2, date(2025, 1, 9)),
        # Fri 31 Oct 2025: worked Sat 1 Nov, then Sun 2, Mon 3 (moved), Tue 4 Nov off.
        (date(2025, 10, 31), 1, date(2025, 11, 1)),
        (date(2025, 10, 31), 2, date(2025, 11, 5)),
        # May 2025: Thu 8 (from 23 Feb) and Fri 9 May off, then the weekend.
        (date(2025, 5, 7), 1, date(2025, 5, 12)),
        # June 2025: Thu 12 and Fri 13 Jun (from 8 Mar) off.
        (date(2025, 6, 11), 1, date(2025, 6, 16)),
        # 2020: from Fri 27 Mar the decrees and the May holidays leave no working day until 12 May.
        (date(2020, 3, 27), 1, date(2020, 5, 12)),
        # A whole year's worth, across two year boundaries (247 working days in 2026).
        (date(2025, 12, 31), 247, date(2026, 12, 30)),
        (date(2025, 12, 31), 248, date(2027, 1, 11)),
    ],
)
def test_add_working_days(calendar: WorkCalendar, start: date, n: int, expected: date) -> None:
    assert calendar.add_working_days(start, n) == expected


def test_add_working_days_without_decrees_counts_2020_april(without_decrees: WorkCalendar) -> None:
    assert without_decrees.add_working_days(date(2020, 3, 27), 1) == date(2020, 3, 30)


@pytest.mark.parametrize("n", [0, -1])
def test_add_working_days_refuses_non_positive_counts(calendar: WorkCalendar, n: int) -> None:
    with pytest.raises(ValueError, match="не меньше 1"):
        calendar.add_working_days(date(2026, 1, 12), n)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), date(2026, 1, 12)),
        (date(2026, 1, 12), date(2026, 1, 12)),
        (date(2025, 11, 1), date(2025, 11, 1)),  # a worked Saturday is a working day
        (date(2026, 12, 31), date(2027, 1, 11)),
    ],
)
def test_next_working_day_on_or_after(calendar: WorkCalendar, day: date, expected: date) -> None:
    assert calendar.next_working_day_on_or_after(day) == expected


def test_extra_working_day_overrides_a_holiday_and_a_weekend() -> None:
    custom = WorkCalendar(extra_working=[date(2026, 1, 10), date(2026, 2, 23)])
    assert custom.is_working_day(date(2026, 1, 10))
    assert custom.is_working_day(date(2026, 2, 23))
    assert custom.add_working_days(date(2025, 12, 30), 1) == date(2026, 1, 10)


def test_extra_non_working_day_is_added_to_the_defaults_by_the_caller() -> None:
    admin_days = [date(2026, 12, 30)]
    custom = WorkCalendar(extra_non_working=[*DECREE_NON_WORKING_DAYS_2020, *admin_days])
    assert not custom.is_working_day(date(2026, 12, 30))
    assert not custom.is_working_day(date(2020, 4, 15))
    assert custom.extra_non_working >= set(admin_days)


def test_a_date_both_working_and_non_working_is_refused() -> None:
    with pytest.raises(ValueError, match="2026-12-30"):
        WorkCalendar(extra_non_working=[date(2026, 12, 30)], extra_working=[date(2026, 12, 30)])


def test_datetimes_are_refused_as_extra_dates() -> None:
    with pytest.raises(TypeError, match="extra_working"):
        WorkCalendar(extra_working=[datetime(2026, 12, 30, 12, 0)])


def test_years_beyond_the_package_fall_back_to_weekdays_and_fixed_holidays(
    calendar: WorkCalendar,
) -> None:
    # 2040 has no government resolution: Mon-Fri minus the fixed holidays of Labour Code art. 112.
    assert not calendar.is_working_day(date(2040, 1, 2))  # Monday, New Year holidays
    assert not calendar.is_working_day(date(2040, 1, 7))  # Saturday
    assert calendar.is_working_day(date(2040, 1, 9))  # Monday
    assert not calendar.is_working_day(date(2040, 3, 8))  # Thursday
    assert calendar.is_working_day(date(2040, 3, 9))  # Friday: no transfers are invented
    assert not calendar.is_working_day(date(2040, 11, 4))  # Sunday
    assert calendar.add_working_days(date(2039, 12, 30), 1) == date(2040, 1, 9)
