"""Answer deadlines of the procedure, and whether one is near or missed.

Deadlines are moments in Europe/Moscow, whole seconds. A deadline "by the end of a day" is that
day's 23:59:59; the deadline second itself still counts as in time (see :func:`breached`).

Rules, by the string value a ticket carries (``ticketing.domain.tickets.Channel`` uses the
same values):

- ``chat``, ``project_email``: the end of the 3rd working day after the day of receipt (§4.3;
  chat requests are handled in the same processing system, §4.4, §5.6.2). A period in days
  starts on the day after the event (Civil Code art. 191) and the day is the Moscow one.
- ``union_email``: 30 calendar days from the registration date (§4.1.4); a last day that is not
  a working day moves to the next working day (Civil Code art. 193).
- ``line3``: 24 clock hours from the escalation to the platform's technical support (§5.5), an
  internal target that ignores working days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from procedure.moscow import MOSCOW as MOSCOW  # re-exported: ticketing reads the zone from here
from ticketing.domain.calendar import WorkCalendar

CHAT = "chat"
PROJECT_EMAIL = "project_email"
UNION_EMAIL = "union_email"
LINE3 = "line3"
SLA_KINDS: tuple[str, ...] = (CHAT, PROJECT_EMAIL, UNION_EMAIL, LINE3)

WORKING_DAYS_TO_ANSWER = 3  # §4.3
UNION_EMAIL_CALENDAR_DAYS = 30  # §4.1.4
LINE3_TARGET = timedelta(hours=24)  # §5.5
# Our choice, not the procedure's: line 3's queue warns in the last quarter of its 24 hours.
LINE3_WARNING = timedelta(hours=6)
ONE_WORKING_DAY = timedelta(days=1)

# For people reading a deadline (staff console, CLI).
RULE_DESCRIPTIONS_RU: dict[str, str] = {
    CHAT: "3 рабочих дня после дня поступления (п. 4.3, 4.4 Порядка)",
    PROJECT_EMAIL: "3 рабочих дня после дня поступления (п. 4.3 Порядка)",
    UNION_EMAIL: "30 календарных дней с даты регистрации (п. 4.1.4 Порядка, ст. 193 ГК РФ)",
    LINE3: "24 часа с момента передачи на третью линию (п. 5.5 Порядка)",
}

_END_OF_DAY = time(23, 59, 59)
_ONE_SECOND = timedelta(seconds=1)


def due_at(channel: str, received: datetime, calendar: WorkCalendar) -> datetime:
    """The answer deadline of a request received (or escalated, for ``line3``) at ``received``.

    Args:
        channel: one of :data:`SLA_KINDS`.
        received: the moment of receipt, registration or escalation; must carry a time zone,
            since the Moscow date of receipt decides the count.
        calendar: the working days to count with.

    Returns:
        An aware datetime in Europe/Moscow.

    Raises:
        ValueError: unknown ``channel`` or naive ``received``.
    """
    if channel not in SLA_KINDS:
        raise ValueError(f"Неизвестный канал «{channel}»: допустимы {', '.join(SLA_KINDS)}.")
    _require_aware(received, "received")
    if channel == LINE3:
        # Through UTC: adding hours to a moment in a zone with DST would add wall-clock hours.
        moment = received.astimezone(UTC).replace(microsecond=0) + LINE3_TARGET
        return moment.astimezone(MOSCOW)

    day = moscow_date(received)
    if channel == UNION_EMAIL:
        last_day = calendar.next_working_day_on_or_after(day + timedelta(days=UNION_EMAIL_CALENDAR_DAYS))
    else:  # chat, project_email
        last_day = calendar.add_working_days(day, WORKING_DAYS_TO_ANSWER)
    return datetime.combine(last_day, _END_OF_DAY, tzinfo=MOSCOW)


def moscow_date(moment: datetime) -> date:
    """The Moscow calendar date of an aware moment (22:30 UTC is already the next Moscow day)."""
    _require_aware(moment, "moment")
    return moment.astimezone(MOSCOW).date()


def breached(due: datetime, now: datetime) -> bool:
    """Whether the deadline has passed at ``now``.

    Deadlines are whole seconds and their last second is still in time, so ``now`` is compared
    truncated to the second: 23:59:59.7 is in time for a 23:59:59 deadline.
    """
    _require_aware(due, "due")
    _require_aware(now, "now")
    return now.replace(microsecond=0) > due


def approaching(
    due: datetime,
    now: datetime,
    calendar: WorkCalendar,
    *,
    threshold: timedelta = ONE_WORKING_DAY,
) -> bool:
    """Whether less than ``threshold`` of working time is left before a deadline not yet missed.

    Working time is the part of the remaining interval that falls on working days (whole Moscow
    days), so a weekend does not use it up: on Saturday a deadline at the end of Monday still has
    a full working day left. A ``line3`` target has 24 clock hours in all, so with the default
    threshold it is approaching within seconds of the escalation; pass a smaller ``threshold`` for a clock-hour
    warning there.
    """
    if breached(due, now):
        return False
    start = now.astimezone(MOSCOW)
    end = due.astimezone(MOSCOW) + _ONE_SECOND  # the deadline second is still in time
    left = timedelta()
    day = start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            day_start = datetime.combine(day, time(), tzinfo=MOSCOW)
            day_end = datetime.combine(day + timedelta(days=1), time(), tzinfo=MOSCOW)
            overlap = min(end, day_end) - max(start, day_start)
            if overlap > timedelta():
                left += overlap
                if left >= threshold:
                    return False
        day += timedelta(days=1)
    return True


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"{name}: момент времени без часового пояса ({moment.isoformat()}); "
            "укажите смещение (например, +03:00), иначе нельзя определить московскую дату."
        )
