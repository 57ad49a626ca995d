"""A long message is read by the sentence that asks.

A parent writes a letter: a greeting, who they are and how they came to write, the question, thanks.
The training examples are single questions (none of them has two sentences), so every word of the
story and of the courtesies was a feature the models had to weigh against the question's few words:
on make calibrate's folds such letters were answered directly and right 17 % of the time against 67 %
for the same questions on their own, and the right scenario lost first place for half of them; read by
their questions, 64 % (docs/performance.md, «Бот: как пишут люди»).

This component keeps, of a message of two sentences or more, the tokens of the sentences that ask:

- the sentences with a question mark, except courtesies («Здравствуйте, можно вопрос?»);
- without any, the sentences that begin the way a question or a request does («Подскажите, …»,
  «Как …», «Хочу узнать …»);
- a question that does not say what it is about («Что делать?») also keeps the sentence before it
  («У меня не грузится тест. Что делать?»).

A message with no such sentence, or with one sentence, is read whole, as before. Only the tokens change:
the message text (what the tracker, the staff, the regex entity extractor and the screening see) stays
as written, so nothing the person wrote is lost. It comes right after the tokenizer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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

# A sentence ends at «.», «!», «?» or «…» followed by a space, or at a line break; a dot inside a word
# (an e-mail, «8.30») does not end one, nor the dot of an abbreviation («т.е.», «г.», «ул.»).
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")
_ABBREVIATION = re.compile(r"(?<![\w.])(?:\w{1,2}\.)+$")
_WORD = re.compile(r"[а-яёa-z0-9]+(?:-[а-яёa-z0-9]+)*")

# Words of greetings, thanks, apologies and of asking leave to ask: a sentence made of these alone
# says nothing about what is asked.
COURTESY_WORDS: frozenset[str] = frozenset(
    """
    здравствуйте здравствуй здрасте здрасьте привет приветствую добрый доброе доброго добрейший день
    вечер утро утра дня вечера времени суток уважаемые уважаемый уважаемая коллеги организаторы
    спасибо большое огромное заранее благодарю благодарна благодарен благодарны буду будем очень
    с уважением пожалуйста извините простите прошу прощения за беспокойство можно могу ли задать
    вопрос вопросик спросить один у меня есть к вам вас вам а и
    """.split()
)

# How a sentence that asks without a question mark begins.
ASKING_OPENINGS: frozenset[str] = frozenset(
    """
    как где когда куда откуда зачем почему отчего сколько что чем кто какой какая какое какие каким каких
    какую можно нужно надо обязательно ли подскажите скажите объясните расскажите помогите уточните хочу
    хотим хотела хотел хотелось интересует интересно
    """.split()
)

# A question made of these words alone («Что делать?», «Как быть?», «Почему так?») does not say what it is
# about: it keeps the sentence before it. «Это платно?» or «Тест не грузится, помогите?» say it themselves.
VAGUE_WORDS: frozenset[str] = ASKING_OPENINGS | frozenset(
    """
    делать сделать быть так это то же теперь дальше мне нам нибудь такое происходит случилось помочь можете
    вы с этим ним ней ними этого вообще
    """.split()
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) character offsets of the sentences of ``text``, blank ones left out."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        if "\n" not in boundary.group() and _ABBREVIATION.search(text, start, boundary.start()):
            continue
        if text[start : boundary.start()].strip():
            spans.append((start, boundary.start()))
        start = boundary.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _words(sentence: str) -> list[str]:
    return _WORD.findall(sentence.lower().replace("ё", "е"))


def is_courtesy(sentence: str) -> bool:
    """Whether a sentence is only a greeting, thanks, an apology or asking leave to ask."""
    return all(word in COURTESY_WORDS for word in _words(sentence))


def asks(sentence: str) -> bool:
    """Whether a sentence (without a question mark) begins the way a question or a request does."""
    words = _words(sentence)
    return bool(words) and words[0] in ASKING_OPENINGS


def focus(text: str) -> list[tuple[int, int]] | None:
    """The spans of ``text`` to read, or ``None`` to read it whole (see the module's text)."""
    spans = sentence_spans(text)
    if len(spans) < 2:
        return None
    sentences = [text[start:end] for start, end in spans]
    meaningful = [i for i, sentence in enumerate(sentences) if not is_courtesy(sentence)]
    chosen = [i for i in meaningful if "?" in sentences[i]]
    if not chosen:
        chosen = [i for i in meaningful if asks(sentences[i])]
    if not chosen:
        return None
    kept = set(chosen)
    for i in chosen:
        if all(word in VAGUE_WORDS for word in _words(sentences[i])):
            before = [j for j in meaningful if j < i]
            if before:
                kept.add(before[-1])
    if len(kept) == len(spans):
        return None
    return [spans[i] for i in sorted(kept)]


def focused_tokens(tokens: Sequence[Token], spans: Sequence[tuple[int, int]]) -> list[Token]:
    """The tokens that start inside one of ``spans``."""
    return [token for token in tokens if any(start <= token.start < end for start, end in spans)]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class QuestionFocus(GraphComponent):
    """Keeps the tokens of the sentences of a long message that ask (see the module's text)."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> QuestionFocus:
        """Creates the component (the graph calls this for training and inference)."""
        return cls()

    @staticmethod
    def _read(message: Message) -> None:
        tokens: list[Token] = message.get(TOKENS_NAMES[TEXT]) or []
        spans = focus(message.get(TEXT) or "") if tokens else None
        if spans is None:
            return
        kept = focused_tokens(tokens, spans)
        if kept:
            message.set(TOKENS_NAMES[TEXT], kept)

    def process(self, messages: list[Message]) -> list[Message]:
        """Focuses incoming messages' tokens (inference); the message text is left as written."""
        for message in messages:
            self._read(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """The same for the training examples, so an example of several sentences trains as it is read."""
        for example in training_data.training_examples:
            self._read(example)
        return training_data
