"""What pupils and parents write to the bot, as the benchmarks play it (``bench/bot_load.py``, ``bench/bot_floor.py``).

Plain Python with no dependencies, so that both environments import it.
"""

from __future__ import annotations

import random
import secrets

SCENARIO_QUESTIONS = (
    "как зарегистрироваться на платформе",
    "сколько стоит участие в проекте",
    "кто такой педагог-навигатор",
    "где посмотреть результаты диагностики",
    "как записаться на профпробу",
    "что такое билет в будущее",
    "с какого класса можно участвовать",
    "как поменять почту в профиле",
    "когда будут мероприятия",
    "не приходит письмо для подтверждения почты",
)
SMALL_TALK = ("привет", "ты бот?", "как дела?", "что ты умеешь?", "круто", "спасибо", "пока")
REGIONS = ("Татарстан", "Москва", "Свердловская область", "Краснодарский край", "Пермский край")
PROBLEMS = (
    "не загружается тест по профориентации, белый экран после второго вопроса",
    "при входе в личный кабинет пишет ошибку 500, пробовала с телефона и с компьютера",
    "результаты диагностики не отображаются уже неделю, хотя тест пройден полностью",
)


def conversation(kind: str, rng: random.Random) -> list[str]:
    """One conversation of the mix; the form's answers are unique, so each form is a new ticket."""
    if kind == "scenario":
        return ["Здравствуйте", rng.choice(SCENARIO_QUESTIONS), "спасибо", "пока"]
    if kind == "password":
        return ["забыл пароль", "да", "спасибо"]
    if kind == "small_talk":
        return [rng.choice(SMALL_TALK[:2]), rng.choice(SMALL_TALK[2:5]), "спасибо", "пока"]
    tag = secrets.token_hex(4)
    return [
        "хочу оставить обращение",
        rng.choice(REGIONS),
        "ученик",
        f"pupil_{tag}",
        f"pupil.{tag}@example.ru",
        "/choose_technical",
        rng.choice(PROBLEMS),
        "да",
    ]


# A mix by conversations: two scenario questions for every whole form, as the bot's logs have it
# on a school day (most people ask; some register a request).
MIX = ("scenario", "scenario", "scenario", "password", "small_talk", "form")
