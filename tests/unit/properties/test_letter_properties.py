"""Letters fuzzed at the parser (issue 13): each becomes a parsed letter, never an exception.

What the intake does with a letter before it touches the database — parse it, tell a robot's from a
person's, find the ticket number, the quote and the sender's name, weigh what §4.1.1 misses — runs
here over generated letters; ``tests/integration/test_mail_fuzz.py`` puts the same letters through the
whole intake on SQLite.
"""

from __future__ import annotations

from hypothesis import given, settings

from procedure.text_safety import neutralise
from tests.unit.properties.letters import letters
from ticketing.domain.mail.auto import LetterKind, classify
from ticketing.domain.mail.letters import Limits, attachments_ru, parse_letter
from ticketing.domain.mail.requester import PymorphyNames, find_name, is_anonymous, missing_fields
from ticketing.domain.mail.threads import bare_subject, strip_quoted, ticket_number_in

LIMITS = Limits(attachment_bytes=2_000, letter_bytes=200_000)  # small, so that some are dropped
NAMES = PymorphyNames()


@settings(max_examples=250)
@given(letters())
def test_every_letter_parses_into_what_the_intake_reads(raw: bytes) -> None:
    letter = parse_letter(raw, LIMITS)
    assert letter.size == len(raw)
    for text in (letter.text, letter.subject, letter.from_name):
        assert isinstance(text, str)
        neutralise(text).encode("utf-8")  # what is stored: writable, whatever came in
    assert letter.from_address is None or (
        "@" in letter.from_address and letter.from_address == letter.from_address.lower()
    )
    assert all(a.size >= 0 and a.filename and a.stored == (a.reason is None) for a in letter.attachments)
    assert isinstance(letter.stored_raw, bytes) and (letter.stored_raw == raw) != letter.raw_trimmed
    if letter.raw_trimmed:
        assert letter.not_stored, "the stored copy is trimmed only of refused attachments"
    kind, _ = classify(letter)
    assert isinstance(kind, LetterKind)
    ticket_number_in(letter.subject)
    bare_subject(letter.subject)
    text = neutralise(strip_quoted(letter.text)).strip()
    person = find_name(letter.from_name, text, NAMES)
    is_anonymous(letter.reply_address, person)
    missing_fields(subject=letter.subject, text=text, reply_address=letter.reply_address, person=person)
    if letter.attachments:
        assert attachments_ru(letter).startswith("Вложения: ")
