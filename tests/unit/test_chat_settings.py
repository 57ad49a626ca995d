"""The web chat's settings: safe defaults on a laptop, the demo off once a real secret is set."""

from __future__ import annotations

import stat
from dataclasses import replace
from pathlib import Path

import pytest

from ticketing.config import ChatSettings, dev_secret

REAL = "r" * 40


def test_without_a_secret_the_demo_is_on_and_a_dev_secret_is_made_once(tmp_path: Path) -> None:
    settings = replace(ChatSettings.from_env({}), dev_secret_path=tmp_path / "var" / "platform-jwt.secret")
    assert settings.demo and settings.jwt_secret_is_default
    secret = settings.signing_secret()
    path = tmp_path / "var" / "platform-jwt.secret"
    assert len(secret) >= 48 and path.read_text().strip() == secret
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    dev_secret.cache_clear()
    assert dev_secret(path) == secret  # another worker reads the same one
    assert secret not in repr(settings)


def test_a_real_secret_switches_the_demo_off_unless_asked() -> None:
    settings = ChatSettings.from_env({"PLATFORM_JWT_SECRET": REAL, "RASA_URL": "http://rasa:5005/"})
    assert not settings.demo and settings.signing_secret() == REAL and settings.rasa_url == "http://rasa:5005"
    assert ChatSettings.from_env({"PLATFORM_JWT_SECRET": REAL, "CHAT_DEMO": "1"}).demo
    assert not ChatSettings.from_env({"CHAT_DEMO": "0"}).demo


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PLATFORM_JWT_SECRET": "short"}, "короче 32 символов"),
        ({"CHAT_DEMO": "maybe"}, "CHAT_DEMO"),
        ({"CHAT_MESSAGES_PER_MINUTE": "много"}, "нужно число"),
        ({"CHAT_MAX_MESSAGE_CHARS": "0"}, "положительное"),
    ],
)
def test_a_wrong_setting_says_what_to_fix(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ChatSettings.from_env(env)


def test_limits_come_from_the_environment() -> None:
    settings = ChatSettings.from_env({"CHAT_MESSAGES_PER_MINUTE": "5", "CHAT_MESSAGES_PER_IP_PER_MINUTE": "50"})
    assert (settings.messages_per_minute, settings.messages_per_ip_per_minute) == (5, 50)
