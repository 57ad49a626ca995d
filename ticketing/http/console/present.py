"""How the console shows things to a person: Russian labels, Moscow times, the timeline's sentences."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from procedure import button_taps, requesters, statuses
from procedure.screening.reasons import describe_all
from ticketing.domain.actors import actor_label_ru
from ticketing.domain.deadline_state import DEADLINE_LABELS_RU, DeadlineState, line3_target
from ticketing.domain.known_issues import ISSUE_STATUS_LABELS_RU
from ticketing.domain.lifecycle import (
    LEAVE_REASON_LABELS_BY_VALUE_RU,
    LEAVE_REASON_LABELS_RU,
    LINE_NAMES_RU,
    LeaveReason,
)
from ticketing.domain.mail.letters import size_ru
from ticketing.domain.sla import MOSCOW
from ticketing.domain.staff import ROLE_LABELS_RU
from ticketing.domain.tickets import (
    STATUS_LABELS_RU,
    Channel,
    EventType,
    QuestionType,
    RequesterRole,
    Status,
    Ticket,
    TicketEvent,
    TranscriptLine,
)

CHANNEL_LABELS_RU = {
    Channel.CHAT.value: "чат-бот",
    Channel.PROJECT_EMAIL.value: "почта проекта",
    Channel.UNION_EMAIL.value: "почта Союза",
}
QUESTION_TYPE_LABELS_RU = {kind.value: requesters.QUESTION_TYPE_LABELS[kind.value] for kind in QuestionType}
REQUESTER_ROLE_LABELS_RU = {role.value: requesters.ROLE_LABELS[role.value].staff for role in RequesterRole}
STATUS_RU = {s.value: label for s, label in STATUS_LABELS_RU.items()}
DEADLINE_RU = {s.value: label for s, label in DEADLINE_LABELS_RU.items()}
REASON_RU = LEAVE_REASON_LABELS_BY_VALUE_RU
ROLE_RU = {r.value: label for r, label in ROLE_LABELS_RU.items()}
ROLES_SHORT_RU = {
    "line1": "линия 1",
    "line2": "линия 2",
    "line3": "линия 3",
    "admin": "администратор",
    "service": "сервис",
}
ISSUE_STATUS_RU = {s.value: label for s, label in ISSUE_STATUS_LABELS_RU.items()}
DEADLINE_CLASS = {
    DeadlineState.ON_TRACK.value: "ok",
    DeadlineState.APPROACHING.value: "warn",
    DeadlineState.BREACHED.value: "bad",
    DeadlineState.MET.value: "done",
    DeadlineState.MISSED.value: "late",
    DeadlineState.NOT_APPLICABLE.value: "na",
}
LEAVE_REASONS = [(r.value, LEAVE_REASON_LABELS_RU[r]) for r in LeaveReason if r is not LeaveReason.REPEAT]


def line_name(line: int | None) -> str:
    return LINE_NAMES_RU.get(line or 0, "—")


def moscow(moment: datetime | None, with_seconds: bool = False) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M:%S" if with_seconds else "%d.%m.%Y %H:%M")


def duration(span: timedelta | None) -> str:
    """«2 д 3 ч», «4 ч 10 мин», «12 мин»: precise enough to act on, short enough for a table."""
    if span is None:
        return "—"
    minutes = int(abs(span.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} д {hours} ч"
    if hours:
        return f"{hours} ч {mins} мин"
    return f"{mins} мин"


def time_left(due: datetime, now: datetime) -> str:
    if due >= now:
        return f"осталось {duration(due - now)}"
    return f"просрочено на {duration(now - due)}"


EVENT_TITLES_RU: dict[str, str] = {  # every EventType has one (tests/unit/test_console_domain.py)
    EventType.CREATED: "Обращение зарегистрировано",
    EventType.SCREENED: "Проверка по п. 4.7–4.9",
    EventType.CLAIMED: "Взято в работу",
    EventType.TRANSFERRED: "Передано",
    EventType.RETURNED: "Возвращено на первую линию",
    EventType.ANSWERED: "Дан ответ заявителю",
    EventType.CLOSED: "Закрыто",
    EventType.LEFT_WITHOUT_ANSWER: "Оставлено без ответа",
    EventType.REOPENED: "Переоткрыто",
    EventType.REQUESTER_MESSAGE: "Сообщение заявителя",
    EventType.BACK_TO_BOT: "Заявитель вернулся к боту в чате",
    EventType.LIKELY_REPEAT: "Похоже на повтор",
    EventType.DEADLINE_APPROACHING: "Срок истекает",
    EventType.DEADLINE_BREACHED: "Срок нарушен",
    EventType.KNOWN_ISSUE_LINKED: "Связано с известной проблемой",
    EventType.REGISTERED: "Письмо зарегистрировано (п. 4.1)",
    EventType.REGISTRATION_INCOMPLETE: "Не хватает сведений по п. 4.1.1",
    EventType.REPLY_SENT: "Ответ отправлен письмом",
    EventType.REPLY_SEND_FAILED: "Письмо с ответом не отправлено",
    EventType.MAIL_RECEIVED: "Получено письмо",
    EventType.MAIL_BOUNCED: "Письмо не доставлено заявителю",
    EventType.MAIL_COPY: "То же письмо пришло ещё раз",
    EventType.FOLLOWED_BY: "Заявитель написал снова: открыто новое обращение",
    EventType.ANONYMISED: "Персональные данные заявителя обезличены",
}


def event_title(event: TicketEvent) -> str:
    title = EVENT_TITLES_RU.get(event.type, event.type)
    if event.type == EventType.TRANSFERRED:
        title += f": {line_name(event.data.get('to_line'))}"
    if event.type == EventType.RETURNED:
        title += f" ({line_name(event.data.get('from_line'))})"
    return title


_UTC_RETRY = re.compile(r"(\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}) UTC")


def in_moscow_time(text: str) -> str:
    """«… 07.12.2026 09:30 UTC» as «… 07.12.2026 12:30 МСК»: the mail worker wrote UTC before (issue 14, 9.7)."""

    def moscow_of(found: re.Match[str]) -> str:
        moment = datetime.strptime(found.group(1), "%d.%m.%Y %H:%M").replace(tzinfo=UTC)
        return f"{moscow(moment)} МСК"

    return _UTC_RETRY.sub(moscow_of, text)


def event_details(event: TicketEvent) -> list[tuple[str, str]]:
    """Label–text pairs of an event's data; the template escapes the text."""
    data: dict[str, Any] = event.data
    details: list[tuple[str, str]] = []
    for key, label in (("comment", "Комментарий"), ("text", "Текст")):
        if data.get(key):
            text = str(data[key])
            details.append((label, in_moscow_time(text) if event.type == EventType.REPLY_SEND_FAILED else text))
    if data.get("reason"):
        details.append(("Причина", REASON_RU.get(str(data["reason"]), str(data["reason"]))))
    if data.get("repeat_of"):
        details.append(("Повтор обращения", str(data["repeat_of"])))
    if data.get("follows"):
        details.append(("Продолжает обращение", str(data["follows"])))
    if data.get("new_ticket"):
        details.append(("Новое обращение", str(data["new_ticket"])))
    if event.type == EventType.SCREENED:
        verdict = str(data.get("verdict", ""))
        details.append(("Итог", "замечаний нет" if verdict == "ok" else REASON_RU.get(verdict, verdict)))
        if data.get("reasons"):
            details.append(("Признаки", describe_all(map(str, data["reasons"]))))
    if event.type == EventType.LIKELY_REPEAT:
        details.append(("Прежние обращения", ", ".join(map(str, data.get("of", [])))))
    if event.type == EventType.KNOWN_ISSUE_LINKED:
        details.append(("Проблема", str(data.get("title", ""))))
    with_deadline = (EventType.CREATED, EventType.DEADLINE_APPROACHING, EventType.DEADLINE_BREACHED)
    if event.type in with_deadline and data.get("due_at"):
        details.append(("Срок", moscow(datetime.fromisoformat(str(data["due_at"])))))
    if data.get("questions"):
        details.append(("Вопросы", ", ".join(f"№{q}" for q in data["questions"])))
    return details


@dataclass(frozen=True)
class Handover:
    """The note the line now holding a ticket reads first: line 1's transfer comment, or the answer it got back."""

    title: str  # «Передано: техническая поддержка платформы»
    who: str
    at: datetime
    comment: str
    returned: bool


def handover(ticket: Ticket) -> Handover | None:
    """The latest handover while it is still the ticket's news (§4.5, §4.6, §5.3).

    A transfer, while the ticket waits on the line it was handed to; a return, while line 1 has not
    answered yet. Shown at the top of the page, not at the bottom of a long history.
    """
    moves = [e for e in ticket.events if e.type in (EventType.TRANSFERRED, EventType.RETURNED)]
    if not moves or not moves[-1].data.get("comment"):
        return None
    last = moves[-1]
    who, comment = actor_label_ru(last.actor), str(last.data["comment"])
    if last.type == EventType.TRANSFERRED:
        to_line = last.data.get("to_line")
        if ticket.line != to_line or ticket.status not in (Status.WAITING_LINE2, Status.WAITING_LINE3):
            return None
        return Handover(f"Передано: {line_name(to_line)}", who, last.at, comment, returned=False)
    if ticket.line != 1 or ticket.status not in (Status.NEW, Status.IN_PROGRESS):
        return None
    title = f"Возвращено на первую линию ({line_name(last.data.get('from_line'))})"
    return Handover(title, who, last.at, comment, returned=True)


SENDER_LABELS_RU = {"user": "Заявитель", "bot": "Бот", "staff": "Сотрудник"}


@dataclass(frozen=True)
class TranscriptRow:
    sender: str  # user, bot or staff: the CSS class
    who: str
    text: str
    tapped: bool  # a button the requester tapped, not words they typed


def transcript_rows(lines: Iterable[TranscriptLine], titles: Mapping[str, str]) -> list[TranscriptRow]:
    """The conversation as line 1 reads it: a tapped button by its title, never ``/inform{...}`` (§1.4).

    Transcripts stored since the action server names taps (actions/common.py) already carry the
    title; older ones carry the payload, read here by its shape (``procedure.button_taps``).
    ``titles`` are the scenarios' titles by key, for a tapped «Возможно, вы имели в виду…» topic.
    """
    rows = []
    for line in lines:
        described = button_taps.describe_payload(line.text, titles.get) if line.sender == "user" else None
        who = SENDER_LABELS_RU.get(line.sender, line.sender)
        rows.append(TranscriptRow(line.sender, who, described or line.text, described is not None))
    return rows


TEMPLATE_GLOBALS: dict[str, Any] = {
    "CHANNELS": CHANNEL_LABELS_RU,
    "QUESTION_TYPES": QUESTION_TYPE_LABELS_RU,
    "REQUESTER_ROLES": REQUESTER_ROLE_LABELS_RU,
    "STATUSES": STATUS_RU,
    "DEADLINES": DEADLINE_RU,
    "DEADLINE_CLASS": DEADLINE_CLASS,
    "REASONS": REASON_RU,
    "LEAVE_REASONS": LEAVE_REASONS,
    "ROLES": ROLE_RU,
    "ROLES_SHORT": ROLES_SHORT_RU,
    "ISSUE_STATUSES": ISSUE_STATUS_RU,
    "line_name": line_name,
    "moscow": moscow,
    "duration": duration,
    "time_left": time_left,
    "event_title": event_title,
    "event_details": event_details,
    "actor_ru": actor_label_ru,
    "line3_target": line3_target,
    "handover": handover,
    "size_ru": size_ru,
    "status_open": statuses.is_open,
}
