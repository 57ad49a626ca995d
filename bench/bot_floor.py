"""The in-process floor of an assistant: parse + next-action prediction, no HTTP, no actions run.

Run in ``.venv-rasa`` from the repository root: ``.venv-rasa/bin/python -m bench.bot_floor MODEL [MODEL …]``.
For each model it plays the same messages (those of ``bench/bot_load.py``'s mix) through Rasa's own
``MessageProcessor``: ``parse_message`` (the NLU pipeline), then the prediction the server makes after each
action until the policies predict ``action_listen`` (at most five actions, as after every user message), each
predicted action logged on an in-memory tracker without being run. What remains of a message's time in the
server is the HTTP channel, the tracker store and the actions themselves. ``--profile`` adds where the time
goes. Prints one JSON line per model, so that ``bench/bot_load.py`` can quote it.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import time

from bench.conversations import MIX, conversation

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


async def floor(model: str, conversations: int, profile: bool) -> dict[str, object]:
    import logging

    logging.disable(logging.INFO)
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    agent = Agent()
    agent.load_model(model)
    processor = agent.processor
    domain = agent.domain
    assert processor is not None and domain is not None
    names = domain.action_names_or_texts
    rng = random.Random(7)
    plan = [conversation(rng.choice(MIX), rng) for _ in range(conversations)]

    async def play(texts: list[str], sender: str, parse: list[float], predict: list[float]) -> None:
        tracker = DialogueStateTracker(sender, domain.slots)
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        for text in texts:
            started = time.perf_counter()
            parsed = await processor.parse_message(UserMessage(text, sender_id=sender), tracker)
            parse.append(time.perf_counter() - started)
            tracker.update(UserUttered(text, parsed.get("intent"), parsed.get("entities"), parsed))  # type: ignore[arg-type]
            started = time.perf_counter()
            for _ in range(5):
                # What the server runs after every action (MessageProcessor._run_prediction_loop).
                prediction = processor._predict_next_with_tracker(tracker)
                name = names[prediction.max_confidence_index]
                tracker.update(ActionExecuted(name))
                if name == ACTION_LISTEN_NAME:
                    break
            predict.append(time.perf_counter() - started)

    warm_parse: list[float] = []
    await play(plan[0], "warm", warm_parse, [])
    parse: list[float] = []
    predict: list[float] = []
    profiler = cProfile.Profile() if profile else None
    started_cpu = time.process_time()
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    for i, texts in enumerate(plan):
        await play(texts, f"floor-{i}", parse, predict)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - started_cpu
    messages = len(parse)
    return {
        "model": model,
        "messages": messages,
        "messages_per_s": round(messages / elapsed, 1),
        "cpu_ms_per_message": round(1000 * cpu / messages, 1),
        "parse_p50_ms": round(1000 * statistics.median(parse), 1),
        "predict_p50_ms": round(1000 * statistics.median(predict), 1),
        "parse_mean_ms": round(1000 * statistics.fmean(parse), 1),
        "predict_mean_ms": round(1000 * statistics.fmean(predict), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="+")
    parser.add_argument("--conversations", type=int, default=120)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    for model in args.models:
        print(json.dumps(asyncio.run(floor(model, args.conversations, args.profile)), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
