"""The transcript line 1 reads: a tapped button is its title, never the payload Rasa recorded (§1.4)."""

from typing import Any

from actions import texts
from actions.common import build_transcript
from tests.actions.tracker_helpers import make_tracker


def _tap(payload: str, timestamp: float) -> dict[str, Any]:
    return {"event": "user", "text": payload, "timestamp": timestamp, "parse_data": {"intent": {"name": "inform"}}}


def test_a_tapped_button_is_stored_as_the_title_the_pupil_saw() -> None:
    history = [
        {"event": "user", "text": "хочу оставить обращение", "timestamp": 1.0},
        {"event": "bot", "text": "Кто вы на платформе?", "timestamp": 2.0, "data": {"buttons": texts.ROLE_BUTTONS}},
        _tap('/inform{"role": "participant"}', 3.0),
        {
            "event": "bot",
            "text": "Какой у вас вопрос?",
            "timestamp": 4.0,
            "data": {"buttons": [{"title": "Технический: что-то не работает", "payload": "/choose_technical"}]},
        },
        _tap("/choose_technical", 5.0),
    ]
    lines = build_transcript(make_tracker(history=history))
    assert [(line["sender"], line["text"]) for line in lines] == [
        ("user", "хочу оставить обращение"),
        ("bot", "Кто вы на платформе?"),
        ("user", "Ученик"),
        ("bot", "Какой у вас вопрос?"),
        ("user", "Технический: что-то не работает"),
    ]


def test_spacing_of_the_payload_does_not_matter_and_no_payload_ever_shows() -> None:
    history = [
        {"event": "bot", "text": "Уточните регион:", "timestamp": 1.0,
         "data": {"buttons": texts.region_buttons(["Новгородская область", "Нижегородская область"])}},
        _tap('/inform{"region":"Нижегородская область"}', 2.0),
        {"event": "bot", "text": "Спасибо.", "timestamp": 3.0},
        _tap('/inform{"role": "parent"}', 4.0),  # no buttons offered just before: read by its shape
        _tap('/something_new{"x": 1}', 5.0),
    ]
    texts_seen = [line["text"] for line in build_transcript(make_tracker(history=history))]
    assert texts_seen[1] == "Нижегородская область"
    assert texts_seen[3] == "Родитель"
    assert texts_seen[4] == "(нажата кнопка)"
    assert not any(t.startswith("/") for t in texts_seen)
