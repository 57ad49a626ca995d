"""One screening engine for every channel: the bot and the mail both ask it about each message.

It applies the paragraphs of the procedure that leave a request without answer: §4.7
(foreign languages, with §1.4: the project's language is Russian), §4.8 (obscene or
insulting expressions, threats to life and health) and flags §4.9 (no concrete question).
"""

from __future__ import annotations

from procedure.screening.language import LanguageDetector, LanguageIdentifier, LinguaDetector
from procedure.screening.no_question import is_no_question
from procedure.screening.obscenity import AbuseMatcher
from procedure.screening.threats import ThreatMatcher
from procedure.screening.verdict import ABUSIVE, FOREIGN_LANGUAGE, OK, THREAT, Verdict

# Long letters (mail) are screened on their beginning: a request's language and tone show
# early, and the cost of every check stays bounded.
MAX_SCREENED_CHARS = 5000


class ScreeningEngine:
    """Screens messages; build once (it loads the dictionary and the language models).

    After construction the engine only reads its state (the caches it fills are
    thread-safe), so one instance serves all threads of a server.

    Args:
        use_lingua: load lingua's models for longer texts the rules leave open. ``False``
            keeps to the rules: faster start, slightly weaker on long foreign texts.
    """

    def __init__(self, *, use_lingua: bool = True) -> None:
        import pymorphy3

        morph = pymorphy3.MorphAnalyzer()
        detector: LanguageDetector | None = LinguaDetector() if use_lingua else None
        self._language = LanguageIdentifier(morph.word_is_known, detector)
        self._abuse = AbuseMatcher()
        self._threats = ThreatMatcher()
        self.screen("Здравствуйте, не могу войти в личный кабинет")  # warm the caches and lingua

    def screen(self, text: str) -> Verdict:
        """Screen one message and say whether and why it is left without answer."""
        text = text[:MAX_SCREENED_CHARS]
        language = self._language.identify(text)
        abuse = self._abuse.find(text)
        threat = self._threats.find(text)
        if threat.reasons:
            verdict = THREAT
        elif abuse.reasons:
            verdict = ABUSIVE
        elif language.foreign:
            verdict = FOREIGN_LANGUAGE
        else:
            verdict = OK
        reasons = (*threat.reasons, *abuse.reasons, *language.reasons, *threat.notes, *abuse.notes)
        return Verdict(verdict, language.language, reasons, is_no_question(text))
