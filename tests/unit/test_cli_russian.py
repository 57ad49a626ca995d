"""``python -m ticketing`` speaks Russian: usage, help and errors (§1.4; issue 14, item 8)."""

from __future__ import annotations

import pytest

from ticketing.entrypoints.argparse_ru import russian_error
from ticketing.entrypoints.cli import build_parser


def _fails(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(argv)
    assert exited.value.code == 2
    return capsys.readouterr().err


def test_a_missing_action_names_it_and_where_the_help_is(capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails(["user"], capsys)
    assert err.startswith("использование: python -m ticketing user")
    assert "ошибка: не хватает обязательных параметров: ДЕЙСТВИЕ. Справка: python -m ticketing user --help" in err


def test_a_wrong_role_lists_the_right_ones(capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails(["user", "add", "--role", "boss", "--login", "a", "--name", "б"], capsys)
    assert "для --role нет варианта «boss»; можно: line1, line2, line3, admin" in err


def test_unknown_arguments_and_a_flag_without_value(capsys: pytest.CaptureFixture[str]) -> None:
    assert "непонятные аргументы: --extra" in _fails(["user", "list", "--extra"], capsys)
    assert "у параметра --name нет значения" in _fails(["token", "create", "--role", "admin", "--name"], capsys)
    assert "нужно целое число дней, а не «abc»" in _fails(
        ["token", "create", "--role", "admin", "--name", "x", "--days", "abc"], capsys
    )


def test_help_is_russian(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["user", "add", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "использование:" in out and "параметры:" in out and "показать эту справку и выйти" in out
    assert "line2 — вторая линия (региональный оператор)" in out
    for english in ("usage:", "options:", "show this help", "error:"):
        assert english not in out


def test_an_error_argparse_may_add_later_keeps_its_detail_behind_a_russian_lead() -> None:
    assert russian_error("something new") == "неверные аргументы (something new)"
