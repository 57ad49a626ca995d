"""Messages without a concrete question (§4.9 of the procedure).

§4.9 leaves unanswered "requests that contain no concrete question". In a chat that is
the bare greeting or call for help that people send before the question itself:
«Здравствуйте!!!», «помогите», «?», «алло», «у меня вопрос». The bot does not drop such
a message; it asks what the question is. Replies such as «да», «ок», «спасибо» or a
number are answers to the bot, not empty requests, so they are not flagged here.
"""

from __future__ import annotations

import re
import unicodedata

from procedure.screening.normalize import fold

# Words that greet, call for attention or announce a question without asking it.
_FILLER = frozenset(
    """
    здравствуйте здраствуйте здравствуй здрасте здрасьте здрасти здравствуйте-здравствуйте добрый доброе доброго
    добрейший день дня вечер вечера утро утра ночи времени суток привет приветик приветствую всем хай салют
    алло алле ало ау эй помогите помогите-помогите помочь помощь нужна нужен пожалуйста пжл пж пжлст плиз
    срочно можно вопрос вопросик вопросы задать хочу у меня есть кто кто-нибудь кто-то нибудь живой живые тут
    здесь подскажите скажите проблема беда и а ну вас к вам извините простите мне такой такая один
    небольшой маленький вот еще хотел хотела хотелось бы спросить узнать уточнить
    hello hi hey help sos privet zdravstvuyte zdravstvujte хелп хэлп
    """.split()
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def is_no_question(text: str) -> bool:
    """Whether the message greets or calls for help but asks nothing.

    A message of punctuation only («?», «!!!», «.») or an empty one counts too. Emoji alone
    («👍», «🙂») are a reaction to the previous answer, and a digit may answer the bot (a
    class, a school number): neither counts.
    """
    if any(map(str.isdigit, text)):
        return False
    words = _WORD.findall(fold(text))
    if not words:
        return not any(unicodedata.category(char) == "So" for char in text)
    return all(word in _FILLER for word in words)
