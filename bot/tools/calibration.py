"""Thresholds of «answer or ask» chosen from cross-validated confidences, never from the held-out sets.

The bot answers a scenario directly only when it is sure; otherwise it offers «Возможно, вы имели в
виду…» (actions/fallback.py). Two pairs of numbers in ``config.yml`` decide «sure»: the
FallbackClassifier's on the intent and ScenarioFallback's on the scenario key (bot/nlu/faq_confidence.py).
Set too high, pupils get buttons for questions the bot knew; too low, a confident wrong answer.

``python -m bot.tools.calibration`` (``make calibrate``):

1. splits the training examples (data/nlu) into folds, stratified by intent and scenario key, on a
   fixed seed, so two configurations are compared on the same folds;
2. trains the NLU on all folds but one and parses the held-out fold with every threshold switched
   off, keeping the raw intent ranking and the ResponseSelector's ranking of each example
   (``reports/calibration/folds-<name>.jsonl``);
3. replays the decision the bot makes for every pair of thresholds on a grid and picks the one with
   the most direct right answers to scenario questions such that no more of them are answered with
   a wrong scenario than ``--max-wrong`` (1 %) or than under the thresholds of ``config.yml``, whichever
   is more, and no more other messages (an appeal, small talk) are answered with a scenario than under
   ``config.yml``'s, nor acted on with any other wrong intent. A fold's model has seen a third fewer
   examples than the bot's, so its wrong answers are more frequent than the bot's: the limit is «no
   worse than today», measured the same way.

Every scenario question of a held-out fold is also parsed as two people write it that the training data
hardly has: in CAPITALS, and in the middle of a parent's letter (a greeting and a story before it, thanks
after; :data:`LETTER_OPENINGS`, :data:`LETTER_CLOSINGS`). These records carry ``variant`` and take no part in
choosing the thresholds; the figures show what a configuration does to such messages before the held-out
sets are read. The letter's sentences are written for this measure only: nothing trains on them.

The held-out sets in tests/content are measured by ``make nlu-report`` afterwards, with the
thresholds written into ``config.yml``; choosing the thresholds on them would make them stop measuring.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import functools
import itertools
import json
import logging
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.nlu.faq_confidence import RESPONSE_SELECTOR, unsure
from bot.tools.content import RETRIEVAL_INTENT, ROOT, scenario_key
from bot.tools.nlu_report import _pct, _suggestions

FALLBACK = "nlu_fallback"
OUT_DIR = Path("reports") / "calibration"
_FALLBACKS = ("FallbackClassifier", "bot.nlu.faq_confidence.ScenarioFallback")

# A parent's letter around a question, for the ``letter`` variant of the folds' scenario questions.
LETTER_OPENINGS = (
    "Здравствуйте! Пишу вам уже второй раз, мой сын учится в восьмом классе и очень хочет участвовать.",
    "Добрый день. Я мама ученицы шестого класса, в школе ничего толком не объясняют, поэтому обращаюсь к вам.",
    "Доброго времени суток, извините за беспокойство. У нас двое детей, старший в девятом классе.",
    "Здравствуйте, уважаемые организаторы. Классный руководитель переслал нам сообщение, и я немного растерялась.",
    "Добрый вечер! Бабушка пишет за внука, он сейчас на тренировке, а я в компьютерах не очень разбираюсь.",
    "Здравствуйте. Весь вечер сидим с дочерью за компьютером, она уже расстроилась, а я не знаю, у кого спросить.",
)
LETTER_CLOSINGS = (
    "Заранее большое спасибо, очень ждём ответа.",
    "Буду благодарна за быстрый ответ, ребёнок переживает.",
    "Спасибо, что уделили время, хорошего вам дня.",
    "Ответьте, пожалуйста, как можно скорее, сроки ведь поджимают.",
    "С уважением, Ольга Викторовна.",
    "Извините, если пишу не туда, подскажите тогда, куда обратиться.",
)
VARIANTS = ("caps", "letter")


def variant_text(text: str, variant: str, number: int) -> str:
    """A scenario question written the way the training data hardly has (see the module's text).

    ``number`` picks the letter's sentences, so the same question gets the same letter in every run.
    """
    if variant == "caps":
        return text.upper()
    if variant == "letter":
        question = text.rstrip()
        if question[-1:] not in "?!.":
            question += "?"
        opening = LETTER_OPENINGS[number % len(LETTER_OPENINGS)]
        closing = LETTER_CLOSINGS[(number // len(LETTER_OPENINGS)) % len(LETTER_CLOSINGS)]
        return f"{opening} {question[:1].upper()}{question[1:]} {closing}"
    raise ValueError(f"unknown variant {variant!r}")


def as_written(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The folds' examples as written, without the variants (these choose the thresholds)."""
    return [r for r in records if not r.get("variant")]


def of_variant(records: Sequence[dict[str, Any]], variant: str) -> list[dict[str, Any]]:
    return [r for r in records if r.get("variant") == variant]


@dataclass(frozen=True)
class Thresholds:
    """The four numbers of config.yml: intent (FallbackClassifier) and scenario (ScenarioFallback)."""

    intent: float
    intent_margin: float
    scenario: float
    scenario_margin: float

    def describe(self) -> str:
        return (
            f"намерение ≥ {self.intent:.2f} (отрыв ≥ {self.intent_margin:.2f}), "
            f"сценарий ≥ {self.scenario:.2f} (отрыв ≥ {self.scenario_margin:.2f})"
        )


def read_config(path: Path) -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return config


def configured_thresholds(config: dict[str, Any]) -> Thresholds:
    """The thresholds a config.yml sets (Rasa's and our defaults where it is silent)."""
    by_name = {c.get("name"): c for c in config.get("pipeline") or []}
    intent = by_name.get("FallbackClassifier") or {}
    scenario = by_name.get("bot.nlu.faq_confidence.ScenarioFallback") or {}
    return Thresholds(
        intent=float(intent.get("threshold", 0.3)),
        intent_margin=float(intent.get("ambiguity_threshold", 0.1)),
        scenario=float(scenario.get("threshold", 0.5)),
        scenario_margin=float(scenario.get("ambiguity_threshold", 0.1)),
    )


def without_fallbacks(config: dict[str, Any]) -> dict[str, Any]:
    """The same pipeline with both fallbacks unable to fire, so the raw rankings are what is parsed."""
    raw = copy.deepcopy(config)
    for component in raw.get("pipeline") or []:
        if component.get("name") in _FALLBACKS:
            component["threshold"] = 0.0
            component["ambiguity_threshold"] = 0.0
    return raw


# ---------------------------------------------------------------- replaying the bot's decision


def decide(record: dict[str, Any], t: Thresholds) -> tuple[str, str | None]:
    """(intent, scenario key) the bot acts on, as the two fallbacks of config.yml would decide.

    ``record`` holds ``intents`` [(name, confidence)…] and ``scenarios`` [(key, confidence)…],
    both ranked, as parsed with the fallbacks switched off.
    """
    intents = record["intents"]
    if not intents:
        return FALLBACK, None
    name, best = intents[0]
    second = intents[1][1] if len(intents) > 1 else 0.0
    # FallbackClassifier: below the threshold, or the runner-up within the margin.
    if unsure(best, second, t.intent, t.intent_margin):
        return FALLBACK, None
    if name != RETRIEVAL_INTENT:
        return name, None
    scenarios = record["scenarios"]
    if not scenarios:
        return name, None
    key, s_best = scenarios[0]
    s_second = scenarios[1][1] if len(scenarios) > 1 else 0.0
    if unsure(s_best, s_second, t.scenario, t.scenario_margin):
        return FALLBACK, None
    return name, key


@dataclass(frozen=True)
class Outcome:
    questions: int
    right: int
    wrong: int
    others: int
    others_right: int
    others_as_scenario: int
    others_wrong: int
    # Scenario questions the bot was unsure of whose right key is among «Возможно, вы имели в виду…»'s buttons.
    suggested: int = 0

    @property
    def suggested_of_rest(self) -> float:
        rest = self.questions - self.right
        return self.suggested / rest if rest else 1.0

    @property
    def right_share(self) -> float:
        return self.right / self.questions if self.questions else 0.0

    @property
    def wrong_share(self) -> float:
        return self.wrong / self.questions if self.questions else 0.0


@functools.cache
def _buttons(ranking: tuple[tuple[str, float], ...]) -> tuple[str, ...]:
    """The keys «Возможно, вы имели в виду…» offers for a ranking (the same for every threshold pair)."""
    if not ranking:
        return ()
    top, confidence = ranking[0]
    return tuple(_suggestions(top, confidence, list(ranking)))


def outcome(records: Sequence[dict[str, Any]], t: Thresholds) -> Outcome:
    questions = right = wrong = others = others_right = others_as_scenario = others_wrong = suggested = 0
    for record in records:
        intent, key = decide(record, t)
        expected_intent, _, expected_key = record["label"].partition("/")
        if expected_intent == RETRIEVAL_INTENT:
            questions += 1
            if intent == RETRIEVAL_INTENT:
                right += key == expected_key
                wrong += key != expected_key
            elif intent == FALLBACK:
                suggested += expected_key in _buttons(tuple((k, c) for k, c in record["scenarios"]))
        else:
            others += 1
            others_right += intent == expected_intent
            others_as_scenario += intent == RETRIEVAL_INTENT
            others_wrong += intent not in (expected_intent, FALLBACK)
    return Outcome(questions, right, wrong, others, others_right, others_as_scenario, others_wrong, suggested)


def _grid(start: float, stop: float, step: float) -> list[float]:
    count = round((stop - start) / step)
    return [round(start + i * step, 3) for i in range(count + 1)]


GRID = {
    "intent": _grid(0.2, 0.8, 0.05),
    "intent_margin": _grid(0.0, 0.3, 0.05),
    "scenario": _grid(0.1, 0.7, 0.05),
    "scenario_margin": _grid(0.0, 0.3, 0.025),
}


def choose(
    records: Sequence[dict[str, Any]], current: Thresholds, max_wrong: float, baseline: Outcome | None = None
) -> tuple[Thresholds, Outcome]:
    """The thresholds with the most direct right answers within the limits (see the module's text).

    The limits are ``baseline``'s (today's bot on the same folds, ``--baseline``) or, without it, these
    records' own figures at ``current``. Ties go to the more cautious thresholds (higher, then wider
    margins), so a flat stretch of the grid does not drift toward guessing.
    """
    if baseline is None:
        baseline = outcome(records, current)
    allowed_wrong = int(max_wrong * baseline.questions)
    best: tuple[tuple[Any, ...], Thresholds, Outcome] | None = None
    for values in itertools.product(GRID["intent"], GRID["intent_margin"], GRID["scenario"], GRID["scenario_margin"]):
        t = Thresholds(*values)
        result = outcome(records, t)
        if (
            result.wrong > max(allowed_wrong, baseline.wrong)
            or result.others_wrong > baseline.others_wrong
            or result.others_as_scenario > baseline.others_as_scenario
        ):
            continue
        rank = (result.right, result.others_right, -result.wrong, *values)
        if best is None or rank > best[0]:
            best = (rank, t, result)
    if best is None:
        return current, baseline
    return best[1], best[2]


# ---------------------------------------------------------------- the folds


def folds(examples: Sequence[Any], count: int, seed: int) -> Iterator[tuple[list[Any], list[Any]]]:
    """Stratified folds by the full intent (``faq/<key>``), the same for the same data and seed."""
    from sklearn.model_selection import StratifiedKFold

    labels = [example.get_full_intent() for example in examples]
    splitter = StratifiedKFold(n_splits=count, shuffle=True, random_state=seed)
    for train, test in splitter.split(list(examples), labels):
        yield [examples[i] for i in train], [examples[i] for i in test]


def _record(text: str, label: str, parsed: dict[str, Any]) -> dict[str, Any]:
    intents = [
        (str(r.get("name")), float(r.get("confidence") or 0.0))
        for r in parsed.get("intent_ranking") or []
        if r.get("name") != FALLBACK
    ]
    selector = (parsed.get(RESPONSE_SELECTOR) or {}).get(RETRIEVAL_INTENT) or {}
    scenarios = [
        (scenario_key(str(r.get("intent_response_key") or "")) or "", float(r.get("confidence") or 0.0))
        for r in selector.get("ranking") or []
    ]
    return {"text": text, "label": label, "intents": intents, "scenarios": scenarios}


async def cross_validated_records(config: dict[str, Any], count: int, seed: int) -> list[dict[str, Any]]:
    """Every training example parsed by a model that did not see it, with the fallbacks off."""
    import rasa.model_training
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger("bot.nlu.screening").setLevel(logging.ERROR)
    data = load_data(str(ROOT / "data" / "nlu"), language="ru")
    records: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as temp:
        tmp = Path(temp)
        config_path = tmp / "config.yml"
        config_path.write_text(yaml.safe_dump(without_fallbacks(config), allow_unicode=True), encoding="utf-8")
        for number, (train, test) in enumerate(folds(data.intent_examples, count, seed), start=1):
            print(f"Часть {number} из {count}: обучение на {len(train)} примерах, проверка на {len(test)}", flush=True)
            fold_data = TrainingData(
                training_examples=train,
                entity_synonyms=data.entity_synonyms,
                regex_features=data.regex_features,
                lookup_tables=data.lookup_tables,
                responses=data.responses,
            )
            data_path = tmp / "train.yml"
            RasaYAMLWriter().dump(data_path, fold_data)
            model = rasa.model_training.train_nlu(str(config_path), str(data_path), str(tmp / f"fold{number}"))
            assert model, f"fold {number}: Rasa trained no model"
            agent = Agent.load(model)
            for example in test:
                text = example.get("text")
                label = example.get_full_intent()
                records.append(_record(text, label, await agent.parse_message(text)))
                if scenario_key(label):
                    for variant in VARIANTS:
                        written = variant_text(text, variant, len(records))
                        record = _record(written, label, await agent.parse_message(written))
                        records.append({**record, "variant": variant})
    return records


def write_records(path: Path, records: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def read_records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def intent_f1(records: Sequence[dict[str, Any]]) -> tuple[float, dict[str, float]]:
    """F1 of the conversation intents (all but the scenarios' ``faq``) by the raw top intent of each record.

    Weighted by each intent's examples, as Rasa's ``rasa test nlu`` reports it; a scenario answer to an
    appeal counts against the appeal. The issue's «no loss on the conversation intents» is this figure
    compared on the same folds.
    """
    from sklearn.metrics import f1_score

    truth = [r["label"].partition("/")[0] for r in records]
    predicted = [r["intents"][0][0] if r["intents"] else FALLBACK for r in records]
    # EXTERNAL_* are the action server's own events (a ticket registered or not), never a person's message.
    labels = sorted({t for t in truth if t != RETRIEVAL_INTENT and not t.startswith("EXTERNAL_")})
    per_intent = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
    weighted = f1_score(truth, predicted, labels=labels, average="weighted", zero_division=0)
    return float(weighted), {label: float(f) for label, f in zip(labels, per_intent, strict=True)}


def describe_intents(name: str, records: Sequence[dict[str, Any]]) -> str:
    weighted, per_intent = intent_f1(records)
    weakest = sorted(per_intent.items(), key=lambda item: item[1])[:5]
    return f"{name}: F1 намерений разговора {weighted:.3f}; слабее всего " + ", ".join(
        f"{label} {f:.2f}" for label, f in weakest
    )


VARIANT_NAMES = {"caps": "ЗАГЛАВНЫМИ", "letter": "в середине письма родителя"}


def describe_variants(name: str, t: Thresholds, records: Sequence[dict[str, Any]]) -> str:
    lines = []
    for variant in VARIANTS:
        result = outcome(of_variant(records, variant), t)
        if result.questions:
            lines.append(
                f"  {VARIANT_NAMES[variant]} ({result.questions}): сразу верно {_pct(result.right_share)}, "
                f"уверенно неверно {result.wrong}, из остальных верный среди кнопок {_pct(result.suggested_of_rest)}"
            )
    return f"{name}, те же вопросы иначе написанные:\n" + "\n".join(lines) if lines else ""


def _print_if(text: str) -> None:
    if text:
        print(text)


def describe(name: str, t: Thresholds, result: Outcome) -> str:
    return (
        f"{name}: {t.describe()}\n"
        f"  вопросы о сценариях ({result.questions}): сразу верно {_pct(result.right_share)}, "
        f"уверенно неверно {result.wrong} ({_pct(result.wrong_share)}), "
        f"из остальных верный среди кнопок {_pct(result.suggested_of_rest)}\n"
        f"  другие сообщения ({result.others}): верное намерение {result.others_right}, "
        f"принято за другое намерение {result.others_wrong} (из них ответ сценарием {result.others_as_scenario})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Пороги уверенности по перекрёстной проверке (не по проверочным наборам)."
    )
    parser.add_argument("--config", default="config.yml", help="конфигурация Rasa (по умолчанию config.yml)")
    parser.add_argument("--folds", type=int, default=3, help="число частей (по умолчанию 3)")
    parser.add_argument("--seed", type=int, default=0, help="разбиение на части (по умолчанию 0)")
    parser.add_argument(
        "--max-wrong", type=float, default=0.01, help="доля уверенно неверных ответов (по умолчанию 0.01)"
    )
    parser.add_argument("--records", help="готовые разборы частей (JSONL) вместо обучения")
    parser.add_argument(
        "--baseline",
        help="разборы тех же частей для config.yml (JSONL): пределы — его цифры при порогах config.yml",
    )
    args = parser.parse_args(argv)
    config_path = ROOT / args.config
    config = read_config(config_path)
    if args.records:
        parsed = read_records(Path(args.records))
    else:
        parsed = asyncio.run(cross_validated_records(config, args.folds, args.seed))
        path = ROOT / OUT_DIR / f"folds-{config_path.stem}-{args.folds}-{args.seed}.jsonl"
        write_records(path, parsed)
        print(f"Разборы частей: {path}")
    records = as_written(parsed)
    current = configured_thresholds(config)
    baseline = None
    if args.baseline:
        baseline_parsed = read_records(Path(args.baseline))
        baseline_records = as_written(baseline_parsed)
        if [r["text"] for r in baseline_records] != [r["text"] for r in records]:
            parser.error(f"{args.baseline}: разборы других частей — нужны те же данные и тот же --seed")
        today = configured_thresholds(read_config(ROOT / "config.yml"))
        baseline = outcome(baseline_records, today)
        print(describe("config.yml на тех же частях", today, baseline))
        print(describe_intents("config.yml на тех же частях", baseline_records))
        _print_if(describe_variants("config.yml на тех же частях", today, baseline_parsed))
    chosen, result = choose(records, current, args.max_wrong, baseline)
    print(describe(f"сейчас в {args.config}", current, outcome(records, current)))
    _print_if(describe_variants(f"сейчас в {args.config}", current, parsed))
    print(describe("лучшие на перекрёстной проверке", chosen, result))
    _print_if(describe_variants("лучшие на перекрёстной проверке", chosen, parsed))
    print(describe_intents(args.config, records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
