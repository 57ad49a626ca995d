"""The web chat widget in real Chromium against the real bot: site visitor, personal account, reload, outage.

Uses the ``stack`` fixture (ticketing, action server, Rasa with models/bot.tar.gz). The FAQ
answers change often, so only the greeting and the appeal form are relied on. Screenshots for the
README are saved to docs/screenshots/widget-desktop.png, widget-phone.png and widget-specialist.png.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e.conftest import ROOT, Stack
from tests.e2e.console_fixtures import CHROMIUM, CHROMIUM_FLAGS

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "docs" / "screenshots"
NUMBER = re.compile(r"БВБ-\d{6}")
XSS = "<script>alert(1)</script>"
OFFLINE = "Нет связи с ботом. Сообщение сохранено и будет отправлено, как только связь восстановится"
ANSWERS = {
    "region": "из Свердловской обл.",
    "role": "я ученик",
    "login": "petrov2010",
    "email": "petr.sidorov@example.ru",
    "question_type": "технический",
    "description": "не загружается тест, после второго вопроса белый экран",
}
BOT = ".bc-msg:not(.bc-user)"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Нет /usr/bin/chromium: make provision (поставит chromium и остальное, что нужно тестам).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_FLAGS, "--lang=ru"])
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser: Browser, *, width: int = 1280, height: int = 800) -> BrowserContext:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ru-RU")
    context.set_default_timeout(20_000)
    return context


def open_page(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"a script ran: dialog {dialog.message!r}"))
    page.goto(url)
    return page


def open_chat(page: Page) -> None:
    page.get_by_role("button", name=re.compile("Открыть чат поддержки")).click()
    expect(page.get_by_role("dialog", name="Поддержка «Билет в будущее»")).to_be_visible()
    expect(page.get_by_label("Ваше сообщение")).to_be_focused()


def conversation_id(page: Page, mode: str = "site") -> str:
    key = "bilet-chat:v1:site" if mode == "site" else "bilet-chat:v1:account:ivanov2011"
    return str(page.evaluate(f"JSON.parse(localStorage.getItem('{key}')).conversationId"))


def settled(page: Page, bots_before: int, timeout: float = 60_000) -> None:
    """The message left the queue and the bot answered it."""
    expect(page.locator(".bc-pending")).to_have_count(0, timeout=timeout)
    expect(page.locator(".bc-typing")).to_be_hidden(timeout=timeout)
    page.wait_for_function(
        f"n => document.getElementById('bilet-chat').shadowRoot.querySelectorAll('{BOT}').length > n",
        arg=bots_before,
        timeout=timeout,
    )


def say(page: Page, text: str) -> None:
    before = page.locator(BOT).count()
    box = page.get_by_label("Ваше сообщение")
    box.fill(text)
    box.press("Enter")
    settled(page, before)


def tracker(stack: Stack, conversation: str) -> dict[str, Any]:
    response = httpx.get(f"{stack.rasa_url}/conversations/{conversation}/tracker", timeout=30)
    response.raise_for_status()
    return dict(response.json())


def fill_the_form(page: Page, stack: Stack, conversation: str) -> tuple[str, list[str]]:
    """Answer whatever the form asks until a ticket number appears; returns it and the slots asked."""
    asked: list[str] = []
    for _ in range(15):
        state = tracker(stack, conversation)
        requested = state["slots"].get("requested_slot")
        before = page.locator(BOT).count()
        if (state.get("active_loop") or {}).get("name") and requested:
            asked.append(requested)
            say(page, ANSWERS[requested])
        else:
            say(page, "да, всё верно")
        found = NUMBER.search(" ".join(page.locator(BOT).all_inner_texts()[before:]))
        if found:
            return found.group(0), asked
    pytest.fail("no ticket number in the chat:\n" + "\n".join(page.locator(".bc-msg").all_inner_texts()))


def ticket(stack: Stack, number: str) -> dict[str, Any]:
    response = httpx.get(
        f"{stack.ticketing_url}/api/v1/tickets/{number}",
        headers={"Authorization": f"Bearer {stack.admin_token}"},
        timeout=10,
    )
    response.raise_for_status()
    return dict(response.json())


def test_site_visitor_talks_to_the_bot_leaves_a_ticket_and_finds_it_after_a_reload(
    stack: Stack, browser: Browser
) -> None:
    context = new_context(browser)
    page = open_page(context, f"{stack.ticketing_url}/chat/demo")
    open_chat(page)
    expect(page.get_by_text("Напишите вопрос о проекте")).to_be_visible()

    say(page, XSS)  # shown as text, never run (a dialog would fail the test)
    expect(page.locator(".bc-user .bc-text").first).to_have_text(XSS)
    say(page, "Здравствуйте")
    expect(page.locator(".bc-bot").last).to_contain_text("Здравствуйте")
    expect(page.get_by_role("group", name="Варианты ответа").last).to_be_visible()

    before = page.locator(BOT).count()
    page.get_by_role("button", name="Оставить обращение").last.click()
    settled(page, before)
    conversation = conversation_id(page)
    number, asked = fill_the_form(page, stack, conversation)
    assert {"region", "role", "login", "email"} <= set(asked)
    assert ticket(stack, number)["conversation_id"] == conversation
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "widget-desktop.png"))

    # The history comes back from the server, not only from this browser's copy.
    page.evaluate(
        "k => { const s = JSON.parse(localStorage.getItem(k)); s.history = []; s.next = -1;"
        " localStorage.setItem(k, JSON.stringify(s)); }",
        "bilet-chat:v1:site",
    )
    page.reload()
    expect(page.get_by_role("dialog", name="Поддержка «Билет в будущее»")).to_be_visible()  # stays open
    expect(page.locator(".bc-user .bc-text").first).to_have_text(XSS)
    expect(page.locator(".bc-bot").filter(has_text=number).first).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_role("button", name=re.compile("Открыть чат поддержки"))).to_be_focused()
    context.close()


def test_personal_account_user_is_not_asked_region_role_login_or_email(stack: Stack, browser: Browser) -> None:
    context = new_context(browser)
    page = open_page(context, f"{stack.ticketing_url}/chat/demo?mode=account")
    open_chat(page)
    expect(page.locator(".bc-bot").first).to_have_text(
        re.compile(r"Здравствуйте, ivanov2011! Вижу ваш регион — Республика Татарстан — и почту i…@mail\.ru")
    )
    say(page, "хочу оставить обращение")
    conversation = conversation_id(page, "account")
    number, asked = fill_the_form(page, stack, conversation)
    assert not {"region", "role", "login", "email"} & set(asked), asked
    assert "question_type" in asked
    found = ticket(stack, number)
    assert (found["region"], found["login"], found["email"], found["role"]) == (
        "Республика Татарстан",
        "ivanov2011",
        "ivan.petrov@mail.ru",
        "participant",
    )

    # A specialist answers through the console (an event appended to the conversation): the open
    # widget shows it within a few seconds, marked, with its link clickable and its markup as text.
    reply = f"Проверьте, пожалуйста, инструкцию: https://bilet.worldskills.ru/help. {XSS}"
    httpx.post(
        f"{stack.rasa_url}/conversations/{conversation}/tracker/events",
        json=[{"event": "bot", "text": reply, "metadata": {"staff_reply": True, "ticket": number}}],
        timeout=30,
    ).raise_for_status()
    staff = page.locator(".bc-staff")
    expect(staff).to_contain_text(f"Ответ специалиста, обращение {number}", timeout=15_000)
    expect(staff.locator(".bc-text")).to_have_text(reply)
    expect(staff.get_by_role("link", name="https://bilet.worldskills.ru/help")).to_have_attribute(
        "href", "https://bilet.worldskills.ru/help"
    )
    context.close()

    phone = new_context(browser, width=390, height=844)
    page = open_page(phone, f"{stack.ticketing_url}/chat/demo?mode=account&login=smirnova07&region=Казань")
    open_chat(page)
    expect(page.locator(".bc-bot").first).to_contain_text("Здравствуйте, smirnova07!")
    box = page.get_by_role("dialog").bounding_box()
    assert box is not None and box["width"] == 390 and box["height"] == 844  # full screen on a phone
    say(page, "Здравствуйте")
    page.screenshot(path=str(SHOTS / "widget-phone.png"))
    phone.close()


def test_a_message_written_while_the_bot_is_down_is_delivered_once_it_is_back(stack: Stack, browser: Browser) -> None:
    context = new_context(browser)
    page = open_page(context, f"{stack.ticketing_url}/chat/demo")
    page.evaluate("localStorage.clear()")
    page.reload()
    open_chat(page)
    say(page, "Здравствуйте")
    conversation = conversation_id(page)

    stack.stop("rasa")
    try:
        box = page.get_by_label("Ваше сообщение")
        box.fill("хочу оставить обращение")
        box.press("Enter")
        expect(page.get_by_role("status").filter(has_text=OFFLINE)).to_be_visible()
        expect(page.locator(".bc-pending")).to_contain_text("ожидает отправки")
        page.reload()  # the queue survives a reload too
        expect(page.locator(".bc-pending")).to_contain_text("хочу оставить обращение")
    finally:
        started = time.monotonic()
        stack.start("rasa")
    expect(page.locator(".bc-pending")).to_have_count(0, timeout=90_000)
    expect(page.locator(".bc-notice")).to_be_hidden()
    expect(page.locator(".bc-msg").last).not_to_have_class(re.compile("bc-user"), timeout=30_000)
    texts = [e["text"] for e in tracker(stack, conversation)["events"] if e.get("event") == "user"]
    assert texts.count("хочу оставить обращение") == 1, texts
    print(f"rasa restarted and the queued message delivered in {time.monotonic() - started:.0f} s")
    context.close()


def test_after_a_specialists_answer_the_pupil_writes_to_the_specialist_and_can_go_back_to_the_bot(
    stack: Stack, browser: Browser
) -> None:
    """Issue 14, part 2, on a phone: the reply lands on the ticket (not in the bot's NLU), then back to the bot."""
    phone = new_context(browser, width=390, height=844)
    page = open_page(phone, f"{stack.ticketing_url}/chat/demo")
    page.evaluate("localStorage.clear()")
    page.reload()
    open_chat(page)
    say(page, "Здравствуйте")
    conversation = conversation_id(page)
    admin = {"Authorization": f"Bearer {stack.admin_token}"}
    created = httpx.post(
        f"{stack.ticketing_url}/api/v1/tickets",
        json={
            "channel": "chat",
            "question_type": "technical",
            "region": "Республика Татарстан",
            "role": "participant",
            "login": "petrov2010",
            "email": "petr.sidorov@example.ru",
            "description": "Не приходит письмо для подтверждения почты",
            "conversation_id": conversation,
        },
        headers=admin,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    number = created.json()["number"]
    reply = "Мы отправили письмо ещё раз. Если оно не пришло, напишите сюда."
    answered = httpx.post(
        f"{stack.ticketing_url}/api/v1/tickets/{number}/answer", json={"text": reply}, headers=admin, timeout=10
    )
    assert answered.status_code == 200, answered.text
    # The console's sender appends the answer to the conversation (the API's queue does it within minutes).
    httpx.post(
        f"{stack.rasa_url}/conversations/{conversation}/tracker/events",
        json=[{"event": "bot", "text": reply, "metadata": {"staff_reply": True, "ticket": number}}],
        timeout=30,
    ).raise_for_status()
    expect(page.locator(".bc-staff").first).to_contain_text(reply, timeout=15_000)
    banner = page.locator(".bc-thread")
    expect(banner).to_contain_text(f"Вы пишете специалисту, обращение {number}")
    expect(page.get_by_label("Ваше сообщение")).to_have_attribute("placeholder", "Сообщение специалисту…")

    say(page, "письмо так и не пришло")
    expect(page.locator(".bc-bot").last).to_contain_text(f"Передал ваше сообщение специалисту — обращение {number}")
    page.screenshot(path=str(SHOTS / "widget-specialist.png"))
    found = ticket(stack, number)
    assert found["status"] == "in_progress"  # reopened for line 1 (§6.3)
    assert [e["data"]["text"] for e in found["history"] if e["type"] == "requester_message"] == [
        "письмо так и не пришло"
    ]
    copies = [e for e in tracker(stack, conversation)["events"] if e.get("text") == "письмо так и не пришло"]
    assert [(e["event"], (e.get("parse_data") or {}).get("intent", {}).get("name")) for e in copies] == [
        ("user", None)  # a copy for the history: the bot's NLU never classified it
    ]

    page.get_by_role("button", name="Вернуться к боту").click()
    expect(banner).to_be_hidden()
    expect(page.locator(".bc-bot").last).to_contain_text("теперь вы снова пишете боту")
    expect(page.get_by_label("Ваше сообщение")).to_have_attribute("placeholder", "Напишите сообщение…")
    say(page, "Здравствуйте")
    expect(page.locator(".bc-bot").last).to_contain_text("Я бот поддержки")
    found = ticket(stack, number)
    assert [e["type"] for e in found["history"]][-1] == "back_to_bot"
    assert len([e for e in found["history"] if e["type"] == "requester_message"]) == 1
    phone.close()
