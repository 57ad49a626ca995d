"""Russian typed in Latin letters, read back into Cyrillic tokens for the NLU pipeline.

Pupils without a Russian keyboard write «kak zaregistrirovatsya ucheniku» or «ne prihodit kod na
email». Every featurizer of ``config.yml`` (words, lemmas, character n-grams) learned Cyrillic, so
such a message used to share no feature with any example and fell to «не понял». This component
replaces the *tokens* of a message that reads as transliterated Russian with their Cyrillic
reading; the message text (what the tracker, the staff and the regex entity extractor see) stays
as the person wrote it.

The reading is :class:`procedure.translit.LatinReader`, the one the ticketing service reads region
names with: a Latin word becomes the word of a vocabulary with the same skeleton, else it is spelt
out letter by letter. The vocabulary is the Cyrillic words of the training examples, collected by
:meth:`TransliterationReader.train` and kept with the model, so a retrained model reads the words
its featurizers know.

What stays as written: tokens with digits or other signs (logins such as ``pupil_ab12``, e-mails,
URLs, error codes), technical words pupils mix in («email», «login», «ok», «wi-fi»), Latin words
of the training examples that read as none of their Russian words («worldskills»), and every
Latin token of a message whose Latin words mostly do not read as Russian (English, a login
answered to the form). It must come right after the tokenizer (and the question focus), before
the lemmatizer.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from procedure.screening.language_data import ENGLISH_COMMON, SHORT_TRANSLIT_WORDS, TECH_WORDS
from procedure.translit import LatinReader, fold, spell_out

VOCABULARY_FILE = "vocabulary.json"

# Technical words stay as written, except the names of the project's own Russian things, which
# pupils transliterate like any other word («chto takoe bilet v budushchee»).
KEPT_LATIN: frozenset[str] = TECH_WORDS - {"bilet", "dnevnik", "sferum", "gosuslugi", "test", "profile"}

# A token of Latin letters, possibly with an apostrophe for the soft sign («zapisat'sya») or hyphens
# between parts («kakoy-to»). Anything else (digits, «_», «@», «.») is a login, an address or a code.
_LATIN_TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)*(?:-[a-z]+(?:['’][a-z]+)*)*")
_APOSTROPHES = re.compile(r"['’]")
# Chat Latin writes some letters by their shape: «4to», «xoro6o». Such a token (two letters at least) is
# read only when it comes out as a vocabulary word; otherwise it is a login or a code and stays.
_CHAT_TOKEN = re.compile(r"(?=(?:.*[a-z]){2})[a-z]*[46][a-z46]*")
_CYRILLIC_WORD = re.compile(r"[а-я]+(?:-[а-я]+)*")
_CACHE_LIMIT = 100_000


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class TransliterationReader(GraphComponent):
    """Replaces the Latin-letter tokens of transliterated Russian with their Cyrillic reading."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Returns the component's default config.

        ``min_share``: the share of a message's Latin words that must be words of the vocabulary
        (or short Russian words such as «ne», «v», «kak») for the message to count as
        transliterated Russian. ``keep``: more Latin words never to read as Russian.
        """
        return {"min_share": 0.5, "keep": []}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
        cyrillic: Iterable[str] = (),
        latin: Iterable[str] = (),
    ) -> None:
        """Creates the component.

        Args:
            config: Component config (see :meth:`get_default_config`).
            model_storage: Where :meth:`train` keeps the vocabulary (``None`` in tests that never train).
            resource: The component's resource in ``model_storage``.
            cyrillic: The Russian words to read Latin words as (the training examples' words), the most
                frequent first: where two share a skeleton («результаты», a Ukrainian example's
                «результати»), the earlier wins.
            latin: Latin words the training examples contain; they stay as written.
        """
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._min_share = float(self._config["min_share"])
        self._set_vocabulary(list(dict.fromkeys(cyrillic)), sorted(set(latin)))

    def _set_vocabulary(self, cyrillic: list[str], latin: list[str]) -> None:
        self._cyrillic_words = cyrillic
        self._latin_words = latin
        # One vocabulary a word, so that LatinReader's «an earlier vocabulary wins» keeps the frequency order.
        self._reader = LatinReader(*([word] for word in cyrillic))
        self._cache: dict[str, str | None] = {}
        # A Latin word of the examples that reads as none of their Russian words («worldskills», «zoom»)
        # is a feature as it is; one that does read as Russian is read like any other, in training too.
        self._kept = KEPT_LATIN | {fold(w) for w in self._config["keep"]} | {w for w in latin if self.known(w) is None}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TransliterationReader:
        """Creates an untrained component (the graph calls this before :meth:`train`)."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TransliterationReader:
        """Loads the component with the vocabulary :meth:`train` kept with the model."""
        with model_storage.read_from(resource) as directory:
            stored = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, stored["cyrillic"], stored["latin"])

    def train(self, training_data: TrainingData) -> Resource:
        """Collects the training examples' words and keeps them with the model.

        Returns:
            The resource the vocabulary is written to.
        """
        cyrillic: Counter[str] = Counter()
        latin: set[str] = set()
        for example in training_data.training_examples:
            for token in example.get(TOKENS_NAMES[TEXT]) or []:
                word = fold(token.text)
                if _CYRILLIC_WORD.fullmatch(word):
                    cyrillic.update(word.split("-"))
                elif _LATIN_TOKEN.fullmatch(word):
                    latin.add(word)
        by_frequency = sorted(cyrillic, key=lambda word: (-cyrillic[word], len(word), word))
        self._set_vocabulary(by_frequency, sorted(latin))
        if self._model_storage is None or self._resource is None:
            raise ValueError("TransliterationReader.train needs the model storage the graph gives create()")
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(
                json.dumps({"cyrillic": self._cyrillic_words, "latin": self._latin_words}, ensure_ascii=False),
                encoding="utf-8",
            )
        return self._resource

    def known(self, word: str) -> str | None:
        """The vocabulary word a folded Latin word stands for, or ``None``; cached.

        Besides the usual romanisations, the chat's spellings by shape are tried when those find
        nothing: «4» and «6» for «ч» and «ш», «x» for «х» (not «кс»), «w» for «ш» or «щ».
        """
        if word in self._cache:
            return self._cache[word]
        result = None
        for spelling in _spellings(_APOSTROPHES.sub("", word)):
            result = self._reader.known(spelling)
            if result is not None:
                break
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[word] = result
        return result

    def reading(self, words: list[str]) -> list[str] | None:
        """The Cyrillic reading of a message's words, or ``None`` when it is not transliterated Russian.

        Args:
            words: The tokens' texts, as written.

        Returns:
            One string a word: a Latin word read as Russian, any other as written.
        """
        folded = [fold(w) for w in words]
        latin = [
            i
            for i, w in enumerate(folded)
            if w not in self._kept
            and (_LATIN_TOKEN.fullmatch(w) or (_CHAT_TOKEN.fullmatch(w) and self.known(w) is not None))
        ]
        content = [folded[i] for i in latin if len(folded[i]) >= 2]
        if not content:
            return None
        russian = sum(1 for w in content if self._reads_as_russian(w))
        if russian == 0 or russian < self._min_share * len(content):
            return None
        result = list(words)
        for i in latin:
            result[i] = _case_like(words[i], "-".join(self._read(part) for part in folded[i].split("-")))
        return result

    def _reads_as_russian(self, word: str) -> bool:
        if word in SHORT_TRANSLIT_WORDS:
            return True
        if word in ENGLISH_COMMON or len(word) < 3:
            return False
        return all(self.known(part) is not None for part in word.split("-"))

    def _read(self, word: str) -> str:
        plain = _APOSTROPHES.sub("", word)
        return self.known(word) or spell_out(plain)

    def _read_message(self, message: Message) -> None:
        tokens: list[Token] = message.get(TOKENS_NAMES[TEXT]) or []
        reading = self.reading([token.text for token in tokens]) if tokens else None
        if reading is None:
            return
        for token, text in zip(tokens, reading, strict=True):
            if text != token.text:
                token.text = text
                token.lemma = text

    def process(self, messages: list[Message]) -> list[Message]:
        """Reads incoming messages' tokens (inference); the message text is left as written."""
        for message in messages:
            self._read_message(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Reads the training examples' tokens the same way, so training sees what inference sees."""
        for example in training_data.training_examples:
            self._read_message(example)
        return training_data


def _spellings(word: str) -> list[str]:
    """The word, then its chat spellings by shape (see :meth:`TransliterationReader.known`)."""
    spellings = [word]
    plain = word.replace("4", "ch").replace("6", "sh")
    if plain != word:
        spellings.append(plain)
    if "x" in plain:
        spellings.append(plain.replace("x", "kh"))
    if "w" in plain:
        spellings += [plain.replace("w", "sh"), plain.replace("w", "shch")]
    return spellings


def _case_like(original: str, reading: str) -> str:
    """The reading in the case of the written word («KAK» → «КАК», «Kazan» → «Казань»): word shapes are features."""
    if original.isupper() and len(original) > 1:
        return reading.upper()
    if original[:1].isupper():
        return reading[:1].upper() + reading[1:]
    return reading
