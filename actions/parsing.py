"""Plain rules that read what people type: e-mails, roles, ticket numbers, kinds of request.

No I/O and no Rasa here, so every rule is tested directly (tests/actions/test_parsing.py).
Regexes work on lower-cased text with «ё» folded to «е».
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from procedure import request_kinds, ticket_numbers
from procedure.requesters import QUESTION_TYPES, REQUEST_KINDS, ROLES
from procedure.screening.normalize import collapse_repeats
from procedure.text_safety import EMAIL

FIELDS = ("region", "role", "login", "email", "question_type", "description")
# Corrected at the summary without the form: the kind of request (§1.1) is the bot's guess, not a question.
SUMMARY_FIELDS = (*FIELDS[:5], "request_kind", FIELDS[5])

LOGIN_UNKNOWN = "не указан"


def fold(text: str) -> str:
    """Lower-cases and folds «ё» to «е»: the form every rule below expects."""
    return (text or "").lower().replace("ё", "е").strip()


def is_payload(text: str | None) -> bool:
    """True for button payloads such as ``/affirm`` or ``/inform{...}``."""
    return bool(text) and (text or "").lstrip().startswith("/")


# --- e-mail --------------------------------------------------------------------------

_EMAIL_IN_TEXT = re.compile(r"[^\s<>()\[\];:«»\"']*@[^\s<>()\[\];:«»\"']*")
_EMAIL = EMAIL  # the one shape of an address; the ticketing API checks the same (procedure.text_safety)
_COMMON_DOMAINS = (
    "mail.ru", "gmail.com", "yandex.ru", "ya.ru", "bk.ru", "list.ru", "inbox.ru",
    "rambler.ru", "icloud.com", "outlook.com", "hotmail.com", "yahoo.com", "internet.ru",
)


@dataclass(frozen=True)
class EmailCheck:
    """Outcome of :func:`check_email`.

    ``problem`` is one of ``missing``, ``cyrillic``, ``invalid``, ``typo`` (then
    ``suggestion`` holds the likely address), or None when ``email`` is fine.
    """

    email: str | None
    problem: str | None = None
    suggestion: str | None = None


def check_email(text: str) -> EmailCheck:
    """Finds and checks the e-mail in a message, explaining what is wrong if anything.

    Tolerates the usual slips: spaces around «@», a trailing dot, «,» for «.» in the
    domain; suggests the address when a well-known domain is mistyped (gmial.com).
    """
    raw = re.sub(r"\s*@\s*", "@", (text or "").strip())
    match = _EMAIL_IN_TEXT.search(raw)
    if not match:
        return EmailCheck(None, "missing")
    candidate = match.group(0).strip(".,").lower()
    local, _, domain = candidate.partition("@")
    domain = domain.replace(",", ".")
    candidate = f"{local}@{domain}"
    if re.search(r"[а-я]", local):
        return EmailCheck(None, "cyrillic")
    if not _EMAIL.match(candidate) or ".." in candidate:
        return EmailCheck(None, "invalid", _suggest(local, domain))
    suggestion = _suggest(local, domain)
    if suggestion:
        return EmailCheck(None, "typo", suggestion)
    return EmailCheck(candidate)


def _suggest(local: str, domain: str) -> str | None:
    if not local or domain in _COMMON_DOMAINS:
        return None
    close = difflib.get_close_matches(domain, _COMMON_DOMAINS, n=1, cutoff=0.75)
    return f"{local}@{close[0]}" if close else None


# --- role ----------------------------------------------------------------------------

# Order matters: «мама ученика» is a parent, «учитель» is not a pupil.
_ROLE_RULES = (
    ("mentor", r"\b(педагог|навигатор|учител|наставник|классн\w*\s+рук|классрук|преподава|тьютор|mentor)"),
    ("parent", r"\b(родител|мам[аыеуо]?\b|пап[аыеуо]?\b|мать|матер|отец|отц|бабушк|дедушк|опекун|"
               r"законн\w*\s+представ|сын|доч|parent)"),
    ("venue", r"\b(площадк|предприяти|организаци|колледж|техникум|работодател|venue)"),
    ("participant", r"\b(участни|учени|школьни|учащ|учусь|ребен|\d{1,2}\s*(-?й\s*)?класс|participant)"),
    ("other", r"\b(друг|ин\w*\s+роль|иное|никто|other)"),
)


def parse_role(text: str) -> str | None:
    """Maps «я мама», «педагог-навигатор», «ученица 8 класса» to a role code, or None."""
    folded = fold(text)
    if folded in ROLES:
        return folded
    for role, pattern in _ROLE_RULES:
        if re.search(pattern, folded):
            return role
    return None


# --- login ---------------------------------------------------------------------------

_LOGIN_UNKNOWN = re.compile(
    r"^(я\s+)?(не\s*(помню|знаю|уверен\w*)|забыл\w*|нет(у)?(\s+логина)?|без\s+(логина|понятия)|"
    r"понятия\s+не\s+имею|хз|не\s+регистрир\w*)\b"
)
_LOGIN = re.compile(r"^[\w.@+\-]{2,64}$")
_LOGIN_AFTER_WORD = re.compile(r"(?:логин|login|ник)\w*\s*(?:[:\-—=]\s*|это\s+)?([\w.@+\-]{2,64})")


def parse_login(text: str) -> str | None:
    """Returns the login, :data:`LOGIN_UNKNOWN` for «не помню», or None if unreadable.

    «мой логин ivanov2011» gives «ivanov2011»; several words without such a hint do not
    make a login, the user is asked again.
    """
    raw = (text or "").strip().strip(".,!;«»\"'")
    if not raw or is_payload(raw):
        return None
    if _LOGIN_UNKNOWN.search(fold(raw)):
        return LOGIN_UNKNOWN
    if _LOGIN.match(raw):
        return raw
    hinted = _LOGIN_AFTER_WORD.search(raw.lower())
    if hinted:
        start = hinted.start(1)
        return raw[start : start + len(hinted.group(1))]
    return None


# --- question type -------------------------------------------------------------------

_TECHNICAL = re.compile(
    r"техн|ошиб|сбо[йия]|завис|вылета|баг|глюч|глюк|лаг|слома|белы\w*\s+экран|"
    r"не\s*(гру|загру|работ|открыва|получа|могу|запуска|вход|заход|прогруж|отобража|"
    r"сохраня|отправля|приход|показыва|видно|пуска|нажима|активн)|пароль|войти|"
    r"не\s+пришл|пропал|исчез|error"
)
_INFORMATIONAL = re.compile(
    r"информ|инфо\b|узнать|спросить|уточнить|вопрос\s+по|расскаж|подскаж|объясн|"
    r"\bкак\b|\bкогда\b|\bгде\b|\bсколько\b|\bзачем\b|\bможно\s+ли\b|что\s+такое|"
    r"справк|сроки"
)


def parse_question_type(text: str) -> str | None:
    """«не грузится», «ошибка» → technical; «хочу узнать», «когда…» → informational.

    Technical markers win: «как войти, если пароль не подходит» is a technical problem.
    """
    folded = fold(text)
    if folded in QUESTION_TYPES:
        return folded
    if _TECHNICAL.search(folded):
        return "technical"
    if _INFORMATIONAL.search(folded):
        return "informational"
    return None


# --- ticket number -------------------------------------------------------------------

def normalize_ticket_number(text: str) -> str | None:
    """«бвб 123», «BVB-000123», «№123» → «БВБ-000123»; None when there is no number.

    The same reading as ticketing's (procedure/ticket_numbers.py): a number inside a sentence
    needs its prefix, a message that is only a number does not.
    """
    return ticket_numbers.find_number(text) or ticket_numbers.parse_number(text)


# --- kind of request (§1.1) ----------------------------------------------------------
# The rules that read the kind from what a person wrote are the procedure's, shared with the mail
# intake (procedure/request_kinds.py). The pupil sees the kind in the summary and corrects it there
# (actions/summary.py): the words that name a kind are read below.

# The pupil names the kind at the summary: «это жалоба», «исправить вид на заявление», «это не
# вопрос, а жалоба». A kind named with «не» before it is the one the pupil rejects, not the one they mean.
_KIND_NAMES = (
    ("complaint", r"жалоб|complaint"),
    ("statement", r"заявлени|statement"),
    ("proposal", r"предложени|\bиде[яю]|proposal"),
    ("info_request", r"запрос\w*\s+информ|вопрос|узнать|info_request"),
)
_KIND_DENIED = re.compile(
    r"\bне\s+(?:это\s+|просто\s+|совсем\s+)*(?:жалоб|заявлени|предложени|иде[яю]|запрос\w*\s+информ|вопрос)\w*"
)


def _named(text: str, names: Iterable[str], rules: Iterable[tuple[str, str]]) -> str | None:
    """The name ``text`` is (a button's payload) or the first of ``rules`` whose pattern it contains."""
    folded = fold(text)
    if folded in names:
        return folded
    return next((name for name, pattern in rules if re.search(pattern, folded)), None)


def parse_request_kind(text: str) -> str | None:
    """«это жалоба», «это не вопрос, а жалоба» → ``complaint``; None when the message names no kind.

    «это не жалоба» names only the kind it is not: None, and the kinds are offered as buttons.
    """
    return _named(_KIND_DENIED.sub(" ", fold(text)), REQUEST_KINDS, _KIND_NAMES)


# --- description ---------------------------------------------------------------------

_GREETING = re.compile(
    r"^\s*(здравствуйте|здраствуйте|здрасте|здрасьте|привет\w*|прив|добр\w+\s+(день|вечер|утро|ночи|времени\s+суток)|"
    r"доброе\s+утро|хай|hello|hi)\b[\s,.!]*"
)
_REQUEST_PHRASE = re.compile(
    r"((я\s+)?(хочу|хотел\w*(\s+бы)?|нужно|надо|можно|могу\s+ли\s+я|как|решил\w*)\s+)?"
    r"(оставить|написать|подать|отправить|создать|сделать|завести)\s+"
    r"(обращени\w*|жалоб\w*|заявк\w*|заявлени\w*|предложени\w*|запрос\w*|тикет\w*|"
    r"(в\s+)?(тех)?поддержк\w*)(\s+в\s+(тех)?поддержк\w*)?|"
    r"(напиш\w*|обращаюсь|пишу)\s+в\s+(тех)?поддержк\w*|"
    r"свяжите\s+(меня\s+)?с\s+(оператором|поддержкой|человеком)|"
    r"помогите(\s+пожалуйста)?|пожалуйста"
)
_MEANINGFUL = re.compile(r"[a-zа-я]{2,}")


def starts_with_greeting(text: str) -> bool:
    """True when the message opens with «здравствуйте», «добрый день»…: greet back."""
    return bool(text) and bool(_GREETING.match(fold(text)))


def extract_description_draft(text: str) -> str | None:
    """Keeps the problem from an opening message, or None when only a request is left.

    «Здравствуйте, не загружается тест, хочу оставить обращение» → «не загружается тест»:
    the bot offers it as the description instead of asking the user to retype it.
    """
    if not text or is_payload(text):
        return None
    working = text.strip().lower().replace("ё", "е")
    working = _GREETING.sub("", working, count=1)
    working = _REQUEST_PHRASE.sub(" ", working)
    working = re.sub(r"\s+", " ", working)
    working = re.sub(r"\s+([,.!?])", r"\1", working).strip(" ,.;:-—!")
    words = _MEANINGFUL.findall(working)
    if len(words) < 2 or sum(len(w) for w in words) < 8:
        return None
    # Keep the user's own letters: cut the same span out of the original text.
    start = text.lower().replace("ё", "е").find(working)
    return text[start : start + len(working)] if start >= 0 else working


_NOT_A_DESCRIPTION = re.compile(
    r"^(да|нет|не знаю|незнаю|хз|ок|окей|ага|угу|ничего|все|всё|привет|здравствуйте|"
    r"проблема|вопрос|помогите|ошибка)[\s.!?]*$"
)


def check_description(text: str) -> str | None:
    """Returns the cleaned description, or None if it says nothing about the problem.

    Two meaningful words are enough («не грузится»); «да», «вопрос», «помогите» are not.
    """
    if not text or is_payload(text):
        return None
    cleaned = re.sub(r"\s+", " ", text).strip()
    if _NOT_A_DESCRIPTION.match(fold(cleaned)):
        return None
    words = _MEANINGFUL.findall(fold(cleaned))
    if len(words) < 2 and not (len(words) == 1 and len(words[0]) >= 12):
        return None
    return cleaned[:4000]


def make_subject(description: str, limit: int = 120) -> str:
    """A one-line subject for staff: the first sentence, at most ``limit`` characters."""
    text = re.sub(r"\s+", " ", description or "").strip()
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0] or text
    if len(first) > limit:
        cut = first[: limit - 1]
        cut = cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut
        first = cut.rstrip(" ,;:-—") + "…"
    return first[:1].upper() + first[1:]


# --- which field to correct ----------------------------------------------------------

_FIELD_RULES = (
    # Before the question type and the description: «вид обращения», «запрос информации», «это жалоба».
    ("request_kind", r"вид\w*\s+обращени|жалоб|заявлени|предложени|запрос\w*\s+информ"),
    ("email", r"почт|мейл|емейл|имейл|e-?mail|мыло|адрес"),
    ("login", r"логин|login|ник"),
    ("region", r"регион|област|\bкра[йяюе]\b|республик|город|округ"),
    ("role", r"\bрол|кто\s+я"),
    ("question_type", r"тип|вид\s+вопрос|информац|техническ"),
    ("description", r"описани|проблем|текст|суть|вопрос|сообщени"),
)


def parse_field(text: str) -> str | None:
    """«исправить почту» → ``email``; None when the message names no field."""
    return _named(text, SUMMARY_FIELDS, _FIELD_RULES)


# --- the reply to «Помогло?» (§5.4) ----------------------------------------------------
# Read on the text with every run of a letter collapsed («неееет» → «нет», «помогитеее» →
# «помогите», procedure/screening/normalize.py), so the patterns are written that way too.

_NOT_HELPED = re.compile(
    r"\b(не|ни)\s*(помог|сработа|получ|выш|вышл|работа|заработа|гру|загру|прогру|открыва|открыл|"
    r"запуска|запусти|приход|пришл|пришел|воспроизв|игра|видн|показыва|решил|исправил|изменил|помен|"
    r"подход|подошл|подошел|то\b)|"
    r"\bничего\s+не\b|\bвсе\s+(так\s+же|также|то\s+же|равно|еще|по\s*-?\s*прежнему)|\bпо\s*-?\s*прежнему|"
    r"\bбез\s+изменени|\bопять|\bснова|\bто\s+же\s+само|\bтак\s+же\s+(не|завис|висит)|\bнифига|\bникак"
)
_NO = re.compile(r"^(нет|нету|неа|не-а|нит|ноу|no|nope|неть)\b|^не\s*([,.!?)]|$)")
_HELPED = re.compile(
    r"\b(помогл\w*|помог|сработал\w*|получил\w*|вышл\w*|заработал\w*|работает|решил\w*|разобрал\w*|"
    r"починил\w*|грузит\w*|загрузил\w*|пришл\w*|спасибо|спс|благодар\w*)\b"
)
_YES = re.compile(r"^(да|ага|угу|ок|окей|оке|ok|okay|yes|конечно|супер|клас|отлично|ура|норм\w*|\+)(\b|$)")


def read_helped(text: str) -> bool | None:
    """The typed answer to «Помогло?»: True (helped), False (did not), None (says neither).

    «не помогло», «не работает всё равно», «неа», «всё так же» are a no; «да», «помогло,
    спасибо», «заработало» a yes. A no wins over the yes inside it: «да, но всё равно не грузится».
    """
    folded = collapse_repeats(fold(text))
    if not folded or is_payload(folded):
        return None
    if _NOT_HELPED.search(folded) or _NO.search(folded):
        return False
    if _HELPED.search(folded) or _YES.search(folded):
        return True
    return None


# --- «инструкция не помогла» typed when the bot asked nothing (§5.4) ---------------------
# Outside «Помогло?» — later in the conversation, or in the personal account, where the pupil saw the
# instruction on another visit — the words are feedback on an instruction, not the problem itself.

_INSTRUCTION = re.compile(
    r"\bинструкц|\bпо\s+шагам|\bваш\w*\s+(совет|способ|подсказк)|\bкак\s+(вы\s+)?(написал|сказал|советовал|"
    r"объяснял)\w*|\bкак\s+(там\s+)?написано|\bвсе\s+сделал\w*\s+(как|по)"
)
_CLAUSES = re.compile(r"[,.;:!?()\n]+|\s[—–-]\s")
_CLAUSE_OPENERS = re.compile(r"^(и|а|но|однако|все\s+равно|всё\s+равно|при\s+этом)\s+", re.IGNORECASE)
_NO_RESULT = re.compile(r"^(а\s+)?(толку|результата|результат\w*|эффекта)\s+(нет|ноль|никакого)$")


def instruction_failed(text: str) -> bool:
    """True for «инструкция не помогла», «сделала всё по инструкции — не работает», «ваш совет не сработал».

    The message names an instruction and says it did not work; «где инструкция по регистрации» or
    «нет инструкции» do not.
    """
    folded = collapse_repeats(fold(text))
    if not folded or is_payload(folded) or not _INSTRUCTION.search(folded):
        return False
    return bool(_NOT_HELPED.search(folded) or re.search(r"\b(толку|результата|эффекта)\s+(нет|ноль)", folded))


def beyond_instruction_feedback(text: str) -> str | None:
    """What the message tells besides the feedback: «инструкция не помогла, тест так и висит» → «тест так и висит».

    None when the message is only the feedback. The pupil's own letters are kept.
    """
    kept: list[str] = []
    for clause in _CLAUSES.split(text or ""):
        words = _CLAUSE_OPENERS.sub("", clause.strip())
        folded = collapse_repeats(fold(words))
        if not folded or _INSTRUCTION.search(folded) or _NO_RESULT.match(folded):
            continue
        if read_helped(folded) is False and len(_MEANINGFUL.findall(folded)) <= 2:
            continue  # «не помогло», «не работает»: the feedback again, in other words
        kept.append(words)
    rest = ", ".join(kept)
    return check_description(rest) if rest else None


# --- words inside the form that are not an answer to its question ----------------------

_PLEA_FOR_HELP = re.compile(
    r"\bпомоги|\bспасит|\bsos\b|\bсос\b|\bсрочно|\bчеловек|\bоператор|\bсотрудник|\bспециалист|"
    r"\bпозовит|\bсвяжит|\bпомощь|\bhelp\b|\bхелп"
)


def off_topic_in_form(text: str) -> str | None:
    """Why a refused answer of the form was no attempt at its question, or None.

    ``help`` — a plea for a person («помогитеее!!!», «позовите человека»); ``problem`` — the pupil
    tells what is broken instead («ничего не работает»). Either way the form needs a reply that says
    the appeal is the way to a person, not «Не нашёл такой регион».
    """
    folded = collapse_repeats(fold(text))
    if not folded or is_payload(folded):
        return None
    if _PLEA_FOR_HELP.search(folded):
        return "help"
    if parse_question_type(folded) == "technical" or request_kinds.says_broken(folded):
        return "problem"
    return None
