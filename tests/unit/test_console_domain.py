"""Console rules without I/O: lock-out, known-issue matching, delivery pauses, queue deadlines, scenarios."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ticketing.adapters.scenarios import load_scenarios
from ticketing.domain.access import ApiRole
from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.deliveries import Delivery, delivered, failed, pause_after
from ticketing.domain.known_issues import IssueStatus, KnownIssue, best_match
from ticketing.domain.sla import MOSCOW, approaching
from ticketing.domain.staff import Attempts, InvalidStaffUser, StaffUser, after_failure, after_success, validate
from ticketing.http.console.exports import safe
from ticketing.http.console.present import duration, time_left
from ticketing.services.console_ports import QueueFilter
from ticketing.services.queues import approach_until, narrowed, tabs_for

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def user(**kw: object) -> StaffUser:
    base: dict[str, object] = {
        "login": "olga",
        "name": "Ольга",
        "role": ApiRole.LINE1,
        "password_hash": "x",
        "created_at": NOW,
    }
    return StaffUser(**{**base, **kw})  # type: ignore[arg-type]


def test_wrong_passwords_make_the_next_try_wait_longer_never_a_lock() -> None:
    attempts = Attempts()
    for _ in range(3):
        attempts = after_failure(attempts, NOW)
        assert not attempts.waiting(NOW)  # three slips are free
    waits = []
    for _ in range(12):
        attempts = after_failure(attempts, NOW)
        assert attempts.wait_until is not None
        waits.append(int((attempts.wait_until - NOW).total_seconds()))
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
    assert attempts.waiting(NOW + timedelta(seconds=299)) and not attempts.waiting(NOW + timedelta(seconds=300))
    person = user(failed_attempts=15, locked_until=NOW + timedelta(minutes=5))
    assert after_success(person).failed_attempts == 0 and after_success(person).locked_until is None


def test_staff_rules() -> None:
    with pytest.raises(InvalidStaffUser, match="хотя бы один регион"):
        validate(user(role=ApiRole.LINE2))
    with pytest.raises(InvalidStaffUser):
        validate(user(role=ApiRole.SERVICE))
    assert user(role=ApiRole.LINE2, regions=("Пермский край",)).scope.region_filter == ("Пермский край",)
    assert user(role=ApiRole.ADMIN).line == 1


def issue(title: str, keywords: str = "", status: IssueStatus = IssueStatus.FIXING, minutes: int = 0) -> KnownIssue:
    at = NOW + timedelta(minutes=minutes)
    return KnownIssue(
        title=title, description="", status=status, created_at=at, updated_at=at, created_by="dev", keywords=keywords
    )


def test_best_match_needs_two_shared_words_and_skips_fixed_issues() -> None:
    white = issue("Белый экран после второго вопроса теста", "не загружается тест")
    login = issue("Не приходит письмо для входа", "письмо, вход, регистрация")
    assert best_match([white, login], "Здравствуйте, не загружается тест, белый экран") is white
    assert best_match([white, login], "Не приходит письмо со ссылкой для входа") is login
    assert best_match([white, login], "Как получить сертификат?") is None
    assert best_match([white], "тест") is None
    fixed = issue("Белый экран после второго вопроса теста", status=IssueStatus.FIXED, minutes=5)
    assert best_match([fixed], "белый экран теста") is None


def test_delivery_pauses_grow_to_an_hour() -> None:
    assert [pause_after(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert pause_after(30) == timedelta(hours=1)
    d = Delivery(ticket_number="БВБ-000001", channel="chat", text="x", created_at=NOW, next_attempt_at=NOW)
    d = failed(d, NOW, "down")
    assert d.attempts == 1 and d.next_attempt_at == NOW + timedelta(seconds=30) and d.last_error == "down"
    assert delivered(d, NOW).status.value == "delivered" and delivered(d, NOW).attempts == 2


def test_approach_until_agrees_with_sla_approaching() -> None:
    """The SQL filter's bound and the domain's definition must never disagree."""
    calendar = WorkCalendar()
    rng = random.Random(7)
    for _ in range(300):
        now = datetime(2026, 12, 20, tzinfo=MOSCOW) + timedelta(minutes=rng.randrange(0, 60 * 24 * 25))
        until = approach_until(now, calendar)
        due_day = now.date() + timedelta(days=rng.randrange(0, 12))
        due = datetime.combine(due_day, datetime.max.time(), tzinfo=MOSCOW).replace(microsecond=0)
        if due < now:
            continue
        assert (due < until) == approaching(due, now, calendar), (now, due, until)


def test_tabs_of_each_line_and_filters() -> None:
    assert [t.key for t in tabs_for(ApiRole.LINE1, "Ольга")] == ["new", "mine", "waiting", "all"]
    assert [t.key for t in tabs_for(ApiRole.LINE2, "Р")] == ["line2", "mine", "all"]
    assert [t.key for t in tabs_for(ApiRole.LINE3, "Д")] == ["line3", "mine"]
    new = tabs_for(ApiRole.LINE1, "Ольга")[0].base
    assert narrowed(new, QueueFilter(status="closed")).statuses == ()  # a status outside the tab finds nothing
    assert narrowed(new, QueueFilter(channel="chat")).channel == "chat"


def test_formats_for_people() -> None:
    assert duration(timedelta(days=2, hours=3, minutes=5)) == "2 д 3 ч"
    assert duration(timedelta(minutes=75)) == "1 ч 15 мин"
    assert time_left(NOW, NOW - timedelta(hours=1)) == "осталось 1 ч 0 мин"
    assert time_left(NOW, NOW + timedelta(minutes=5)) == "просрочено на 5 мин"
    assert safe("=SUM(A1)") == "'=SUM(A1)" and safe("-1") == "'-1" and safe(5) == 5 and safe("текст") == "текст"


def test_scenarios_are_read_from_responses(tmp_path: Path) -> None:
    (tmp_path / "domain.yml").write_text(
        'version: "3.1"\nresponses:\n  utter_greet:\n  - text: Привет\n'
        "  utter_faq/certificate:\n  - text: Сертификат в личном кабинете.\n",
        encoding="utf-8",
    )
    (tmp_path / "data" / "nlu").mkdir(parents=True)
    (tmp_path / "data" / "nlu" / "faq.yml").write_text(
        "responses:\n  utter_faq/test_not_loading:\n  - text: Очистите кэш.\n  - text: Второй вариант\nnlu: []\n",
        encoding="utf-8",
    )
    (tmp_path / "data" / "broken.yml").write_text("responses: [unclosed", encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "faq_themes.yml").write_text(
        "themes:\n  - title: Тесты\n    questions:\n"
        "      - key: test_not_loading\n        title: Не загружается тест\n",
        encoding="utf-8",
    )
    found = load_scenarios(tmp_path)
    assert {s.key: s.text for s in found} == {
        "certificate": "Сертификат в личном кабинете.",
        "test_not_loading": "Очистите кэш.",
    }
    # «Начать со сценария» names each by the question people ask (content/faq_themes.yml), never its key;
    # without a title, by the answer's first line; in the order a person reads them.
    assert [s.label for s in found] == ["Не загружается тест", "Сертификат в личном кабинете."]
    assert load_scenarios(tmp_path / "nowhere") == []


def test_every_history_event_has_a_russian_title() -> None:
    from ticketing.domain.tickets import EventType, TicketEvent
    from ticketing.http.console.present import EVENT_TITLES_RU, event_title

    assert set(EVENT_TITLES_RU) == set(EventType)
    at = datetime(2026, 11, 27, tzinfo=UTC)
    assert event_title(TicketEvent(type="reply_sent", at=at, actor="mail")) == "Ответ отправлен письмом"


def test_a_staff_password_shorter_than_ten_characters_is_refused_in_russian() -> None:
    """docs/security.md, ASVS 2.1.1: the length the console asks for (10, not ASVS's 12)."""
    from ticketing.domain.staff import InvalidStaffUser
    from ticketing.services.staff import check_password

    with pytest.raises(InvalidStaffUser, match="не короче 10 символов"):
        check_password("123456789")
    check_password("1234567890")
