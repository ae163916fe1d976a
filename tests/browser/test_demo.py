"""`python3 dev.py demo` in a real browser at phone size: a newcomer's onboarding typed and tapped in
the page, an RSVP whose count updates live in the group, and the Mini App opened from a chat."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from sandbox.webclient import seed
from sandbox.webclient.server import BackgroundDemo, Demo, split_link
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

WAIT = 30


@pytest.fixture(scope="module")
def demo() -> Iterator[Demo]:
    running = BackgroundDemo(port=0)
    try:
        yield running.start()
    finally:
        running.stop()


def wait(driver: Any, condition: Any, timeout: float = WAIT) -> Any:
    """Until `condition()` is truthy (a message drawn again while read is read again)."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    ignored = (StaleElementReferenceException, NoSuchElementException)
    return WebDriverWait(driver, timeout, poll_frequency=0.1, ignored_exceptions=ignored).until(
        lambda d: condition()
    )


def bot_texts(driver: Any) -> list[str]:
    return [str(el.text) for el in driver.find_elements("css selector", ".msg.from-bot .msg-text")]


def last_bot_text(driver: Any) -> str:
    texts = bot_texts(driver)
    return texts[-1] if texts else ""


def type_and_send(driver: Any, text: str) -> None:
    box = driver.find_element("id", "composer-input")
    box.send_keys(text)
    driver.find_element("id", "send-button").click()
    wait(driver, lambda: box.get_attribute("value") == "")


def tap(driver: Any, label: str) -> None:
    """Tap the button `label` of the latest message that has one, as a person would."""

    def find() -> Any:
        for message in reversed(driver.find_elements("css selector", ".msg")):
            for button in message.find_elements("css selector", ".kb button"):
                if button.text == label and button.is_enabled():
                    return button
        return None

    def click() -> bool:
        find().click()
        return True

    wait(driver, click)


def open_chat(driver: Any, demo: Demo, chat_id: int) -> None:
    driver.get(demo.url)
    wait(driver, lambda: driver.find_elements("css selector", f'.chat-item[data-chat-id="{chat_id}"]'))
    driver.find_element("css selector", f'.chat-item[data-chat-id="{chat_id}"]').click()
    wait(driver, lambda: driver.find_element("id", "composer-input").is_displayed())


def test_a_newcomer_onboards_by_typing_and_tapping(browser: Any, demo: Demo) -> None:
    open_chat(browser, demo, seed.HUGO.id)
    assert "Aucun message" in browser.find_element("id", "messages").text
    type_and_send(browser, "/start")
    wait(browser, lambda: "prénom" in last_bot_text(browser))
    type_and_send(browser, "Hugo")
    wait(browser, lambda: "ville" in last_bot_text(browser))
    tap(browser, "Lyon")
    wait(browser, lambda: "Valider" in browser.find_element("id", "messages").text)
    tap(browser, "Tractage")
    wait(
        browser,
        lambda: "✅ Tractage" in [b.text for b in browser.find_elements("css selector", ".kb button")],
    )
    tap(browser, "Valider")
    tap(browser, "J'accepte")
    wait(browser, lambda: "Bienvenue Hugo" in last_bot_text(browser))
    screenshot(browser, "demo-onboarding")
    # The page shows what the bot stored: /profil answers with Lyon and the chosen action.
    type_and_send(browser, "/profil")
    wait(browser, lambda: "Lyon" in last_bot_text(browser) and "Tractage" in last_bot_text(browser))


def test_a_volunteer_answers_in_the_group_and_the_count_updates_live(browser: Any, demo: Demo) -> None:
    from selenium.webdriver.support.ui import Select

    open_chat(browser, demo, seed.GROUP_ID)
    Select(browser.find_element("id", "speaker")).select_by_value(str(seed.KARIM.id))
    title = seed.EVENTS[1].title  # nobody has answered this one

    def post() -> Any:
        for message in browser.find_elements("css selector", ".msg.from-bot"):
            if title in message.find_element("css selector", ".msg-text").text:
                return message
        return None

    announcement = wait(browser, post)
    assert "✅ 0 " in announcement.text
    message_id = announcement.get_attribute("data-id")
    yes = next(b for b in announcement.find_elements("css selector", ".kb button") if b.text == "Je viens")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", yes)
    yes.click()
    toast = browser.find_element("id", "toast")
    wait(browser, lambda: toast.is_displayed() and "noté" in toast.text)
    # No reload: the post is edited by the bot and the page shows it on its own.
    selector = f'.msg[data-id="{message_id}"] .msg-text'
    wait(browser, lambda: "✅ 1 " in browser.find_element("css selector", selector).text)
    assert "modifié" in browser.find_element("css selector", f'.msg[data-id="{message_id}"]').text
    screenshot(browser, "demo-rsvp")


def test_the_mini_app_opens_signed_for_the_person_without_personal_data_in_the_query(
    browser: Any, demo: Demo
) -> None:
    from webapp.auth import validate

    open_chat(browser, demo, seed.CLAIRE.id)
    button = wait(browser, lambda: browser.find_element("id", "open-webapp"))
    wait(browser, button.is_displayed)
    assert button.text == "Ouvrir l'application"
    button.click()
    frame = browser.find_element("id", "webapp-frame")
    wait(browser, lambda: "#tgWebAppData=" in (frame.get_attribute("src") or ""))
    src = frame.get_attribute("src")
    before, fragment = split_link(src)
    assert before == demo.webapp_url and urlsplit(src).query == ""
    for personal in ("Claire", str(seed.CLAIRE.id), seed.CLAIRE.username, "user"):
        assert personal not in before
    signed = validate(fragment["tgWebAppData"], demo.token, max_age_seconds=300)
    assert getattr(signed, "id", None) == seed.CLAIRE.id
    assert browser.find_element("id", "webapp-tab").get_attribute("href") == src
    browser.switch_to.frame(frame)
    wait(browser, lambda: browser.execute_script("return document.readyState") == "complete")
    browser.switch_to.default_content()
    screenshot(browser, "demo-webapp")
    browser.find_element("id", "webapp-close").click()
    wait(browser, lambda: not browser.find_element("id", "webapp").is_displayed())
