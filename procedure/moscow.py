"""Moscow time, in which the procedure counts its days and deadlines (§4.3, §6.2) and in which people read times.

The bot (the expected fix date of a known issue), the deadlines of ticketing and every time shown to staff use this
one zone.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")
