"""How a ticket moves between lines and states (§4.4–4.9, §5.1–5.8, §6.1–6.3).

Every transition checks who acts and from which state, changes the ticket and appends one
event to its history. An illegal move raises :class:`IllegalTransition` with a Russian
message that says why and what is possible instead; the API answers it with 409.

States: new → in_progress (claimed by a person on line 1) → waiting_line2 / waiting_line3
→ back to in_progress on line 1 → answered (every question answered, §6.3) → closed.
A reply from the requester reopens an answered or closed ticket. "Left without an answer"
is a resolution with a reason code (§4.7–4.9, §6.1, §6.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from procedure import statuses
from ticketing.domain.access import ApiRole
from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.sla import LINE3, due_at
from ticketing.domain.tickets import FIRST_LINE, EventType, Question, Status, Ticket, TicketEvent, TranscriptLine


class IllegalTransition(Exception):
    """The move is not allowed now; the message tells a person why, in Russian."""


class LeaveReason(StrEnum):
    """Why a request is left without an answer; each code names its paragraph."""

    FOREIGN_LANGUAGE = "foreign_language"  # §4.7
    ABUSIVE = "abusive"  # §4.8: obscene or insulting
    THREAT = "threat"  # §4.8: threats to life and health
    STATE_SECRET = "state_secret"  # §4.8: an answer would disclose a secret protected by law
    NO_QUESTION = "no_question"  # §4.9: no concrete question
    REPEAT = "repeat"  # §4.9: nothing new on a question already solved for this user
    ANONYMOUS = "anonymous"  # §6.1
    MISDIRECTED = "misdirected"  # §6.1
    PERSONAL_ADDRESS = "personal_address"  # §6.2: sent to a staff member's personal address


LEAVE_REASON_LABELS_RU: dict[LeaveReason, str] = {
    LeaveReason.FOREIGN_LANGUAGE: "на иностранном языке (п. 4.7)",
    LeaveReason.ABUSIVE: "нецензурные или оскорбительные выражения (п. 4.8)",
    LeaveReason.THREAT: "угрозы жизни, здоровью (п. 4.8)",
    LeaveReason.STATE_SECRET: "ответ требует разглашения охраняемой тайны (п. 4.8)",
    LeaveReason.NO_QUESTION: "нет конкретного вопроса (п. 4.9)",
    LeaveReason.REPEAT: "повтор уже решённого вопроса (п. 4.9)",
    LeaveReason.ANONYMOUS: "анонимное обращение (п. 6.1)",
    LeaveReason.MISDIRECTED: "ошибочно направленное обращение (п. 6.1)",
    LeaveReason.PERSONAL_ADDRESS: "направлено на личный адрес сотрудника (п. 6.2)",
}
# The same labels by the value stored on a ticket (``resolution_reason``, an event's ``reason``).
LEAVE_REASON_LABELS_BY_VALUE_RU: dict[str, str] = {r.value: label for r, label in LEAVE_REASON_LABELS_RU.items()}

OPEN_STATES = frozenset(Status(status) for status in statuses.OPEN)
LINE_OF_ROLE = {ApiRole.LINE1: 1, ApiRole.LINE2: 2, ApiRole.LINE3: 3}
WAITING_STATE = {2: Status.WAITING_LINE2, 3: Status.WAITING_LINE3}
LINE_NAMES_RU = {1: "первая линия", 2: "региональный оператор", 3: "техническая поддержка платформы"}


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff member or a service, with the role of their token."""

    name: str
    role: ApiRole

    @property
    def line(self) -> int | None:
        """The support line the actor works on; an admin acts as line 1 (§5.3 control)."""
        if self.role is ApiRole.ADMIN:
            return FIRST_LINE
        return LINE_OF_ROLE.get(self.role)


def _record(ticket: Ticket, actor: Actor, now: datetime, type_: str, **data: object) -> None:
    ticket.events.append(TicketEvent(type=type_, at=now, actor=actor.name, line=actor.line, data=dict(data)))
    ticket.updated_at = now


def _require_comment(comment: str | None, what: str) -> str:
    if comment is None or not comment.strip():
        raise IllegalTransition(f"{what}: нужен комментарий — что сделано и что нужно от следующей линии.")
    return comment.strip()


def _require_line1(ticket: Ticket, actor: Actor, action: str) -> None:
    if actor.line != FIRST_LINE:
        raise IllegalTransition(f"{action} может только первая линия (п. 5.3 Порядка).")
    if ticket.status not in (Status.NEW, Status.IN_PROGRESS):
        raise IllegalTransition(
            f"{action} нельзя: статус обращения — «{ticket.status_label_ru()}»."
            + (" Дождитесь ответа другой линии." if ticket.status in WAITING_STATE.values() else "")
        )


def claim(ticket: Ticket, actor: Actor, now: datetime) -> None:
    """Take the ticket into work on one's own line."""
    line = actor.line
    if line is None:
        raise IllegalTransition("Брать обращения в работу могут только сотрудники линий поддержки.")
    if ticket.line != line:
        raise IllegalTransition(f"Обращение сейчас у другой линии: {LINE_NAMES_RU[ticket.line]}.")
    if ticket.status not in OPEN_STATES:
        raise IllegalTransition(f"Брать в работу нечего: статус обращения — «{ticket.status_label_ru()}».")
    if ticket.assignee == actor.name:
        raise IllegalTransition("Обращение уже у вас в работе.")
    if ticket.assignee is not None and actor.role is not ApiRole.ADMIN:
        raise IllegalTransition(
            f"Обращение уже в работе у «{ticket.assignee}». Попросите коллегу или администратора передать его вам."
        )
    previous = ticket.assignee
    ticket.assignee = actor.name
    if line == FIRST_LINE:
        ticket.owner = actor.name
        ticket.status = Status.IN_PROGRESS
    _record(ticket, actor, now, EventType.CLAIMED, previous_assignee=previous)


def transfer(
    ticket: Ticket, actor: Actor, now: datetime, *, to_line: int, comment: str | None, calendar: WorkCalendar
) -> None:
    """Send an organisational question to the region's operator (§4.5) or a technical one to line 3 (§4.6, §5.4).

    The requester's deadline never moves; line 3 gets its own 24-hour target (§5.5).
    """
    _require_line1(ticket, actor, "Передавать обращение")
    text = _require_comment(comment, "Передача")
    if to_line not in WAITING_STATE:
        raise IllegalTransition("Передать можно на линию 2 (региональный оператор) или 3 (техподдержка платформы).")
    if to_line == 2 and not ticket.region:
        raise IllegalTransition("У обращения не указан регион — неизвестно, какому региональному оператору передать.")
    if ticket.owner is None:
        ticket.owner = actor.name
    ticket.line = to_line
    ticket.handed_to.add(to_line)
    ticket.status = WAITING_STATE[to_line]
    ticket.assignee = None
    if to_line == 3:
        ticket.line3_due_at = due_at(LINE3, now, calendar)
    _record(
        ticket,
        actor,
        now,
        EventType.TRANSFERRED,
        from_line=FIRST_LINE,
        to_line=to_line,
        comment=text,
        instructions_tried=list(ticket.instructions_tried),
    )


def return_to_line1(ticket: Ticket, actor: Actor, now: datetime, *, comment: str | None) -> None:
    """Line 2 or 3 hands the ticket back with its answer; line 1 owns the reply (§5.3)."""
    line = actor.line if actor.role is not ApiRole.ADMIN else ticket.line
    if ticket.status not in (Status.WAITING_LINE2, Status.WAITING_LINE3) or line != ticket.line:
        raise IllegalTransition("Вернуть на первую линию может только та линия, у которой сейчас обращение.")
    text = _require_comment(comment, "Возврат")
    from_line = ticket.line
    ticket.line = FIRST_LINE
    ticket.status = Status.IN_PROGRESS if ticket.owner else Status.NEW
    ticket.assignee = ticket.owner
    _record(ticket, actor, now, EventType.RETURNED, from_line=from_line, to_line=FIRST_LINE, comment=text)


def answer(
    ticket: Ticket, actor: Actor, now: datetime, *, text: str | None, question_ids: list[int] | None = None
) -> list[int]:
    """Record line 1's answer to some or all questions, sent by the channel the request came by (§6.3).

    Returns:
        the ids of the questions this answer covers.
    """
    _require_line1(ticket, actor, "Отвечать заявителю")
    ids = _answer_questions(ticket, actor, now, text=text, question_ids=question_ids)
    if ticket.owner is None:
        ticket.owner = actor.name
        ticket.assignee = actor.name
    return ids


def answer_fixed_issue(ticket: Ticket, actor: Actor, now: datetime, *, text: str | None, issue_id: int) -> list[int]:
    """Line 3 (or an admin) answers a requester of a known issue it has just fixed (§5.5, §6.3).

    Line 1 owns the reply to everything else (§5.3); the fix of a platform error is the one
    answer line 3 gives itself, with one text to every linked requester, so that nobody waits
    for line 1 to copy it. The ticket must already be back on line 1 (the fix returns the ones
    waiting for line 3); a ticket with the regional operator is not answered over their head.
    """
    if actor.role not in (ApiRole.LINE3, ApiRole.ADMIN):
        raise IllegalTransition("Ответить всем по исправленной проблеме может техподдержка платформы (п. 5.5).")
    if ticket.status not in (Status.NEW, Status.IN_PROGRESS):
        raise IllegalTransition(f"Ответить нельзя: статус обращения — «{ticket.status_label_ru()}».")
    return _answer_questions(ticket, actor, now, text=text, question_ids=None, issue_id=issue_id)


def _answer_questions(
    ticket: Ticket,
    actor: Actor,
    now: datetime,
    *,
    text: str | None,
    question_ids: list[int] | None,
    **extra: object,
) -> list[int]:
    body = (text or "").strip()
    if not body:
        raise IllegalTransition("Ответ пустой: напишите текст ответа заявителю.")
    open_questions = [q for q in ticket.questions if q.answered_at is None]
    if question_ids:
        known = {q.id for q in ticket.questions}
        unknown = sorted(set(question_ids) - known)
        if unknown:
            raise IllegalTransition(f"В обращении нет вопросов с номерами {', '.join(map(str, unknown))}.")
        targets = [q for q in ticket.questions if q.id in question_ids]
    else:
        targets = open_questions
    if not targets:
        raise IllegalTransition("Все вопросы обращения уже отвечены.")
    for question in targets:
        question.answered_at = now
        question.answer_channel = ticket.channel.value
    if ticket.first_answered_at is None:
        ticket.first_answered_at = now
    if all(q.answered_at is not None for q in ticket.questions):
        ticket.status = Status.ANSWERED
        ticket.resolved_at = now
    else:
        ticket.status = Status.IN_PROGRESS
    ids = [q.id for q in targets]
    _record(ticket, actor, now, EventType.ANSWERED, text=body, questions=ids, channel=ticket.channel.value, **extra)
    return ids


def close(ticket: Ticket, actor: Actor, now: datetime, *, comment: str | None = None) -> None:
    """Close an answered ticket (§6.3: it is considered once every question has its answer)."""
    if actor.line != FIRST_LINE:
        raise IllegalTransition("Закрывает обращение первая линия (п. 5.3 Порядка).")
    if ticket.status is not Status.ANSWERED:
        raise IllegalTransition(
            f"Закрыть можно только отвеченное обращение, а статус этого — «{ticket.status_label_ru()}». "
            "Ответьте на все вопросы или оставьте обращение без ответа с указанием причины."
        )
    ticket.status = Status.CLOSED
    ticket.assignee = None
    _record(ticket, actor, now, EventType.CLOSED, comment=(comment or "").strip() or None)


def leave_without_answer(
    ticket: Ticket,
    actor: Actor,
    now: datetime,
    *,
    reason: str | None,
    comment: str | None = None,
    repeat_of: Ticket | None = None,
) -> None:
    """Resolve without an answer, for a recorded reason (§4.7–4.9, §6.1, §6.2).

    Such tickets are counted apart in reports and never as deadline breaches.
    """
    if actor.line != FIRST_LINE and actor.role is not ApiRole.SERVICE:
        raise IllegalTransition("Оставить обращение без ответа может первая линия (п. 5.3 Порядка).")
    try:
        code = LeaveReason(reason or "")
    except ValueError:
        options = ", ".join(f"{r.value} — {LEAVE_REASON_LABELS_RU[r]}" for r in LeaveReason)
        raise IllegalTransition(f"Укажите причину из списка: {options}.") from None
    if ticket.status not in OPEN_STATES:
        raise IllegalTransition(f"Обращение уже решено: статус — «{ticket.status_label_ru()}».")
    if code is LeaveReason.REPEAT:
        if repeat_of is None:
            raise IllegalTransition("Для повтора укажите номер прежнего обращения (repeat_of).")
        if repeat_of.number == ticket.number:
            raise IllegalTransition("Обращение не может быть повтором самого себя.")
        if repeat_of.status not in (Status.ANSWERED, Status.CLOSED):
            raise IllegalTransition(f"Обращение {repeat_of.number} ещё не решено — повтором считать нельзя (п. 4.9).")
    # A resolution is line 1's (§5.3): a ticket left while with line 2 or 3 (screening of a mentor's
    # question that went straight to the operator, §5.8) comes back to line 1 rather than staying in
    # that line's queue resolved; the line keeps seeing it (handed_to), as after a return.
    from_line = ticket.line
    ticket.line = FIRST_LINE
    ticket.status = Status.LEFT_WITHOUT_ANSWER
    ticket.resolution_reason = code.value
    ticket.repeat_of = repeat_of.number if repeat_of else None
    ticket.assignee = None
    ticket.resolved_at = now
    _record(
        ticket,
        actor,
        now,
        EventType.LEFT_WITHOUT_ANSWER,
        reason=code.value,
        comment=(comment or "").strip() or None,
        repeat_of=ticket.repeat_of,
        **({"from_line": from_line} if from_line != FIRST_LINE else {}),
    )


def reopen(ticket: Ticket, actor: Actor, now: datetime, *, comment: str | None) -> None:
    """Staff reopen an answered, closed or wrongly left ticket on line 1."""
    if actor.line != FIRST_LINE:
        raise IllegalTransition("Переоткрыть обращение может первая линия.")
    if ticket.status in OPEN_STATES:
        raise IllegalTransition("Обращение и так открыто.")
    text = _require_comment(comment, "Переоткрытие")
    _reopen(ticket, actor, now, comment=text)


def takes_follow_ups(ticket: Ticket) -> bool:
    """Whether the requester's next message belongs on this ticket rather than on a new one.

    A ticket left without an answer stays so: a new request is the way back. The exception is
    ``no_question`` (§4.9), where the next message is the question that was missing.
    """
    return ticket.status is not Status.LEFT_WITHOUT_ANSWER or ticket.resolution_reason == LeaveReason.NO_QUESTION.value


def requester_message(
    ticket: Ticket, actor: Actor, now: datetime, *, text: str | None, message_id: str | None = None
) -> bool:
    """A new message from the requester: kept, and it reopens an answered or closed ticket.

    A ticket left without an answer stays so (:func:`takes_follow_ups`), except for
    ``no_question``, where the message is the question that was missing (§4.9).
    ``message_id`` (the chat widget's id of the message) is kept with it, so a resend is recognised.

    Returns:
        whether the ticket was reopened.
    """
    body = (text or "").strip()
    if not body:
        raise IllegalTransition("Пустое сообщение.")
    extra = {"message_id": message_id} if message_id else {}
    ticket.transcript.append(TranscriptLine(sender="user", text=body, timestamp=now.timestamp()))
    reopenable = ticket.status in (Status.ANSWERED, Status.CLOSED) or (
        ticket.status is Status.LEFT_WITHOUT_ANSWER and ticket.resolution_reason == LeaveReason.NO_QUESTION.value
    )
    if reopenable:
        ticket.questions.append(Question(id=len(ticket.questions) + 1, text=body))
    _record(ticket, actor, now, EventType.REQUESTER_MESSAGE, text=body, **extra)
    if reopenable:
        _reopen(ticket, actor, now, comment="новое сообщение заявителя")
    return reopenable


def has_message(ticket: Ticket, message_id: str) -> bool:
    """Whether the requester's message with this id is on the ticket already (a resend of it)."""
    return any(
        e.type == EventType.REQUESTER_MESSAGE and e.data.get("message_id") == message_id for e in ticket.events
    )


def back_to_bot(ticket: Ticket, actor: Actor, now: datetime) -> None:
    """The pupil goes back to the bot: what they write in the chat no longer goes to this ticket.

    Nothing else changes: the ticket keeps its state, and the specialist sees in the history that
    the pupil is no longer waiting in this thread (a new answer opens the thread again).
    """
    _record(ticket, actor, now, EventType.BACK_TO_BOT)


def _reopen(ticket: Ticket, actor: Actor, now: datetime, *, comment: str) -> None:
    previous = ticket.status
    ticket.line = FIRST_LINE
    ticket.status = Status.IN_PROGRESS if ticket.owner else Status.NEW
    ticket.assignee = ticket.owner
    ticket.resolution_reason = None
    ticket.repeat_of = None
    ticket.resolved_at = None
    _record(ticket, actor, now, EventType.REOPENED, previous_status=previous.value, comment=comment)
