"""The kind of a request (§1.1): предложение, заявление, жалоба or запрос информации, read from its words.

§1.1 names the kinds («предложения, заявления, жалобы, запросы информации») without defining them.
Both sides read them the same way, so this is the one definition: the chat-bot guesses the kind of
an appeal from what the pupil wrote (the pupil corrects it at the summary, actions/summary.py), and
the mail intake guesses the kind of every letter (ticketing/services/mail_intake.py).

- a complaint (жалоба) says something is wrong: the person is unhappy, or the platform does not
  work for them (the technical complaint);
- a statement (заявление) asks for something to be done with their data or account;
- a proposal (предложение) is an idea for the project;
- anything else is a request for information (запрос информации), the procedure's default.

Plain regular expressions on lower-cased text with «ё» spelled «е»: no I/O, Python 3.10+.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from procedure.requesters import REQUEST_KINDS
from procedure.screening.normalize import fold

DEFAULT = "info_request"

_DISSATISFIED = (
    r"жалоб|пожаловат|жалуюсь|недовол|возмутит|безобраз|отвратит|ужасн|"
    r"хамств|нагруб|кошмар|претензи|позор|сколько\s+можно|надоел|никто\s+не\s+(отвеча|помога|помог)"
)
# Something of the platform does not work: the technical complaint.
_BROKEN = (
    r"\bне\s*(гру|загру|прогруж|работа|работ\b|открыва|открыл|запуска|запусти|воспроизв|отобража|"
    r"сохраня|сохрани|отправля|приход|пришл|пришел|показыва|грузит|пуска|нажима|могу\s+(войти|зайти|"
    r"загрузить|открыть|пройти|записаться|зарегистр|отправить|сохранить|изменить|поменять))|"
    r"\bничего\s+не\b|завис|вылета|слома|глюч|глюк|\bлага[ею]т|\bлаги\b|белы\w*\s+экран|ошибк\w*\s+(при|на\s+сайте|"
    r"сервер|\d{3})|\berror\b|\bбаг"
)
_STATEMENT = (
    r"заявлени|прошу\s+(вас\s+)?(удалить|исправить|изменить|поменять|заменить|"
    r"перенести|отозвать|аннулир|восстановить|объединить|сменить|привязать|отвязать)|"
    r"удалите|исправьте|измените|поменяйте|отвяжите|привяжите"
)
_PROPOSAL = (
    r"предлага|предложени|было\s+бы\s+(здорово|хорошо|классно|круто|удобно|"
    r"неплохо|отлично)|хорошо\s+бы|хотелось\s+бы.{0,30}(добав|появ|сдела)|"
    r"почему\s+бы\s+не|добавьте\s+(возможност|функци|кнопк|раздел)|\bиде[яю]"
)
# Checked in this order: «прошу исправить, это возмутительно» is a complaint, «прошу исправить
# фамилию» a statement, «хорошо бы, чтобы тест не зависал» a proposal, «тест не грузится» a complaint.
_KIND_RULES = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("complaint", _DISSATISFIED),
        ("statement", _STATEMENT),
        ("proposal", _PROPOSAL),
        ("complaint", _BROKEN),
    )
)
_BROKEN_RE = re.compile(_BROKEN)

# A kind the writer says it is not («это не жалоба, просто вопрос», «жаловаться не хочу», «без
# претензий») marks nothing: the span is cut out before the rules run.
_DENIED = re.compile(
    r"\bне\s+(?:(?:хочу|хотел\w*|буду|собира\w*)\s+)?(?:жалоб\w*|жалуюсь|жаловат\w*|пожаловат\w*|претензи\w*|"
    r"заявлени\w*|предложени\w*|предлага\w*)|"
    r"\b(?:жалоб\w*|жаловат\w*|пожаловат\w*)\s+не\s+(?:хочу|буду|собира\w*)\b|"
    r"\bбез\s+(?:претензи\w*|жалоб\w*)"
)


def says_broken(text: str) -> bool:
    """True when the words say something of the platform does not work («не грузится», «завис»)."""
    return bool(_BROKEN_RE.search(fold(text or "")))


def detect_request_kind(text: str) -> str:
    """Classifies a message as ``complaint``, ``statement``, ``proposal`` or ``info_request`` (§1.1).

    With no marker the request is an ``info_request``, the procedure's default.
    """
    folded = _DENIED.sub(" ", fold(text or ""))
    for kind, pattern in _KIND_RULES:
        if pattern.search(folded):
            return kind
    return DEFAULT


def strongest_kind(kinds: Iterable[str | None], question_type: str | None = None) -> str:
    """Picks the most specific kind: complaint > statement > proposal > info_request.

    A technical question (§5.6.1: «что-то не работает», or an instruction that did not help, §5.4)
    is no request for information: with nothing more specific it is a complaint.
    """
    present = {kind for kind in kinds if kind}
    kind = next((kind for kind in REQUEST_KINDS if kind in present), DEFAULT)
    return "complaint" if kind == DEFAULT and question_type == "technical" else kind
