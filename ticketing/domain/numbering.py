"""Human-readable ticket numbers: «БВБ-000123».

People type them as they like («бвб 123», «BVB-123», «№123»), so parsing is lenient,
while the stored form is one: the Cyrillic prefix, a hyphen and six digits.
"""

from __future__ import annotations

import re

PREFIX = "БВБ"
_WIDTH = 6
_PATTERN = re.compile(r"^\s*(?:(?:бвб|bvb)\s*[-–—№#]?\s*|№\s*|#\s*)?0*(\d{1,9})\s*$", re.IGNORECASE)


def format_number(sequence: int) -> str:
    """The printed form of the ``sequence``-th ticket."""
    if sequence < 1:
        raise ValueError("ticket sequence numbers start at 1")
    return f"{PREFIX}-{sequence:0{_WIDTH}d}"


def parse_number(text: str) -> str | None:
    """Normalise what a person typed to the stored form, or ``None`` if it is not a ticket number."""
    match = _PATTERN.match(text)
    if not match or int(match.group(1)) == 0:
        return None
    return format_number(int(match.group(1)))
