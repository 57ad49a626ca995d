"""The answer of the screening engine for one message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

OK = "ok"
FOREIGN_LANGUAGE = "foreign_language"
ABUSIVE = "abusive"
THREAT = "threat"
VERDICTS = (OK, FOREIGN_LANGUAGE, ABUSIVE, THREAT)


@dataclass(frozen=True)
class Verdict:
    """Whether a message is left without answer, and why.

    Attributes:
        verdict: ``ok``, ``foreign_language`` (§4.7), ``abusive`` or ``threat`` (§4.8); when
            several apply the gravest wins: threat > abusive > foreign_language > ok.
        language: ISO 639-1 code of the detected language; ``ru`` also for a text with no
            language at all (numbers, e-mail addresses, emoji).
        reasons: short machine-readable reasons, gravest first (``threat:kill``,
            ``obscene_root:<root>``, ``insult``, ``script:ukrainian_letters``, ``lingua:en``...).
            An ``ok`` verdict may carry notes: ``translit:ru`` (Russian in Latin letters),
            ``insult_reported``, ``threat_reported``, ``self_harm`` (a person should read it).
        no_question: the message asks nothing concrete (§4.9): a bare greeting, «помогите»,
            «?». The bot then asks what the question is.
    """

    verdict: str
    language: str
    reasons: tuple[str, ...]
    no_question: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form for the HTTP API."""
        return {
            "verdict": self.verdict,
            "language": self.language,
            "reasons": list(self.reasons),
            "no_question": self.no_question,
        }
