"""Likely repeats (§4.9): the same requester asking again what was already answered.

Line 1 is shown the likely earlier ticket; nothing is closed automatically. Candidates are
the same requester's answered tickets, a handful at most, so a portable word-overlap measure
over crude stems does on SQLite and PostgreSQL alike what trigram search would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ticketing.domain.text_normalize import tokens

STEM_LENGTH = 5  # Russian endings vary; the first five letters carry the word in most cases
THRESHOLD = 0.5
STOP_WORDS = frozenset(
    "и в во не на я что как а с со по к у из за о об от до это мне меня мой моя мои у вы вас ваш "
    "здравствуйте добрый день вечер утро привет пожалуйста спасибо подскажите помогите можно ли "
    "есть был была было были уже еще ещё так там тут же бы ли или но".split()
)


def stems(text: str) -> frozenset[str]:
    """The content words of ``text`` cut to a common stem."""
    return frozenset(t[:STEM_LENGTH] for t in tokens(text) if t not in STOP_WORDS and len(t) > 2)


def similarity(a: str, b: str) -> float:
    """Overlap of content stems, from 0 to 1 (Dice coefficient: forgiving to a longer retelling)."""
    sa, sb = stems(a), stems(b)
    if not sa or not sb:
        return 0.0
    return 2 * len(sa & sb) / (len(sa) + len(sb))


@dataclass(frozen=True)
class Earlier:
    number: str
    text: str


def likely_repeats(text: str, earlier: Iterable[Earlier], *, limit: int = 3) -> list[str]:
    """Numbers of earlier tickets that ``text`` most likely repeats, best first."""
    scored = sorted(
        ((similarity(text, e.text), e.number) for e in earlier),
        key=lambda pair: (-pair[0], pair[1]),
    )
    return [number for score, number in scored if score >= THRESHOLD][:limit]
