"""The one Rasa client (ticketing/adapters/rasa.py): a staff reply goes through the same gateway as the chat."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.integration.chat_rig import start_fake_rasa
from ticketing.adapters.rasa import RasaReplySender
from ticketing.domain.deliveries import Delivery
from ticketing.services.replies import DeliveryFailed

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def delivery(conversation: str | None = "chat-42") -> Delivery:
    return Delivery("БВБ-000001", "chat", "Ответ оператора", NOW, NOW, conversation_id=conversation)


async def test_a_staff_reply_is_appended_and_pushed_to_the_latest_channel() -> None:
    rasa = start_fake_rasa()
    try:
        await RasaReplySender(rasa.url + "/", "secret").send(delivery())
    finally:
        rasa.stop()
    [(sender, events)] = rasa.appended
    assert sender == "chat-42"
    assert events[0]["event"] == "bot" and events[0]["text"] == "Ответ оператора"
    assert events[0]["metadata"] == {"staff_reply": True, "ticket": "БВБ-000001"}
    query = rasa.append_queries[0]
    assert query["output_channel"] == ["latest"] and query["execute_side_effects"] == ["true"]
    assert query["token"] == ["secret"]


async def test_an_unreachable_bot_and_a_ticket_without_a_conversation_say_so_in_russian() -> None:
    rasa = start_fake_rasa()
    url = rasa.url
    rasa.stop()
    with pytest.raises(DeliveryFailed, match="сервер бота недоступен: ConnectError"):
        await RasaReplySender(url).send(delivery())
    with pytest.raises(DeliveryFailed, match="нет идентификатора диалога"):
        await RasaReplySender(url).send(delivery(None))
