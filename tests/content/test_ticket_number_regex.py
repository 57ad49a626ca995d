"""The NLU's ticket_number regex finds the numbers procedure/ticket_numbers.py reads (issue 16)."""

import re
from pathlib import Path

import pytest
import yaml

from procedure.ticket_numbers import find_number

TICKETS = Path(__file__).resolve().parents[2] / "data" / "nlu" / "tickets.yml"


def _regex() -> re.Pattern[str]:
    data = yaml.safe_load(TICKETS.read_text(encoding="utf-8"))
    [entry] = [item for item in data["nlu"] if item.get("regex") == "ticket_number"]
    [pattern] = [line.removeprefix("- ").strip() for line in entry["examples"].splitlines() if line.strip()]
    return re.compile(pattern)


@pytest.mark.parametrize(
    "text",
    ["БВБ-000123", "бвб 123", "BVB-000045", "bvb123", "бвб_7", "БВБ №12", "БВБ-1234567", "бвб 123456789"],
)
def test_what_the_bot_extracts_is_a_number_ticketing_reads(text: str) -> None:
    found = _regex().search(text)
    assert found is not None and found.group(0) == text
    assert find_number(text) is not None
