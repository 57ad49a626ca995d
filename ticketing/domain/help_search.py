"""Search of the help page (§4.2.2.3): the answers people look for, best first, typos forgiven.

Words are compared by their dictionary form (pymorphy3, offline), so «пароля», «паролем» and
«пароль» are one word; a query word the answers do not contain is matched to a word one typo away
(«пороль» → «пароль») and, while it is still being typed, to the words it begins («профпр»).

An answer's score for a query word is the weight of the best place the word occurs in: its title
(the question as people ask it) 3, the ways people ask it (the bot's training examples) 2, the
answer's text 1, times the word's rarity among the answers (its inverse document frequency: «удалить»
tells more than «мероприятие», which half the answers have). Answers with the most query words found
come first, by score, then the shorter (more specific) title: «профпроба» puts «Что такое
профпроба?» before «Как записаться на профпробу?» and before answers that only mention it. The page
(``?q=``) and its script (``/help/search``) both use :func:`HelpIndex.rank`, so typing and submitting agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ticketing.domain.text_normalize import tokens, within_one_edit
from ticketing.domain.word_forms import default_analyzer

TITLE, EXAMPLES, TEXT = 3, 2, 1
# Shorter words are too easily one typo away from an unrelated word («тест» / «текст»).
TYPO_MIN_LENGTH = 5
PREFIX_MIN_LENGTH = 4
# Words that carry no question: «как», «мне», «не» are in every answer.
STOP_WORDS = frozenset(
    "а в во вы где да для до если есть же за и из или к как какой когда ко ли мне меня мой можно мы на нам "
    "нас не нет ну о об он она они от по при про с со так там то ты у уже чем что чтобы это эта этот я".split()
)


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    """The dictionary form of a folded word; numbers and Latin words stay as they are."""
    if not word.isalpha() or not ("а" <= word[0] <= "я"):
        return word
    return str(default_analyzer().parse(word)[0].normal_form).replace("ё", "е")


def query_words(query: str) -> list[str]:
    """The words of a query that carry meaning, as lemmas, each once, in order."""
    seen: list[str] = []
    for word in tokens(query):
        if word in STOP_WORDS:
            continue
        form = lemma(word)
        if form not in seen:
            seen.append(form)
    return seen


@dataclass(frozen=True)
class Searchable:
    """What the index needs of one answer."""

    key: str
    title: str
    text: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    key: str
    found: int  # how many of the query's words the answer has
    score: float


class HelpIndex:
    """The lemmas of every answer by the place they occur in, built once per content version."""

    def __init__(self, entries: Iterable[Searchable]) -> None:
        self._entries = list(entries)
        self._weights: dict[str, dict[str, int]] = {}  # key → lemma → best weight
        for entry in self._entries:
            weights: dict[str, int] = {}
            for text, weight in (
                (entry.text, TEXT),
                (" ".join(entry.examples), EXAMPLES),
                (entry.title, TITLE),
            ):
                for word in tokens(text):
                    form = lemma(word)
                    weights[form] = max(weights.get(form, 0), weight)
            self._weights[entry.key] = weights
        self._vocabulary = frozenset(form for weights in self._weights.values() for form in weights)
        count = len(self._weights)
        self._rarity = {
            form: math.log(1 + count / sum(1 for weights in self._weights.values() if form in weights))
            for form in self._vocabulary
        }

    def _variants(self, word: str) -> frozenset[str]:
        """The index's words a query word stands for: itself, else one typo away, else words it begins."""
        if word in self._vocabulary:
            return frozenset({word})
        if len(word) >= TYPO_MIN_LENGTH:
            near = frozenset(v for v in self._vocabulary if len(v) >= TYPO_MIN_LENGTH and within_one_edit(word, v))
            if near:
                return near
        if len(word) >= PREFIX_MIN_LENGTH:
            return frozenset(v for v in self._vocabulary if v.startswith(word))
        return frozenset()

    def rank(self, query: str) -> list[Hit]:
        """Answers for ``query``, best first; only those with the most of its words found.

        An empty list when the query has no meaningful word or none of its words is anywhere.
        """
        variants = [self._variants(word) for word in query_words(query)]
        if not variants:
            return []
        hits = []
        for entry in self._entries:
            weights = self._weights[entry.key]
            per_word = [max((weights.get(v, 0) * self._rarity[v] for v in forms), default=0.0) for forms in variants]
            found = sum(1 for weight in per_word if weight)
            if found:
                hits.append((Hit(entry.key, found, sum(per_word)), len(entry.title)))
        if not hits:
            return []
        most = max(hit.found for hit, _ in hits)
        best = sorted((pair for pair in hits if pair[0].found == most), key=lambda p: (-p[0].score, p[1]))
        return [hit for hit, _ in best]
