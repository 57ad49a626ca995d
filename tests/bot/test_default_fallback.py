"""When no rule or story knows the next step, Rasa's action_default_fallback says utter_default (config.yml has
no TEDPolicy): that answer must exist, be Russian, and offer a way on — never silence, never a dead end."""

from __future__ import annotations

from pathlib import Path

from rasa.shared.core.domain import Domain

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_fallback_answers_and_offers_a_person() -> None:
    domain = Domain.load(str(ROOT / "domain.yml"))
    [response] = domain.responses["utter_default"]
    assert "обращение" in response["text"]
    assert {b["payload"] for b in response["buttons"]} >= {"/open_appeal"}


def test_the_policies_fall_back_to_rasas_default_action() -> None:
    import yaml

    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    rule_policy = next(p for p in config["policies"] if p["name"] == "RulePolicy")
    assert rule_policy["core_fallback_action_name"] == "action_default_fallback"
