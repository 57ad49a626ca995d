"""Known issues of the platform (§5.5): coming updates and errors being fixed.

Line 3 posts them so that line 1 knows what is going on before the questions pile up, and the
bot can say «мы знаем об этой ошибке» when a technical question matches one. Matching is a
plain overlap of word stems, the same measure as likely repeats (§4.9): a handful of issues
at a time do not need a search engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from ticketing.domain.repeats import stems


class IssueStatus(StrEnum):
    INVESTIGATING = "investigating"
    FIXING = "fixing"
    FIXED = "fixed"
    PLANNED_UPDATE = "planned_update"


ISSUE_STATUS_LABELS_RU: dict[IssueStatus, str] = {
    IssueStatus.INVESTIGATING: "выясняем причину",
    IssueStatus.FIXING: "исправляем",
    IssueStatus.FIXED: "исправлено",
    IssueStatus.PLANNED_UPDATE: "запланировано обновление",
}

MIN_SHARED_STEMS = 2  # one common word («тест») matches too much; two rarely lie


class InvalidIssue(ValueError):
    """The issue's data break a rule; the message says which, in Russian."""


@dataclass(frozen=True)
class KnownIssue:
    title: str
    description: str
    status: IssueStatus
    created_at: datetime
    updated_at: datetime
    created_by: str
    expected_on: date | None = None
    keywords: str = ""  # extra words people use for it: «белый экран, не грузится»
    fixed_at: datetime | None = None
    id: int | None = None

    @property
    def active(self) -> bool:
        """Fixed issues leave line 1's banner and the bot's answers; the rest stay."""
        return self.status is not IssueStatus.FIXED

    @property
    def status_label_ru(self) -> str:
        return ISSUE_STATUS_LABELS_RU[self.status]


def validate(issue: KnownIssue) -> KnownIssue:
    if not issue.title.strip():
        raise InvalidIssue("Укажите заголовок: что не работает или что изменится.")
    if len(issue.title) > 200:
        raise InvalidIssue("Заголовок — не длиннее 200 символов.")
    if len(issue.description) > 5000 or len(issue.keywords) > 500:
        raise InvalidIssue("Описание — не длиннее 5000 символов, ключевые слова — 500.")
    return issue


def match_score(issue: KnownIssue, text: str) -> int:
    """How many content stems the text shares with the issue's title and keywords."""
    return len(stems(text) & stems(f"{issue.title} {issue.keywords}"))


def best_match(issues: Iterable[KnownIssue], text: str) -> KnownIssue | None:
    """The active issue that ``text`` most likely speaks about, or ``None``."""
    scored = [(match_score(i, text), i) for i in issues if i.active]
    scored = [(score, i) for score, i in scored if score >= MIN_SHARED_STEMS]
    if not scored:
        return None
    return max(scored, key=lambda pair: (pair[0], pair[1].updated_at))[1]


def fixed_reply_ru(issue: KnownIssue) -> str:
    """The default text line 1 sends to every requester of a fixed issue; it may be edited first."""
    return (
        f"Здравствуйте! Ошибка «{issue.title}», о которой вы писали, исправлена. "
        "Обновите страницу и попробуйте ещё раз. Если что-то по-прежнему не работает, ответьте на это сообщение."
    )
