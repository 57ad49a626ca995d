"""Obscene words (мат) and insults aimed at people (§4.8 of the procedure).

§4.8 leaves unanswered the requests "containing obscene or insulting expressions". Two
checks follow from it:

* **мат** is matched by roots, whatever the disguise (masks, digits, Latin look-alikes,
  stretched letters, spaced or dotted letters, transliteration). A quoted obscene word is
  still an obscene word in the request, so мат counts even inside a report.
* **insults** count only when they are *used*: aimed at the staff or the reader («вы
  идиоты», «оператор — урод»). A message that *reports* an insult («учитель назвал меня
  дураком», «меня оскорбили в чате») or where the writer scolds himself («я идиот, забыл
  пароль») needs an answer and is not flagged; it gets the note ``insult_reported``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from procedure.screening.lexicon import (
    ADDRESSEE_MARKERS,
    MASKED_FORMS,
    OBSCENE_EXCEPTIONS,
    OBSCENE_LATIN,
    OBSCENE_LATIN_EXCEPTIONS,
    OBSCENE_ROOTS,
    REPORT_MARKERS,
    SELF_MARKERS,
    STRONG_INSULTS,
    WEAK_INSULTS,
)
from procedure.screening.normalize import (
    chunks,
    collapse_repeats,
    fold,
    has_latin,
    join_spaced_letters,
    lookalike_to_cyrillic,
    transliterations,
)

_MASK_RUN = re.compile(r"[*@]+")
_LETTERS = re.compile(r"[a-zа-я]")
_NON_WORD = re.compile(r"[^a-zа-я0-9$]")
_NOT_MASKED_LETTER = re.compile(r"[^а-я*]")
_SENTENCES = re.compile(r"[.!?;\n]+")
_CYRILLIC_WORD = re.compile(r"[а-яё]+")
# Words right before an insult that make it the writer's own («я идиот», «за дурака»)
# whatever else the sentence says; SELF_MARKERS beyond these only count with no «вы»/«ты».
_ALWAYS_SELF = frozenset({"я", "меня", "мне", "за", "сам", "сама"})
_SECOND_PERSON = frozenset({"вы", "ты", "вас", "вам", "тебя", "тебе", "ваш", "ваши", "ваша", "твой", "твоя", "твои"})
_MAX_TRANSLIT_FORMS = 4
# Pieces (words as written) whose verdict is remembered: words repeat (Zipf), and a verdict
# depends on the piece alone. 65,536 short strings are a few MB.
_PIECE_CACHE = 65_536


@dataclass(frozen=True)
class _Vocabulary:
    """Exact forms and prefixes of one word list (entries ending in «$» are exact)."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def of(cls, entries: tuple[str, ...]) -> _Vocabulary:
        exact = frozenset(e[:-1] for e in entries if e.endswith("$"))
        return cls(exact, tuple(e for e in entries if not e.endswith("$")))

    def __contains__(self, token: object) -> bool:
        return isinstance(token, str) and (token in self.exact or token.startswith(self.prefixes))


@dataclass(frozen=True)
class AbuseFinding:
    """Reasons that make a message abusive, and notes that explain why it is not."""

    reasons: tuple[str, ...]
    notes: tuple[str, ...] = ()


class AbuseMatcher:
    """Finds мат and insults in one message; immutable after construction, so thread-safe."""

    def __init__(self) -> None:
        self._roots = tuple((name, re.compile(pattern)) for name, pattern in OBSCENE_ROOTS.items())
        # One pass that tells whether *any* root matches; the roots are then tried in order,
        # so the first listed root still names the finding. Most words match none.
        self._any_root = re.compile("|".join(f"(?:{pattern})" for pattern in OBSCENE_ROOTS.values()))
        self._piece_root = functools.lru_cache(maxsize=_PIECE_CACHE)(self._piece_root_uncached)
        self._latin = tuple((name, re.compile(pattern)) for name, pattern in OBSCENE_LATIN.items())
        self._masked = tuple((form, self._root_of(form)) for form in MASKED_FORMS)
        self._strong = _Vocabulary.of(STRONG_INSULTS)
        self._weak = _Vocabulary.of(WEAK_INSULTS)
        self._addressee = _Vocabulary.of(ADDRESSEE_MARKERS)
        self._report = _Vocabulary.of(REPORT_MARKERS)
        self._insult_kind = functools.lru_cache(maxsize=_PIECE_CACHE)(self._insult_kind_uncached)

    def find(self, text: str) -> AbuseFinding:
        """Reasons such as ``obscene_root:хуй`` or ``insult``; empty when the text is clean."""
        reasons: list[str] = []
        for root in self._obscene_roots(text):
            reason = f"obscene_root:{root}"
            if reason not in reasons:
                reasons.append(reason)
        insult, reported = self._insults(text)
        if insult:
            reasons.append("insult")
        notes = ("insult_reported",) if reported and not insult else ()
        return AbuseFinding(tuple(reasons), notes)

    # --- мат ----------------------------------------------------------------------------

    def _root_of(self, token: str) -> str | None:
        if not self._any_root.search(token):
            return None
        if any(exception in token for exception in OBSCENE_EXCEPTIONS):
            return None
        for name, pattern in self._roots:
            if pattern.search(token):
                return name
        return None

    def _obscene_roots(self, text: str) -> list[str]:
        pieces = chunks(text)
        found: list[str] = []
        for piece in pieces + join_spaced_letters(pieces):
            root = self._masked_root(piece) if _MASK_RUN.search(piece) else None
            if root is None:
                root = self._piece_root(piece)
            if root is not None:
                found.append(root)
        return found

    def _piece_root_uncached(self, piece: str) -> str | None:
        plain = _NON_WORD.sub("", piece)
        if not plain:
            return None
        if has_latin(plain):
            if plain in OBSCENE_LATIN_EXCEPTIONS:
                return None
            for name, pattern in self._latin:
                if pattern.search(plain):
                    return name
            forms = [lookalike_to_cyrillic(plain), *transliterations(plain)[:_MAX_TRANSLIT_FORMS]]
        elif any(char.isdigit() for char in plain) or "$" in plain:
            if not _LETTERS.search(plain):
                return None
            forms = [lookalike_to_cyrillic(plain)]
        else:
            forms = [plain]
        for form in forms:
            root = self._root_of(collapse_repeats(form))
            if root is not None:
                return root
        return None

    def _masked_root(self, piece: str) -> str | None:
        """«х*й», «п***ц», «бл@ть»: a run of k masks stands for one to k + 2 letters."""
        mapped = _NOT_MASKED_LETTER.sub("", lookalike_to_cyrillic(piece.replace("@", "*")))
        letters = mapped.replace("*", "")
        masks = len(mapped) - len(letters)
        if len(letters) < 2 and not (letters and letters[0] in "хпбе" and masks >= 2):
            return None
        parts = _MASK_RUN.split(mapped)
        gaps = [f"[а-я]{{1,{len(run) + 2}}}" for run in _MASK_RUN.findall(mapped)]
        pattern = re.compile("".join(re.escape(part) + gap for part, gap in zip(parts, [*gaps, ""], strict=True)))
        for form, root in self._masked:
            if root is not None and pattern.fullmatch(form):
                return root
        return None

    # --- insults ------------------------------------------------------------------------

    def _insult_kind_uncached(self, token: str) -> tuple[bool, bool]:
        """Whether the word, stretched letters collapsed, is a strong and whether a weak insult."""
        word = collapse_repeats(token)
        strong = word in self._strong
        return strong, not strong and word in self._weak

    def _insults(self, text: str) -> tuple[bool, bool]:
        """Whether an insult is used, and whether one was seen in a message that reports it."""
        folded = fold(text)
        all_tokens = _CYRILLIC_WORD.findall(folded)
        report = any(token in self._report for token in all_tokens)
        reported = False
        for sentence in _SENTENCES.split(folded):
            tokens = _CYRILLIC_WORD.findall(sentence)
            second_person = any(token in _SECOND_PERSON for token in tokens)
            for i, token in enumerate(tokens):
                strong, weak = self._insult_kind(token)
                if not strong and not weak:
                    continue
                if report:
                    reported = True
                    continue
                before = tokens[max(0, i - 2) : i]
                if any(b in _ALWAYS_SELF for b in before):
                    continue
                if not second_person and any(b in SELF_MARKERS for b in before):
                    continue
                if strong:
                    return True, False
                window = tokens[max(0, i - 3) : i + 4]
                if any(w in self._addressee for w in window if w != token):
                    return True, False
        return False, reported
