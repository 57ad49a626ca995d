"""The public help page (§4.2.2.3): every scenario the bot answers is on it, word for word."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from tests.integration.conftest import Api
from ticketing.adapters.scenarios import load_help, load_scenarios
from ticketing.config import PROJECT_ROOT


class Answers(HTMLParser):
    """Collects, per question id, the visible text of its answer and whether it is open/hidden."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.answers: dict[str, str] = {}
        self.state: dict[str, set[str]] = {}
        self._entry: str | None = None
        self._in_answer = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "details" and "entry" in (names.get("class") or ""):
            self._entry = names.get("id") or ""
            self.answers[self._entry] = ""
            self.state[self._entry] = {name for name in ("open", "hidden") if name in names}
        elif tag == "div" and names.get("class") == "answer" and self._entry:
            self._in_answer = True
        elif tag == "br" and self._in_answer and self._entry:
            self.answers[self._entry] += "\n"

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._in_answer:
            self._in_answer = False
        elif tag == "details":
            self._entry = None

    def handle_data(self, data: str) -> None:
        if self._in_answer and self._entry:
            self.answers[self._entry] += data


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


async def page(api: Api, query: str = "") -> tuple[int, str, dict[str, str]]:
    _, response = await api.client.get("/help", params={"q": query} if query else None)
    return response.status, response.text, dict(response.headers)


async def test_every_scenario_is_on_the_page_as_the_bot_says_it(api: Api) -> None:
    status, body, headers = await page(api)
    assert status == 200 and headers["content-type"].startswith("text/html")
    scenarios = load_scenarios(PROJECT_ROOT)
    assert len(scenarios) >= 25
    parsed = Answers()
    parsed.feed(body)
    for scenario in scenarios:
        assert scenario.key in parsed.answers, f"сценария {scenario.key} нет на странице"
        assert squeeze(parsed.answers[scenario.key]) == squeeze(scenario.text)
        assert "hidden" not in parsed.state[scenario.key]


async def test_grouped_by_theme_with_question_titles(api: Api) -> None:
    _, body, _ = await page(api)
    for theme in load_help(PROJECT_ROOT):
        assert f"<h2>{html.escape(theme.title, quote=False)}</h2>" in body
        for entry in theme.entries:
            assert f"<summary>{html.escape(entry.title, quote=False)}</summary>" in body
    assert 'href="https://bilet.worldskills.ru"' in body  # links in answers are clickable


async def test_search_opens_the_matches_and_hides_the_rest(api: Api) -> None:
    status, body, _ = await page(api, "забыл пароль")
    assert status == 200
    parsed = Answers()
    parsed.feed(body)
    assert parsed.state["forgot_password"] == {"open"}
    assert "hidden" in parsed.state["cost"]
    assert "Найдено ответов:" in body


async def test_search_finds_the_words_people_use(api: Api) -> None:
    """«зарегаться» is not in any answer, but people ask so: the training examples count."""
    _, body, _ = await page(api, "зарегаться")
    parsed = Answers()
    parsed.feed(body)
    assert parsed.state["registration_student"] == {"open"}


async def test_nothing_found_says_so_and_the_query_is_escaped(api: Api) -> None:
    _, body, _ = await page(api, '<script>alert("x")</script>')
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body
    assert "Ничего не нашлось" in body


async def test_works_on_a_phone_without_outside_files(api: Api) -> None:
    _, body, headers = await page(api)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body
    assert not re.search(r'(src|href)="(?!https://bilet\.worldskills\.ru|mailto:|/help|#|data:,)', body)
    assert "script-src 'self'" in headers["content-security-policy"]
    _, css = await api.client.get("/help/static/help.css")
    _, js = await api.client.get("/help/static/help.js")
    assert css.status == 200 and js.status == 200
    _, other = await api.client.get("/help/static/help.html")
    assert other.status == 404
