"""The patterns the OpenAPI document gives free text say exactly what the API accepts.

The API neutralises free text (procedure.text_safety) and the document cannot run Python, so it
describes the result with two regular expressions; these properties hold them to the code.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from procedure.text_safety import BLANK_PATTERN, NOT_BLANK_PATTERN, VISIBLE_PATTERN, neutralise
from procedure.ticket_numbers import WHOLE_PATTERN, parse_number
from ticketing.http.schemas import CommentIn, MessageIn

# Characters the rules single out, mixed with anything else (lone surrogates included).
SPECIAL = (
    "\x1e\x00\x08\t\n\x0b\x0c\r\x1b\x1c\x1f \x7f\x85\x9f\xa0"
    "\u1680\u2000\u200b\u2028\u202a\u202e\u202f\u2066\u3000\ufeff\ud800"
)
texts = st.text(st.sampled_from(SPECIAL) | st.characters(), max_size=12)


@settings(max_examples=400)
@given(texts)
def test_visible_pattern_is_what_neutralising_and_stripping_leave(text: str) -> None:
    assert bool(re.search(VISIBLE_PATTERN, text)) == bool(neutralise(text).strip())


@settings(max_examples=400)
@given(texts)
def test_blank_pattern_is_what_strip_empties(text: str) -> None:
    assert bool(re.match(BLANK_PATTERN, text)) == (text.strip() == "")


@settings(max_examples=300)
@given(texts)
@example("\x1f")  # found exploring: pydantic's strip keeps \x1c-\x1f, neutralising removed them, "" was taken
@example("\x1c \x1d")
def test_required_text_is_accepted_exactly_when_the_document_says(text: str) -> None:
    try:
        MessageIn.model_validate({"text": text})
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == bool(re.search(VISIBLE_PATTERN, text))


@settings(max_examples=300)
@given(texts)
def test_optional_text_is_accepted_exactly_when_the_document_says(text: str) -> None:
    pattern = CommentIn.model_json_schema()["properties"]["comment"]["anyOf"][0]["pattern"]
    try:
        CommentIn.model_validate({"comment": text})
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == bool(re.search(pattern, text))


@settings(max_examples=300)
@given(texts)
def test_not_blank_pattern_is_what_strip_leaves_something_of(text: str) -> None:
    assert bool(re.search(NOT_BLANK_PATTERN, text)) == bool(text.strip())


# How people type ticket numbers: prefixes in both scripts and cases, separators, ASCII digits and spaces.
number_texts = st.text(st.sampled_from("бБвВbBvVnN№#-–—_: \t0123456789x"), max_size=14) | st.builds(
    lambda prefix, sep, digits: prefix + sep + digits,
    st.sampled_from(["", "БВБ", "бвб", "BVB", "bvb", "№", "# ", "n"]),
    st.sampled_from(["", "-", " ", " - ", "—", "№"]),
    st.from_regex(r"\A[0-9]{1,11}\Z"),
)


@settings(max_examples=500)
@given(number_texts)
def test_number_pattern_is_what_parse_number_reads(text: str) -> None:
    assert bool(re.search(WHOLE_PATTERN, text)) == (parse_number(text) is not None)


@pytest.mark.parametrize("pattern", [VISIBLE_PATTERN, BLANK_PATTERN, NOT_BLANK_PATTERN, WHOLE_PATTERN])
def test_patterns_use_only_escapes_every_engine_reads(pattern: str) -> None:
    r"""\xHH and \uHHHH only: ECMAScript (the document's dialect), Python and Rust agree on them."""
    assert not re.search(r"\\[^xtru\\-]", pattern) and not re.search(r"\\u(?![0-9a-f]{4})", pattern)
    assert "(?" not in pattern.replace("(?:", ""), "no inline flags or look-arounds"
