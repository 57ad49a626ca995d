"""What the user reads: prompts, summaries, dates and statuses in Russian.

Kept in one place so the tone stays the same everywhere: short, friendly, readable by a
12-year-old on a phone. The static replies live in domain.yml, and so do the appeal form's
questions and its replies to an answer that does not fit (``utter_ask_*``, ``utter_invalid_*``,
``utter_explain_*``: the editors change them there, docs/editors.md); these depend on slot
values or on what went wrong.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from procedure import requesters, statuses
from procedure.requesters import KIND_LABELS, QUESTION_TYPE_LABELS

MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)
WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")

# The names of roles, question types, kinds and statuses are shared with ticketing (procedure/).
ROLE_LABELS = {role: label.requester for role, label in requesters.ROLE_LABELS.items()}
FIELD_LABELS = requesters.APPEAL_FIELD_LABELS
FIELD_NAMES = {
    "region": "Регион",
    "role": "Роль",
    "login": "Логин",
    "email": "Почта",
    "question_type": "Вопрос",
    "description": "Описание",
}
STATUS_LABELS = {status: label.requester for status, label in statuses.LABELS.items()}


def payload(intent: str, entities: Mapping[str, Any] | None = None) -> str:
    """A button payload Rasa parses without NLU: ``/intent{"entity": "value"}``."""
    if not entities:
        return f"/{intent}"
    return f"/{intent}{json.dumps(dict(entities), ensure_ascii=False)}"


def button(title: str, intent: str, entities: Mapping[str, Any] | None = None) -> dict[str, str]:
    """One button for ``dispatcher.utter_message(buttons=...)``."""
    return {"title": title, "payload": payload(intent, entities)}


def format_due_date(value: Any) -> str | None:
    """«до 2 декабря 2026 г. (среда)» from an ISO date-time (in its own time zone) or a date."""
    if not value:
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return f"до {day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} г. ({WEEKDAYS[day.weekday()]})"


# --- the appeal form: its questions and replies are utter_ask_* / utter_invalid_* in domain.yml ---

ROLE_BUTTONS = [
    button("Ученик", "inform", {"role": "participant"}),
    button("Родитель", "inform", {"role": "parent"}),
    button("Наставник", "inform", {"role": "mentor"}),
    button("Площадка", "inform", {"role": "venue"}),
    button("Другое", "inform", {"role": "other"}),
]

# --- appeal lifecycle ----------------------------------------------------------------

HELLO = "Здравствуйте!"
START = "Помогу оставить обращение. Задам несколько коротких вопросов — это займёт пару минут."
SUMMARY_HEADER = "Проверьте, всё ли верно:"
SUMMARY_FOOTER = "Отправляем? Чтобы исправить, нажмите «Исправить» или напишите, например, «исправить почту»."
SUMMARY_BUTTONS = [
    button("✅ Отправить", "affirm"),
    button("✏️ Исправить", "correct_field"),
    button("Отменить", "cancel"),
]
ASK_WHICH_FIELD = "Что исправить?"
FIELD_BUTTONS = [
    button(title.capitalize(), "correct_field", {"field": field}) for field, title in FIELD_LABELS.items()
]
WILL_CORRECT = "Хорошо, исправим {field}."
CANCELLED = "Хорошо, обращение отменено. Если понадобится помощь — просто напишите 🙂"

CREATED = "Готово! Обращение зарегистрировано ✅\nНомер: {number}\nОтветим {due} здесь, в чате, и на почту {email}."
CREATED_NO_DUE = "Готово! Обращение зарегистрировано ✅\nНомер: {number}\nОтвет придёт сюда, в чат, и на почту {email}."
SAVED_FOR_LATER = (
    "Сервис обращений сейчас недоступен, но ваше обращение сохранено ✅ "
    "Как только оно зарегистрируется, я пришлю сюда номер. Повторять ничего не нужно."
)
REJECTED = "Сервис обращений не принял данные: {reason}. Исправьте, пожалуйста, и отправьте снова."
REJECTED_FIELD = "проверьте поле «{field}»"
NOTHING_TO_SEND = "Обращение пустое — давайте начнём заново: напишите, что случилось."
REGISTERED_LATER = "Ваше обращение зарегистрировано ✅\nНомер: {number}\nОтветим {due}."
REGISTERED_LATER_NO_DUE = "Ваше обращение зарегистрировано ✅\nНомер: {number}"
FAILED_LATER = (
    "Не получилось зарегистрировать ваше обращение 🙁 Причина: {reason}. "
    "Пожалуйста, оставьте его ещё раз — нажмите кнопку или напишите «хочу оставить обращение»."
)
FAILED_LATER_BUTTONS = [button("Оставить обращение", "open_appeal")]

ASK_TICKET_NUMBER = "Напишите номер обращения, например: БВБ-000123"
STATUS = "Обращение {number}: {status}."
STATUS_DUE = " Ответим {due}."
STATUS_NOT_FOUND = "Не нашёл обращение {number}. Проверьте номер: он выглядит так — БВБ-000123."
# Where the answer went, from the ticket's ``deliveries`` (channel, status): only what did happen.
ANSWER_WHERE = {
    ("chat", "delivered"): "Ответ отправлен в чат, где вы оставляли обращение",
    ("chat", "queued"): "Ответ вот-вот появится в чате, где вы оставляли обращение",
    ("chat", "failed"): "В чат ответ доставить не удалось",
    ("email", "sent"): "письмо с ответом отправлено на вашу почту",
    ("email", "delivered"): "письмо с ответом отправлено на вашу почту",
    ("email", "queued"): "письмо с ответом скоро уйдёт на вашу почту",
    ("email", "failed"): "письмо на вашу почту не дошло — проверьте адрес и напишите сюда, если ответа не видно",
}
ANSWER_NOWHERE = "Если ответа не видно, напишите сюда — передам специалисту."
STATUS_UNAVAILABLE = "Не получилось узнать статус: сервис временно недоступен. Попробуйте через несколько минут."

# --- scenario answers (§5.3, §5.4); the answers themselves are utter_faq/<key> -------

NOT_THE_ANSWER_BUTTON = button("Это не ответ на мой вопрос", "not_the_answer")
# «Помогло?» and the replies to it are responses in domain.yml (utter_ask_helped and the next ones).
NOT_THE_ANSWER = (
    "Простите, я не так понял вопрос 🙈 Передам его сотрудникам поддержки — они ответят на почту. "
    "Задам несколько коротких вопросов."
)
SUGGEST_TOPICS = "Возможно, вы имели в виду…"
NONE_OF_THESE = button("Ничего из этого", "deny")
OFFER_LINE1 = (
    "Похоже, готового ответа у меня нет. Напишите вопрос сотрудникам поддержки — они ответят на почту. "
    "Или попробуйте спросить по-другому."
)
OFFER_LINE1_BUTTONS = [button("Написать в поддержку", "open_appeal")]

OPERATOR_ASK_REGION = (
    "Из какого вы региона? Напишите, например: «Татарстан» или «Свердловская область» — "
    "пришлю контакты вашего оператора."
)
OPERATOR_REGION_UNKNOWN = "Не нашёл такой регион 🙁 Напишите ещё раз, например: «Пермский край»."
OPERATOR_CONTACT = (
    "Региональный оператор — {region}:\n{organisation}\n"
    "Контактное лицо: {contact_person}\nПочта: {email}\nТелефон: {phone}"
)
# No real contacts for the region (no entry, or only a sample, which the service never gives out): line 1
# passes an organisational question on to the regional operator itself (§4.5, §5.3).
OPERATOR_NOT_FOUND = (
    "Контактов регионального оператора для региона «{region}» у меня пока нет 🙁 "
    "Напишите свой вопрос в поддержку: сотрудники «Билета в будущее» ответят сами или передадут его "
    "региональному оператору вашего региона."
)
OPERATOR_GIVE_UP = "Не получилось определить регион. Контакты оператора подскажут сотрудники поддержки."


def kind_buttons() -> list[dict[str, str]]:
    """One button per kind of request (§1.1) at the summary; the payload carries the kind's code."""
    return [
        button(label.capitalize(), "correct_field", {"field": "request_kind", "request_kind": kind})
        for kind, label in KIND_LABELS.items()
    ]


def topic_buttons(topics: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    """«Возможно, вы имели в виду…»: (key, title) pairs as /choose_topic{"faq_key": ...} buttons."""
    return [button(title, "choose_topic", {"faq_key": key}) for key, title in topics]


def operator_text(operator: Mapping[str, Any]) -> str:
    """The contact card of a regional operator from ``GET /api/v1/operators/{region}``."""
    fields = {k: operator.get(k) or "—" for k in ("region", "organisation", "contact_person", "email", "phone")}
    return OPERATOR_CONTACT.format(**fields)


def summary_lines(slots: Mapping[str, Any]) -> list[str]:
    """The summary shown before sending: every field the user can still correct."""
    rows = [
        ("Регион", slots.get("region")),
        ("Роль", ROLE_LABELS.get(slots.get("role") or "", slots.get("role"))),
        ("Логин", slots.get("login")),
        ("Почта", slots.get("email")),
        ("Вопрос", QUESTION_TYPE_LABELS.get(slots.get("question_type") or "", slots.get("question_type"))),
        ("Вид обращения", KIND_LABELS.get(slots.get("request_kind") or "info_request")),
        ("Описание", slots.get("description")),
    ]
    return [f"• {label}: {value if value else '—'}" for label, value in rows]


def status_text(ticket: Mapping[str, Any]) -> str:
    """«Обращение БВБ-000123: в работе… Ответим до …» for a ticket from the API."""
    status = ticket.get("status") or ""
    text = STATUS.format(number=ticket.get("number"), status=STATUS_LABELS.get(status, status or "неизвестно"))
    due = format_due_date(ticket.get("due_at"))
    if due and status not in statuses.FINISHED:
        text += STATUS_DUE.format(due=due)
    if status == "answered":
        text += " " + answer_where(ticket.get("deliveries") or [])
    return text


def answer_where(deliveries: Sequence[Mapping[str, Any]]) -> str:
    """Where the latest answer went, e.g. «…в чат…; письмо с ответом отправлено на вашу почту.»"""
    latest: dict[str, str] = {}
    for delivery in deliveries:  # oldest first: the last one of each channel is the latest answer's
        latest[str(delivery.get("channel"))] = str(delivery.get("status"))
    said = [
        ANSWER_WHERE[(channel, latest[channel])]
        for channel in ("chat", "email")
        if (channel, latest.get(channel)) in ANSWER_WHERE
    ]
    if not said:
        return ANSWER_NOWHERE
    sentence = "; ".join(said)
    return sentence[0].upper() + sentence[1:] + "."


# §5.5: what line 3 published, said to a pupil whose description matches it (actions/known_issues.py).
KNOWN_ISSUE = "Похоже, мы уже знаем об этой проблеме: «{title}». {state} {when}"
KNOWN_ISSUE_STATES = {
    "investigating": "Специалисты платформы выясняют, в чём причина.",
    "fixing": "Специалисты платформы уже исправляют ошибку.",
    "planned_update": "Это связано с обновлением платформы.",
}
KNOWN_ISSUE_WHEN = "Обещают исправить {due}."
KNOWN_ISSUE_WHEN_UPDATE = "Обновление ожидается {due}."
KNOWN_ISSUE_WHEN_UNKNOWN = "Когда исправят, пока неизвестно."
KNOWN_ISSUE_NEXT = (
    "\nОбращение можно не отправлять. А если отправите, мы свяжем его с этой ошибкой "
    "и напишем вам, как только всё заработает."
)


def known_issue_text(issue: Mapping[str, Any], today: date) -> str:
    """The bot's words for a known issue from ``GET /api/v1/known-issues/match``: what, and when it is fixed."""
    status = str(issue.get("status") or "")
    state = KNOWN_ISSUE_STATES.get(status, KNOWN_ISSUE_STATES["investigating"])
    due = None
    expected = issue.get("expected_on")
    try:
        expected_on = date.fromisoformat(str(expected)) if expected else None
    except ValueError:
        expected_on = None
    if expected_on is not None and expected_on >= today:  # a date already past is no promise any more
        due = format_due_date(expected_on)
    if due is None:
        when = KNOWN_ISSUE_WHEN_UNKNOWN
    elif status == "planned_update":
        when = KNOWN_ISSUE_WHEN_UPDATE.format(due=due)
    else:
        when = KNOWN_ISSUE_WHEN.format(due=due)
    return KNOWN_ISSUE.format(title=str(issue.get("title") or "").strip(), state=state, when=when) + KNOWN_ISSUE_NEXT


def region_buttons(candidates: Sequence[str]) -> list[dict[str, str]]:
    """Buttons for an ambiguous region; the payload carries the official name."""
    return [button(name, "inform", {"region": name}) for name in candidates]
