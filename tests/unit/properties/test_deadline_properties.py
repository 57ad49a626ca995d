"""Deadlines never come before the request and move forward with it (§4.1.4, §4.3, §5.5)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.sla import CHAT, LINE3, MOSCOW, SLA_KINDS, UNION_EMAIL, breached, due_at, moscow_date

CAL = WorkCalendar()
# Moments from the first official year the package models to past its last (where the fallback counts),
# in the zones requests really carry: Moscow, UTC, Kaliningrad to Kamchatka, and odd offsets.
ZONES = st.sampled_from(
    [
        MOSCOW,
        timezone.utc,
        timezone(timedelta(hours=2)),
        timezone(timedelta(hours=12)),
        timezone(timedelta(hours=-5, minutes=-30)),
    ]
)
moments = st.builds(
    lambda naive, zone: naive.replace(tzinfo=zone),
    st.datetimes(min_value=datetime(2019, 12, 1), max_value=datetime(2029, 1, 31)),
    ZONES,
)
# Extra days off and worked days an admin may enter (§4.3: the calendar with its corrections).
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2028, 12, 31))


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    off = draw(st.frozensets(days, max_size=20))
    worked = draw(st.frozensets(days, max_size=10)) - off
    return WorkCalendar(extra_non_working=off, extra_working=worked)


@settings(max_examples=400)
@given(st.sampled_from(SLA_KINDS), moments)
def test_a_deadline_is_never_before_the_request(channel: str, received: datetime) -> None:
    due = due_at(channel, received, CAL)
    assert due >= received.replace(microsecond=0)
    assert not breached(due, received), "a request cannot be late the moment it arrives"
    if channel != LINE3:
        assert moscow_date(due) > moscow_date(received), "the day of receipt never counts (art. 191)"
        assert CAL.is_working_day(moscow_date(due)), "the last day is a working day (art. 193)"
        assert (due.hour, due.minute, due.second) == (23, 59, 59)


@settings(max_examples=400)
@given(st.sampled_from(SLA_KINDS), moments, moments)
def test_a_later_request_never_gets_an_earlier_deadline(channel: str, first: datetime, second: datetime) -> None:
    earlier, later = sorted((first, second))
    assert due_at(channel, earlier, CAL) <= due_at(channel, later, CAL)


@settings(max_examples=100)
@given(
    calendars(),
    st.sampled_from(SLA_KINDS),
    moments,
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)),
)
def test_monotone_with_an_admins_calendar_too(
    cal: WorkCalendar, channel: str, received: datetime, gap: timedelta
) -> None:
    first, second = due_at(channel, received, cal), due_at(channel, received + gap, cal)
    assert received.replace(microsecond=0) <= first <= second


@settings(max_examples=200)
@given(moments)
def test_three_working_days_are_three(received: datetime) -> None:
    """§4.3: between the day of receipt and the last day there are exactly two working days."""
    last = moscow_date(due_at(CHAT, received, CAL))
    day = moscow_date(received) + timedelta(days=1)
    between = 0
    while day < last:
        between += CAL.is_working_day(day)
        day += timedelta(days=1)
    assert between == 2


@settings(max_examples=200)
@given(moments)
def test_union_mail_gets_at_least_thirty_days(received: datetime) -> None:
    due = due_at(UNION_EMAIL, received, CAL)
    assert (moscow_date(due) - moscow_date(received)).days >= 30
