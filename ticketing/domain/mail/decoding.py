"""Bytes and headers to text, for letters in any encoding a Russian mailbox sees.

A declared charset is used when it decodes cleanly; otherwise UTF-8; otherwise the likelier of
windows-1251 and KOI8-R, judged by the text itself (Russian is mostly lower-case, and each of the
two read as the other comes out in capitals). Never raises: a letter must reach line 1 readable.
"""

from __future__ import annotations

import codecs
import email.errors
import email.header

_CHARSET_ALIASES = {"cp-1251": "cp1251", "win-1251": "cp1251", "windows1251": "cp1251", "x-cp1251": "cp1251"}


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode with the declared charset when it fits, else UTF-8, else the likelier of cp1251 and KOI8-R."""
    declared = _charset(charset)
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = [data.decode(c, errors="replace") for c in ("cp1251", "koi8_r")]
    return max(candidates, key=_russianness)


def _charset(charset: str | None) -> str | None:
    if not charset:
        return None
    name = charset.strip().strip('"').lower()
    name = _CHARSET_ALIASES.get(name, name)
    if name in ("unknown-8bit", "x-unknown", "us-ascii", "ascii"):
        return None  # ASCII is a lie when the bytes are 8-bit; let the fallbacks look
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _russianness(text: str) -> int:
    """Lower-case Cyrillic minus upper-case: cp1251 read as KOI8-R (or back) comes out in capitals."""
    lower = sum(1 for ch in text if "а" <= ch <= "я" or ch == "ё")
    upper = sum(1 for ch in text if "А" <= ch <= "Я" or ch == "Ё")
    return lower - upper - 5 * text.count("\ufffd")


def decode_words(value: str | None) -> str:
    """A header's text: RFC 2047 encoded-words and raw 8-bit bytes both decoded, lines unfolded."""
    if not value:
        return ""
    if has_raw_bytes(value):
        value = decode_bytes(value.encode("ascii", "surrogateescape"))
    try:
        chunks = email.header.decode_header(value)
    except (email.errors.HeaderParseError, ValueError):
        return " ".join(value.split())
    text = "".join(chunk if isinstance(chunk, str) else decode_bytes(chunk, charset) for chunk, charset in chunks)
    return " ".join(text.split())


def has_raw_bytes(value: str) -> bool:
    """Whether a header kept raw 8-bit bytes as surrogates (a mailer that did not encode it)."""
    return any("\udc80" <= ch <= "\udcff" for ch in value)
