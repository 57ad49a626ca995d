"""One settings tree (issue 16): one reader of yes/no values, RASA_URL read once for the chat and the console."""

from __future__ import annotations

import pytest

from ticketing.config import ChatSettings, ConsoleSettings, RasaEndpoint, Settings, flag


@pytest.mark.parametrize(
    ("raw", "default", "expected"),
    [("1", False, True), (" ON ", False, True), ("no", True, False), ("", True, True), (None, False, False)],
)
def test_flag_reads_yes_and_no_and_leaves_empty_to_the_default(raw: str | None, default: bool, expected: bool) -> None:
    assert flag(raw, "X", default=default) is expected


def test_flag_names_the_setting_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="X='может быть': укажите 1 или 0"):
        flag("может быть", "X", default=False)
    assert flag("Да", "X", default=False) and not flag("нет", "X", default=True)


def test_the_console_reads_its_flag_as_the_chat_does() -> None:
    assert ConsoleSettings.from_env({"CONSOLE_SECURE_COOKIES": "on"}).secure_cookies
    with pytest.raises(ValueError, match="CONSOLE_SECURE_COOKIES"):
        ConsoleSettings.from_env({"CONSOLE_SECURE_COOKIES": "может быть"})


def test_chat_and_console_see_the_same_rasa() -> None:
    env = {"RASA_URL": "http://rasa:5005/", "RASA_TOKEN": "t"}
    chat, console = ChatSettings.from_env(env), ConsoleSettings.from_env(env)
    assert (chat.rasa_url, chat.rasa_token) == (console.rasa_url, console.rasa_token) == ("http://rasa:5005", "t")
    assert RasaEndpoint.from_env({}).url == ConsoleSettings.from_env({}).rasa_url == "http://localhost:5005"


def test_settings_name_no_time_zone_they_do_not_use() -> None:
    # deadlines are Moscow time by the Procedure (ticketing.domain.sla.MOSCOW), not a setting
    assert not hasattr(Settings(), "timezone")


def test_the_published_content_is_read_only_when_named(tmp_path) -> None:
    """make run names var/published (relative to the project); without it the files as saved are read."""
    from ticketing.config import PROJECT_ROOT

    assert ConsoleSettings.from_env({}).published_content is None
    assert ConsoleSettings.from_env({}).content_root() == PROJECT_ROOT
    assert ConsoleSettings.from_env({"PUBLISHED_CONTENT": "var/published"}).published_content == (
        PROJECT_ROOT / "var" / "published"
    )
    assert ConsoleSettings.from_env({"PUBLISHED_CONTENT": str(tmp_path)}).content_root() == PROJECT_ROOT  # none yet


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "PD_RETENTION_DAYS: нужно целое число дней, а не «abc»."),
        ("0", "PD_RETENTION_DAYS: срок хранения — не меньше 1 дня, а не 0."),
        ("-3", "PD_RETENTION_DAYS: срок хранения — не меньше 1 дня, а не -3."),
        ("1.5", "PD_RETENTION_DAYS: нужно целое число дней, а не «1.5»."),
    ],
)
def test_a_bad_retention_stops_the_service_in_russian(
    raw: str, message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The service refuses at start-up with the one parser's message (procedure.personal_data), no traceback."""
    from procedure.personal_data import retention_days
    from ticketing.entrypoints.cli import main

    with pytest.raises(ValueError) as raised:
        retention_days(raw)
    assert str(raised.value) == message
    monkeypatch.setenv("PD_RETENTION_DAYS", raw)
    assert main(["token", "list"]) == 2
    err = capsys.readouterr().err
    assert err == f"python -m ticketing: {message}\n"


def test_retention_unset_or_empty_is_the_default_and_spaces_are_forgiven() -> None:
    from procedure.personal_data import DEFAULT_RETENTION_DAYS

    assert Settings.from_env({}).pd_retention_days == DEFAULT_RETENTION_DAYS
    assert Settings.from_env({"PD_RETENTION_DAYS": " "}).pd_retention_days == DEFAULT_RETENTION_DAYS
    assert Settings.from_env({"PD_RETENTION_DAYS": " 30 "}).pd_retention_days == 30
