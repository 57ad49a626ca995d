"""NearestScenarioExamples: the selector's ranking combined with the nearest examples, kept with the model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.scenario_neighbours import NearestScenarioExamples, combine, key_similarities
from bot.nlu.sentence_encoder import SentenceEncoderFeaturizer, encode

EXAMPLES = {
    "event_signup": ["как записаться на профпробу", "хочу попасть на мероприятие", "где запись на профпробы"],
    "forgot_password": ["забыл пароль", "не помню пароль от кабинета", "как восстановить пароль"],
}
RESPONSES = {f"utter_faq/{key}": [{"text": f"ответ {key}"}] for key in EXAMPLES}


def selector_output(ranking: list[tuple[str, float]]) -> dict[str, Any]:
    best = ranking[0]
    return {
        "faq": {
            "response": {"confidence": best[1], "intent_response_key": f"faq/{best[0]}",
                         "utter_action": f"utter_faq/{best[0]}", "responses": RESPONSES[f"utter_faq/{best[0]}"]},
            "ranking": [{"confidence": c, "intent_response_key": f"faq/{k}"} for k, c in ranking],
        }
    }


def featurized(text: str, **data: Any) -> Message:
    message = Message(data={TEXT: text, **data})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    SentenceEncoderFeaturizer(SentenceEncoderFeaturizer.get_default_config(), "sentence").process([message])
    return message


@pytest.fixture()
def trained(tmp_path: Path) -> tuple[LocalModelStorage, Resource]:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("neighbours")
    examples = [
        featurized(text, intent="faq", intent_response_key=f"faq/{key}")
        for key, texts in EXAMPLES.items() for text in texts
    ]
    examples.append(featurized("привет", intent="greet"))
    component = NearestScenarioExamples.create({}, storage, resource, ExecutionContext(None))  # type: ignore[arg-type]
    component.train(TrainingData(training_examples=examples, responses=RESPONSES))
    return storage, resource


def test_similar_examples_overturn_an_unsure_selector(trained: tuple[LocalModelStorage, Resource]) -> None:
    storage, resource = trained
    component = NearestScenarioExamples.load({}, storage, resource, ExecutionContext(None))  # type: ignore[arg-type]
    message = featurized("не могу вспомнить свой пароль", response_selector=selector_output(
        [("event_signup", 0.35), ("forgot_password", 0.30)]
    ))
    component.process([message])
    chosen = message.get("response_selector")["faq"]
    assert chosen["response"]["intent_response_key"] == "faq/forgot_password"
    assert chosen["response"]["utter_action"] == "utter_faq/forgot_password"
    assert chosen["response"]["responses"] == RESPONSES["utter_faq/forgot_password"]
    assert [r["intent_response_key"] for r in chosen["ranking"]] == ["faq/forgot_password", "faq/event_signup"]
    assert chosen["ranking"][0]["confidence"] == chosen["response"]["confidence"]


def test_a_sure_selector_on_a_near_example_stays(trained: tuple[LocalModelStorage, Resource]) -> None:
    storage, resource = trained
    component = NearestScenarioExamples.load({}, storage, resource, ExecutionContext(None))  # type: ignore[arg-type]
    message = featurized("как записаться на профпробу по кулинарии", response_selector=selector_output(
        [("event_signup", 0.95), ("forgot_password", 0.02)]
    ))
    component.process([message])
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/event_signup"


def test_only_scenario_examples_are_kept(trained: tuple[LocalModelStorage, Resource]) -> None:
    storage, resource = trained
    component = NearestScenarioExamples.load({}, storage, resource, ExecutionContext(None))  # type: ignore[arg-type]
    assert sorted(set(component._keys)) == ["event_signup", "forgot_password"]
    assert len(component._keys) == 6


def test_a_message_without_a_selector_output_is_left_alone(trained: tuple[LocalModelStorage, Resource]) -> None:
    storage, resource = trained
    component = NearestScenarioExamples.load({}, storage, resource, ExecutionContext(None))  # type: ignore[arg-type]
    message = featurized("привет")
    component.process([message])
    assert message.get("response_selector") is None


def test_key_similarity_is_the_mean_of_the_closest() -> None:
    vectors = encode(["забыл пароль", "как восстановить пароль", "где запись на профпробы"])
    query = encode(["забыл пароль"])[0]
    sims = key_similarities(query, vectors, ["p", "p", "e"], neighbours=2)
    assert sims["p"] == pytest.approx(float((vectors[0] @ query + vectors[1] @ query) / 2), abs=1e-5)
    assert sims["p"] > sims["e"]


def test_combine_weights_and_scales_to_one() -> None:
    ranking = combine([{"confidence": 1.0, "intent_response_key": "faq/a"}], {"a": 1.0, "b": 0.5}, 4.0, "faq", 10)
    assert ranking[0] == {"confidence": pytest.approx(1.0), "intent_response_key": "faq/a"}
    assert ranking[1] == {"confidence": pytest.approx(0.4), "intent_response_key": "faq/b"}
    assert len(combine([], {"a": 0.1, "b": 0.2, "c": 0.3}, 1.0, "faq", 2)) == 2
