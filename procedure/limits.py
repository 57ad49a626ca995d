"""Lengths the bot and the ticketing service must agree on: what one sends, the other accepts.

Pure Python 3.10, no dependencies (``procedure/__init__.py``).
"""

from __future__ import annotations

# The text of a question the bot asks ``GET /api/v1/known-issues/match`` about travels in the URL, and the
# ticketing server reads at most 16 KB of request line and headers (Sanic's ceiling). Percent-encoded, a
# character takes up to 12 bytes (4 in UTF-8, each «%XX»): 1 000 of them fit with room for the headers,
# and the first thousand characters of a question name its problem if anything does (issue 13: 5 000
# Cyrillic characters made a 60 KB URL, and the server answered 413).
KNOWN_ISSUE_QUERY_MAX_CHARS = 1000
