"""The public help page (§4.2.2.3): every scenario the bot answers is on it, word for word."""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.tools.content import ContentError, load_yaml
from procedure import published
from tests.integration.conftest import Api
from ticketing.adapters.scenarios import load_help, load_scenarios
from ticketing.bootstrap import build_console
from ticketing.config import PROJECT_ROOT, ConsoleSettings


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


def found_keys(body: str) -> list[str]:
    """The ids of the answers in the results section, in the page's order (best first)."""
    section = body[body.index('id="results"') : body.index('id="themes"')]
    return re.findall(r'<details class="entry" id="([^"]+)"', section)


async def test_search_puts_the_best_answer_first_open_and_hides_the_rest(api: Api) -> None:
    status, body, _ = await page(api, "забыл пароль")
    assert status == 200
    assert found_keys(body) == ["forgot_password"]
    parsed = Answers()
    parsed.feed(body)
    assert parsed.state["forgot_password"] == {"open"}
    assert "Найдено ответов: 1, лучший — первым." in body
    # the themes (and the answers not found) are hidden while searching, the chips too
    assert re.search(r'<section class="theme" id="theme-1" hidden>', body)
    assert '<nav class="themes" id="themes" aria-label="Темы" hidden>' in body


async def test_search_forgives_a_typo_and_ranks_the_answer_about_the_word_first(api: Api) -> None:
    """§4.2.2.3: «пороль» finds the password answer; «профпроба» puts «Что такое профпроба?» first."""
    _, body, _ = await page(api, "пороль")
    assert found_keys(body)[:1] == ["forgot_password"]
    _, body, _ = await page(api, "профпроба")
    keys = found_keys(body)
    titles = {e.key: e.title for theme in load_help(PROJECT_ROOT) for e in theme.entries}
    assert titles[keys[0]] == "Что такое профпроба?", [titles[k] for k in keys]


async def test_a_parents_long_message_finds_the_answer_in_the_middle(api: Api) -> None:
    question = (
        "Здравствуйте, у меня сын в 7 классе, он не может войти в личный кабинет, пишет неверный пароль, "
        "что делать?"
    )
    _, body, _ = await page(api, question)
    assert found_keys(body)[:1] == ["forgot_password"]


async def test_the_script_gets_the_same_ranking_as_the_page(api: Api) -> None:
    for query in ("профпроба", "пороль", "не грузится тест", "qwerty"):
        _, body, _ = await page(api, query)
        _, response = await api.client.get("/help/search", params={"q": query})
        assert response.status == 200 and response.headers["cache-control"] == "no-store"
        assert response.json == {"query": query, "keys": found_keys(body)}


async def test_search_finds_the_words_people_use(api: Api) -> None:
    """«зарегаться» is not in any answer, but people ask so: the training examples count."""
    _, body, _ = await page(api, "зарегаться")
    assert found_keys(body)[:1] == ["registration_student"]


async def test_nothing_found_says_so_and_the_query_is_escaped(api: Api) -> None:
    _, body, _ = await page(api, '<script>alert("x")</script>')
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body
    assert "Ничего не нашлось" in body


async def test_works_on_a_phone_without_outside_files(api: Api) -> None:
    _, body, headers = await page(api)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body
    allowed = r"https://bilet\.worldskills\.ru|mailto:|/help|#|data:,|/chat/widget\.js\""
    assert not re.search(rf'(src|href)="(?!{allowed})', body)
    assert "script-src 'self'" in headers["content-security-policy"]
    # the chat widget is on the page («Не нашли ответ?» leads to the bot), and may call its own API
    assert '<script src="/chat/widget.js" data-mode="site" async></script>' in body
    assert "connect-src 'self'" in headers["content-security-policy"]
    _, css = await api.client.get("/help/static/help.css")
    _, js = await api.client.get("/help/static/help.js")
    assert css.status == 200 and js.status == 200
    _, other = await api.client.get("/help/static/help.html")
    assert other.status == 404


def _project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    shutil.copyfile(PROJECT_ROOT / "domain.yml", root / "domain.yml")
    shutil.copyfile(PROJECT_ROOT / "content" / "faq_themes.yml", root / "content" / "faq_themes.yml")
    shutil.copytree(PROJECT_ROOT / "data", root / "data")
    return root


def _theme_titles(body: str) -> list[str]:
    return re.findall(r"<h2>([^<]+)</h2>", body)


async def test_a_broken_file_saved_changes_nothing_until_it_is_published_fixed(api: Api, tmp_path: Path) -> None:
    """Issue 14: a YAML slip saved in one file used to drop its theme from /help and the console at once.

    The page and the console serve the published version (``make publish``, procedure.published); the
    broken file is refused at publish, with the file and line; a fixed file, once published, shows.
    """
    root, published_dir = _project_copy(tmp_path), tmp_path / "published"
    assert published.publish(root, published_dir, lambda path: load_yaml(path, root)).changed
    settings = ConsoleSettings(project_root=root, published_content=published_dir)
    api.app.ctx.console = build_console(api.app.ctx.container, settings)
    _, before, _ = await page(api)
    themes, scenarios = _theme_titles(before), {s.key for s in api.app.ctx.console.current_scenarios()}
    assert len(themes) >= 7 and "forgot_password" in scenarios and 'id="forgot_password"' in before

    access = root / "data" / "nlu" / "faq_access.yml"
    good = access.read_text(encoding="utf-8")
    # the editor's usual slip (docs/editors.md): an answer without its double quotes, and a colon in it
    unquoted = good.replace('utter_faq/forgot_password:\n    - text: "', "utter_faq/forgot_password:\n    - text: ", 1)
    access.write_text(unquoted.replace("Забыли пароль", "Забыли пароль: нажмите", 1), encoding="utf-8")
    with pytest.raises(ContentError, match=r"data/nlu/faq_access\.yml, строка \d+"):
        load_yaml(access, root)
    assert load_help(root) != load_help(published.content_root(published_dir, root))  # the working copy lost some
    with pytest.raises(ContentError):
        published.publish(root, published_dir, lambda path: load_yaml(path, root))
    _, during, _ = await page(api)
    assert _theme_titles(during) == themes and 'id="forgot_password"' in during
    assert {s.key for s in api.app.ctx.console.current_scenarios()} == scenarios

    fixed = good.replace("Как восстановить пароль:", "Как восстановить пароль (новый текст):", 1)
    access.write_text(fixed, encoding="utf-8")
    assert published.publish(root, published_dir, lambda path: load_yaml(path, root)).changed
    _, after, _ = await page(api)
    assert "Как восстановить пароль (новый текст)" in after and _theme_titles(after) == themes
    texts = {s.key: s.text for s in api.app.ctx.console.current_scenarios()}
    assert texts["forgot_password"].startswith("Как восстановить пароль (новый текст)")
