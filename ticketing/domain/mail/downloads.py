"""How a stored letter or attachment is handed to a member of staff: always as a download, never rendered.

A letter's attachment is whatever its sender made it: an HTML page with scripts, an SVG, a file
named ``.pdf`` that is something else. The console serves it from its own origin, where staff are
signed in, so nothing of it may run there: every file goes as ``Content-Disposition: attachment``
with ``X-Content-Type-Options: nosniff``, and a content type the browser would render or execute
(HTML, SVG, XML, scripts) is replaced by ``application/octet-stream``. Only types that browsers
treat as documents to save or open in a viewer keep their own.
"""

from __future__ import annotations

import re
from urllib.parse import quote

SAFE_TYPES = frozenset(
    {
        "application/pdf",
        "application/zip",
        "application/x-7z-compressed",
        "application/vnd.rar",
        "application/x-rar-compressed",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/rtf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/bmp",
        "image/heic",
        "text/plain",
        "text/csv",
        "message/rfc822",
        "audio/mpeg",
        "audio/ogg",
        "video/mp4",
    }
)
SAFE_PREFIXES = (
    "application/vnd.openxmlformats-officedocument.",  # docx, xlsx, pptx
    "application/vnd.oasis.opendocument.",  # odt, ods
)
FALLBACK_TYPE = "application/octet-stream"
_NOT_IN_QUOTES = re.compile(r'[\x00-\x1f\x7f"\\/;]+')


def served_type(content_type: str) -> str:
    """The type to send: the stored one if it is a plain document type, else ``application/octet-stream``."""
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if ctype in SAFE_TYPES or ctype.startswith(SAFE_PREFIXES):
        return ctype
    return FALLBACK_TYPE


def download_headers(filename: str, content_type: str) -> dict[str, str]:
    """Headers of a file download: its name in Russian (RFC 6266 ``filename*``), never shown inline."""
    name = _NOT_IN_QUOTES.sub("_", filename).strip(" .") or "файл"
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return {
        "Content-Type": served_type(content_type),
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "no-store",
        "Referrer-Policy": "same-origin",
    }
