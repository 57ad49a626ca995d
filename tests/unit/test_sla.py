"""Answer deadlines over real calendars, with receipt moments and "now" given as arguments.

Expected dates were counted by hand on the consultant.ru production calendars (2020, 2024-2027);
the reasoning for the tricky ones is next to them.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.sla import (
    MOSCOW,
    SLA_KINDS,
    approaching,
    breached,
    due_at,
    moscow_date,
)
from ticketing.domain.tickets import Channel
from ticketing.entrypoints.sla_cli import sla_due_main

UTC = timezone.utc


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar()


def msk(text: str) -> datetime:
    """A Moscow wall-clock moment, e.g. msk("2026-11-27 12:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=MOSCOW)


@pytest.mark.parametrize(
    ("channel", "received", "expected"),
    [
        # Fri 27 Nov 2026: Mon 30 Nov, Tue 1 Dec, Wed 2 Dec.
        ("chat", "2026-11-27T12:00:00+03:00", "2026-12-02T23:59:59+03:00"),
        # New Year: 31 Dec 2025 off (from 5 Jan), 1-8 Jan holidays, Fri 9 Jan off (from Sat
        # 3 Jan), 10-11 Jan weekend; the working days are Mon 12, Tue 13, Wed 14 Jan 2026.
        ("chat", "2025-12-30T10:00:00+03:00", "2026-01-14T23:59:59+03:00"),
        # Thu 26 Dec 2024: Fri 27 Dec, the worked Sat 28 Dec, then 30-31 Dec and 1-8 Jan off:
        # the third day is Thu 9 Jan 2025.
        ("project_email", "2024-12-26T15:00:00+03:00", "2025-01-09T23:59:59+03:00"),
        # Fri 31 Oct 2025: the worked Sat 1 Nov counts; Sun 2, Mon 3 (moved), Tue 4 Nov off;
        # so Sat 1, Wed 5, Thu 6 Nov.
        ("project_email", "2025-10-31T12:00:00+03:00", "2025-11-06T23:59:59+03:00"),
        # Received on the worked Saturday itself: the count starts the next day (art. 191).
        ("chat", "2025-11-01T12:00:00+03:00", "2025-11-07T23:59:59+03:00"),
        # May 2025: 1-4 May off (2 May moved from 4 Jan), so Mon 5, Tue 6, Wed 7 May...
        ("chat", "2025-04-30T12:00:00+03:00", "2025-05-07T23:59:59+03:00"),
        # ...and 8 May (moved from Sun 23 Feb) to 11 May off: Mon 12, Tue 13, Wed 14 May.
        ("chat", "2025-05-07T12:00:00+03:00", "2025-05-14T23:59:59+03:00"),
        # 4 Nov 2026 is a Wednesday: Tue 3, Thu 5, Fri 6 Nov.
        ("chat", "2026-11-02T12:00:00+03:00", "2026-11-06T23:59:59+03:00"),
        # 23 Feb 2026 is a Monday: Tue 24, Wed 25, Thu 26 Feb.
        ("chat", "2026-02-20T12:00:00+03:00", "2026-02-26T23:59:59+03:00"),
        # 8 Mar 2026 is a Sunday, so Mon 9 Mar is off: Tue 10, Wed 11, Thu 12 Mar.
        ("chat", "2026-03-06T12:00:00+03:00", "2026-03-12T23:59:59+03:00"),
        # 31 Dec 2026 off (moved from Sun 4 Jan), 1-8 Jan 2027 holidays, 9-10 Jan weekend:
        # Wed 30 Dec 2026, Mon 11 and Tue 12 Jan 2027.
        ("project_email", "2026-12-29T12:00:00+03:00", "2027-01-12T23:59:59+03:00"),
        # 2020: decrees 206/239 (30 Mar-30 Apr), the May holidays (1-5 May), decree 294 (6-8 May)
        # and 9-11 May (Sat 9 May in lieu on Mon 11): Tue 12, Wed 13, Thu 14 May.
        ("chat", "2020-03-27T12:00:00+03:00", "2020-05-14T23:59:59+03:00"),
        # Wed 24 Jun 2020 off by decree 354: Tue 23, Thu 25, Fri 26 Jun.
        ("chat", "2020-06-22T12:00:00+03:00", "2020-06-26T23:59:59+03:00"),
        # Wed 1 Jul 2020 off by decree 345: Tue 30 Jun, Thu 2, Fri 3 Jul.
        ("chat", "2020-06-29T12:00:00+03:00", "2020-07-03T23:59:59+03:00"),
    ],
)
def test_working_day_deadlines(calendar: WorkCalendar, channel: str, received: str, expected: str) -> None:
    assert due_at(channel, datetime.fromisoformat(received), calendar).isoformat() == expected


def test_without_the_decree_days_2020_april_counts(calendar: WorkCalendar) -> None:
    received = datetime.fromisoformat("2020-03-27T12:00:00+03:00")
    assert due_at("chat", received, WorkCalendar(extra_non_working=())) == msk("2020-04-01 23:59:59")
    assert due_at("chat", received, calendar) == msk("2020-05-14 23:59:59")


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # Thu 26 Nov 2026 at 23:59 Moscow: Fri 27, Mon 30 Nov, Tue 1 Dec.
        (msk("2026-11-26 23:59"), "2026-12-01T23:59:59+03:00"),
        # Two minutes later it is Friday: Mon 30 Nov, Tue 1, Wed 2 Dec.
        (msk("2026-11-27 00:01"), "2026-12-02T23:59:59+03:00"),
        # 22:30 UTC on Thursday is 01:30 on Friday in Moscow.
        (datetime(2026, 11, 26, 22, 30, tzinfo=UTC), "2026-12-02T23:59:59+03:00"),
        # 20:30 UTC is still 23:30 on Thursday in Moscow.
        (datetime(2026, 11, 26, 20, 30, tzinfo=UTC), "2026-12-01T23:59:59+03:00"),
        # 05:00 in Vladivostok on Friday is 22:00 on Thursday in Moscow.
        (
            datetime(2026, 11, 27, 5, 0, tzinfo=ZoneInfo("Asia/Vladivostok")),
            "2026-12-01T23:59:59+03:00",
        ),
    ],
)
def test_receipt_day_is_the_moscow_day(calendar: WorkCalendar, received: datetime, expected: str) -> None:
    assert due_at("chat", received, calendar).isoformat() == expected


@pytest.mark.parametrize(
    ("registered", "expected"),
    [
        # 2 Nov + 30 days = Wed 2 Dec 2026, a working day.
        ("2026-11-02T10:00:00+03:00", "2026-12-02T23:59:59+03:00"),
        # 5 Nov + 30 = Sat 5 Dec 2026: moves to Mon 7 Dec (art. 193).
        ("2026-11-05T10:00:00+03:00", "2026-12-07T23:59:59+03:00"),
        # 2 Dec 2025 + 30 = 1 Jan 2026: holidays until 11 Jan, so Mon 12 Jan.
        ("2025-12-02T10:00:00+03:00", "2026-01-12T23:59:59+03:00"),
        # 1 Dec 2024 + 30 = Tue 31 Dec 2024 (off, moved from 7 Jan): Thu 9 Jan 2025.
        ("2024-12-01T10:00:00+03:00", "2025-01-09T23:59:59+03:00"),
        # 2 Oct 2025 + 30 = Sat 1 Nov 2025, a worked Saturday: the deadline stays there.
        ("2025-10-02T10:00:00+03:00", "2025-11-01T23:59:59+03:00"),
        # 21:30 UTC on 4 Nov is 00:30 on 5 Nov in Moscow: registered on the 5th, so Sat 5 Dec,
        # moved to Mon 7 Dec.
        ("2026-11-04T21:30:00+00:00", "2026-12-07T23:59:59+03:00"),
        # 20:30 UTC on 4 Nov is 23:30 Moscow, still the 4th: Fri 4 Dec.
        ("2026-11-04T20:30:00+00:00", "2026-12-04T23:59:59+03:00"),
    ],
)
def test_union_email_deadlines(calendar: WorkCalendar, registered: str, expected: str) -> None:
    received = datetime.fromisoformat(registered)
    assert due_at("union_email", received, calendar).isoformat() == expected


@pytest.mark.parametrize(
    ("escalated", "expected"),
    [
        # Holidays do not matter for the 24-hour target.
        ("2026-12-31T10:00:00+03:00", "2027-01-01T10:00:00+03:00"),
        ("2026-11-27T08:00:00+00:00", "2026-11-28T11:00:00+03:00"),
        ("2026-11-27T08:00:00.750000+00:00", "2026-11-28T11:00:00+03:00"),
    ],
)
def test_line3_is_24_clock_hours(calendar: WorkCalendar, escalated: str, expected: str) -> None:
    assert due_at("line3", datetime.fromisoformat(escalated), calendar).isoformat() == expected


def test_line3_counts_real_hours_across_a_dst_change(calendar: WorkCalendar) -> None:
    # Berlin moves its clocks forward on 29 Mar 2026: 12:00 CET on 28 Mar is 11:00 UTC, and 24
    # real hours later it is 11:00 UTC = 14:00 Moscow (wall-clock arithmetic would say 13:00).
    escalated = datetime(2026, 3, 28, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert due_at("line3", escalated, calendar) == msk("2026-03-29 14:00")


def test_deadlines_are_in_moscow(calendar: WorkCalendar) -> None:
    for channel in SLA_KINDS:
        due = due_at(channel, datetime(2026, 11, 26, 22, 30, tzinfo=UTC), calendar)
        assert due.tzinfo == MOSCOW
        assert due.utcoffset() == timedelta(hours=3)


def test_every_ticket_channel_has_a_rule(calendar: WorkCalendar) -> None:
    # Received Fri 27 Nov 2026: three working days (Mon 30, Tue 1, Wed 2 Dec) for the chat and the
    # project's mail; thirty days (Sun 27 Dec) moved to Mon 28 Dec for the Union's mail.
    expected = {
        Channel.CHAT: msk("2026-12-02 23:59:59"),
        Channel.PROJECT_EMAIL: msk("2026-12-02 23:59:59"),
        Channel.UNION_EMAIL: msk("2026-12-28 23:59:59"),
    }
    assert {channel: due_at(channel, msk("2026-11-27 12:00"), calendar) for channel in Channel} == expected


def test_naive_receipt_is_refused(calendar: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="часового пояса"):
        due_at("chat", datetime(2026, 11, 27, 12, 0), calendar)


def test_unknown_channel_lists_the_valid_ones(calendar: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="chat, project_email, union_email, line3"):
        due_at("telegram", msk("2026-11-27 12:00"), calendar)


def test_moscow_date() -> None:
    assert moscow_date(datetime(2026, 11, 26, 22, 30, tzinfo=UTC)).isoformat() == "2026-11-27"


def test_breached_after_the_deadline_second_only() -> None:
    due = msk("2026-12-02 23:59:59")
    assert not breached(due, msk("2026-12-02 23:59:58"))
    assert not breached(due, due)
    assert not breached(due, due + timedelta(milliseconds=700))
    assert breached(due, due + timedelta(seconds=1))
    assert breached(due, datetime(2026, 12, 2, 21, 0, tzinfo=UTC))  # 00:00 Moscow on 3 Dec
    with pytest.raises(ValueError, match="часового пояса"):
        breached(due, datetime(2026, 12, 3))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # The deadline is the end of Mon 30 Nov 2026 (chat received Wed 25 Nov).
        (msk("2026-11-27 12:00"), False),  # half of Friday and all of Monday left
        (msk("2026-11-28 12:00"), False),  # Saturday: the weekend does not use up Monday
        (msk("2026-11-29 23:59:59"), False),
        (msk("2026-11-30 00:00"), False),  # exactly one working day left
        (msk("2026-11-30 00:00:01"), True),
        (msk("2026-11-30 23:59:59"), True),
        (msk("2026-12-01 00:00"), False),  # breached, no longer "approaching"
        (datetime(2026, 11, 29, 21, 30, tzinfo=UTC), True),  # 00:30 Monday in Moscow
    ],
)
def test_approaching_counts_working_time_left(calendar: WorkCalendar, now: datetime, expected: bool) -> None:
    due = due_at("chat", msk("2026-11-25 12:00"), calendar)
    assert due == msk("2026-11-30 23:59:59")
    assert approaching(due, now, calendar) is expected


def test_approaching_skips_holidays(calendar: WorkCalendar) -> None:
    # On 30 Dec 2025 a deadline at the end of Mon 12 Jan 2026 is far: only non-working days between.
    due = msk("2026-01-12 23:59:59")
    assert not approaching(due, msk("2025-12-31 09:00"), calendar)
    assert not approaching(due, msk("2026-01-11 18:00"), calendar)
    assert approaching(due, msk("2026-01-12 09:00"), calendar)


def test_approaching_for_line3(calendar: WorkCalendar) -> None:
    due = due_at("line3", msk("2026-11-26 10:00"), calendar)  # Fri 27 Nov 10:00
    assert approaching(due, msk("2026-11-26 10:01"), calendar)
    assert not approaching(due, msk("2026-11-26 10:00"), calendar, threshold=timedelta(hours=4))
    assert approaching(due, msk("2026-11-27 06:30"), calendar, threshold=timedelta(hours=4))


def test_cli_prints_the_deadline_last(capsys: pytest.CaptureFixture[str]) -> None:
    code = sla_due_main(["--channel", "chat", "--received", "2026-11-27T12:00:00+03:00"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.strip().splitlines()[-1] == "2026-12-02T23:59:59+03:00"


def test_cli_accepts_its_sub_command_name_and_utc(capsys: pytest.CaptureFixture[str]) -> None:
    code = sla_due_main(["sla-due", "--channel", "line3", "--received", "2026-11-27T08:00Z"])
    assert code == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "2026-11-28T11:00:00+03:00"


def test_cli_takes_a_naive_moment_as_moscow(capsys: pytest.CaptureFixture[str]) -> None:
    # 23:30 taken as Moscow time is still Thursday; taken as UTC it would be Friday in Moscow.
    code = sla_due_main(["--channel", "chat", "--received", "2026-11-26T23:30"])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out.strip().splitlines()[-1] == "2026-12-01T23:59:59+03:00"
    assert "московским" in captured.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--channel", "telegram", "--received", "2026-11-27T12:00+03:00"], "неизвестный канал"),
        (["--channel", "chat", "--received", "27.11.2026"], "ISO 8601"),
        (["--channel", "chat"], "не указан момент"),
        (["--received", "2026-11-27T12:00+03:00"], "не указан канал"),
        (["--channel", "chat", "--received"], "нет значения"),
        (["--channel", "chat", "--received", "2026-11-27T12:00+03:00", "лишнее"], "лишние"),
    ],
)
def test_cli_rejects_bad_input_in_russian(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code = sla_due_main(argv)
    captured = capsys.readouterr()
    assert code == 2
    assert message in captured.err
    assert captured.out == ""
