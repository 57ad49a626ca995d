"""The Rasa server logs no e-mail or login of a requester once it loads our components (152-ФЗ)."""

import logging

import structlog


def test_the_rasa_server_masks_its_slot_log_once_our_components_load(caplog):
    from rasa.utils.log_utils import configure_structlog

    import bot.nlu  # noqa: F401 - what Rasa imports when it loads the model

    caplog.set_level(logging.DEBUG)
    configure_structlog(logging.DEBUG)  # as `rasa run --debug` does; JSON lines when not on a terminal
    slots = "\temail: maria.ivanova@mail.ru\n\tlogin: masha2010\n\tregion: Республика Татарстан"
    # rasa/core/processor.py, _log_slots, on every message at DEBUG
    structlog.get_logger().debug("processor.slots.log", slot_values=slots)
    assert "processor.slots.log" in caplog.text
    assert "maria.ivanova" not in caplog.text and "masha2010" not in caplog.text
    assert "ma***@mail.ru" in caplog.text
