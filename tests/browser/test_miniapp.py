"""The Mini App in a real headless Chromium at 390×844, served by the bot's own web server with a
movement arranged through the sandbox-driven bot (tests/webapp/scene.py), opened as Telegram opens
it: the signed initData in the URL fragment (#tgWebAppData=…), with Telegram's theme. One journey
per view and persona; a forged initData shows the refusal; a dropped connection offers a retry.
Each view's screenshot is kept (tests/browser/artifacts/miniapp-<view>.png)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import select

from bot import web
from storage.models import DataRequest, EmailMessage
from tests.browser.conftest import screenshot
from tests.webapp.scene import Scene, build, init_data, serve

pytestmark = pytest.mark.browser

THEME = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "button_color": "#2481cc",
    "button_text_color": "#ffffff",
}
WAIT = 15.0


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"send_per_chat_per_second": 100.0}


@pytest.fixture
async def scene(bot: Any) -> AsyncIterator[Scene]:
    built = await build(bot)
    server = await serve(built)
    built.server = server  # type: ignore[attr-defined]
    yield built
    built.server.stop()  # type: ignore[attr-defined]


class Page:
    """Selenium's blocking calls run in a thread: the bot's server shares this test's event loop."""

    def __init__(self, driver: Any, scene: Scene) -> None:
        self.driver = driver
        self.scene = scene

    async def run(self, func: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(func, *args)

    async def open(self, data: str, screen: str = "") -> None:
        query = f"?screen={screen}" if screen else ""
        fragment = (
            f"tgWebAppData={quote(data)}&tgWebAppVersion=7.0&tgWebAppThemeParams={quote(json.dumps(THEME))}"
        )
        await self.run(self.driver.get, f"{self.scene.url}/app/{query}#{fragment}")

    async def wait(self, css: str, predicate: Callable[[Any], bool] | None = None) -> Any:
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        def found(driver: Any) -> Any:
            for element in driver.find_elements(By.CSS_SELECTOR, css):
                if element.is_displayed() and (predicate is None or predicate(element)):
                    return element
            return False

        # A view re-rendered while it is read: look again.
        waiter = WebDriverWait(self.driver, WAIT, ignored_exceptions=(StaleElementReferenceException,))
        return await self.run(waiter.until, found)

    async def click(self, css: str, predicate: Callable[[Any], bool] | None = None) -> None:
        element = await self.wait(css, predicate)
        await self.run(element.click)

    async def texts(self, css: str) -> list[str]:
        from selenium.webdriver.common.by import By

        return [e.text for e in await self.run(self.driver.find_elements, By.CSS_SELECTOR, css)]

    async def js(self, script: str) -> Any:
        return await self.run(self.driver.execute_script, script)

    async def shot(self, name: str) -> None:
        await self.run(screenshot, self.driver, name)


@pytest.fixture
def page(browser: Any, scene: Scene) -> Page:
    return Page(browser, scene)


async def test_coordinator_sees_the_week_board_in_colour_and_opens_a_roster(page: Page, scene: Scene) -> None:
    await page.open(init_data("coordinator"))
    await page.wait("#hello", lambda e: e.text == "Bonjour Claire")
    assert await page.texts("nav button") == [
        "Agenda",
        "Recrutement",
        "Courriels",
        "Communication",
        "Adhésions",
        "Mes actions",
        "Mes données",
    ]
    for _ in range(await scene.week_offset()):
        await page.click("#week-next")
    card = f'[data-event="{scene.event_id}"]'
    badge = await page.wait(f"{card} .badge")
    assert badge.get_attribute("data-staffing") == "red" and badge.text == "Il manque du monde"
    assert (
        await page.js(f"return getComputedStyle(document.querySelector('{card} .badge')).color")
        == "rgb(179, 38, 30)"
    )
    assert "Tractage : 1/2" in (await page.wait(f"{card} .needs")).text
    # Telegram's theme is applied; text is at least 16px and buttons at least 44px tall.
    assert (
        await page.js("return getComputedStyle(document.documentElement).getPropertyValue('--button').trim()")
        == "#2481cc"
    )
    assert await page.js("return parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    heights = await page.js(
        "return [...document.querySelectorAll('main button')].map(b => b.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44
    await page.click(f"{card} .roster-open")
    roster = await page.wait(f"{card} .roster")
    assert "Alice (@alice) · Tractage" in roster.text
    assert await page.js("return document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    await page.shot("miniapp-agenda")
    # « Relancer » asks people in private, as the chat's button does.
    await page.click(f"{card} .relaunch", lambda e: "Tractage" in e.text)
    notice = await page.wait(
        "#notice", lambda e: "personnes sollicitées" in e.text or "personne sollicitée" in e.text
    )
    assert "C'est parti" in notice.text
    await page.click("#nav-recruitment")
    await page.wait(f"{card} .needs", lambda e: "en attente" in e.text)
    await page.shot("miniapp-recruitment")


async def test_lead_sees_their_domains_queue_and_claims_the_late_email(page: Page, scene: Scene) -> None:
    await page.open(init_data("lead"), "inbox")
    late = await page.wait("#queue-late article")
    assert "Demande d'interview" in late.text
    assert "Question sur mon reçu fiscal" not in await page.js("return document.body.innerText")
    await page.shot("miniapp-inbox")
    await page.click(f'[data-email="{scene.email_com}"] .claim')
    claimed = await page.wait(f'#queue-claimed [data-email="{scene.email_com}"]')
    assert "Suivi par Bruno" in claimed.text
    async with scene.services.db.session() as s:
        email = await s.get(EmailMessage, scene.email_com)
    assert email is not None and email.status == "claimed"
    await page.click("#nav-com")
    await page.wait(".week h2", lambda e: e.text.startswith("Semaine du"))
    await page.shot("miniapp-com")


async def test_treasurer_filters_the_ledger_by_year_and_sees_the_chart(page: Page, scene: Scene) -> None:
    await page.open(init_data("treasurer"))
    totals = await page.wait("#ledger-totals")
    assert totals.text.startswith("3 versements affichés")
    await page.wait(
        "#bilan-chart", lambda e: e.get_attribute("src") and e.get_attribute("src").startswith("blob:")
    )
    assert await page.js("return document.getElementById('bilan-chart').naturalWidth") > 0
    caps = await page.texts(".caps li")
    assert any("Camille Martin" in c and "Proche du plafond" in c for c in caps)
    await page.shot("miniapp-ledger")
    await page.run(
        page.driver.execute_script,
        f"const s = document.getElementById('year'); s.value = '{scene.year - 1}'; s.dispatchEvent(new Event('change'));",
    )
    await page.wait("#ledger-totals", lambda e: e.text.startswith("1 versement affiché"))
    assert [t.split("\n")[0] for t in await page.texts("#ledger-list li .top")][0].startswith("20,00")
    await page.click("#nav-memberships")
    await page.wait(".stats")
    await page.shot("miniapp-memberships")


async def test_volunteer_sees_their_events_and_exports_their_data(page: Page, scene: Scene) -> None:
    await page.open(init_data("volunteer"))
    await page.wait("nav button")
    assert await page.texts("nav button") == ["Mes actions", "Mes données"]
    mine = await page.wait(f'#my-events [data-event="{scene.event_id}"]')
    assert "Tractage marché Croix-Rousse" in mine.text and "Je viens" in mine.text
    await page.shot("miniapp-mine")
    await page.click("#nav-data")
    await page.click("#export")
    done = await page.wait("#export-done")
    assert "mes-donnees.json" in done.text
    async with scene.services.db.session() as s:
        kinds = [r.kind for r in await s.scalars(select(DataRequest))]
    assert kinds == ["access"]
    await page.shot("miniapp-data")
    # Erasure asks first; cancelling keeps everything.
    await page.click("#erase")
    await page.wait(".confirm", lambda e: "définitive" in e.text)
    await page.shot("miniapp-erase-confirm")
    await page.click("#erase-no")
    await page.wait("#erase-result")
    assert await scene.bot.person(701) is not None


async def test_forged_or_missing_init_data_shows_the_refusal(page: Page, scene: Scene) -> None:
    await page.open(init_data("coordinator", token="424242:forged"))
    refusal = await page.wait("#refusal")
    assert "Accès refusé" in refusal.text and "depuis le bot" in refusal.text
    assert await page.texts("nav button") == []
    await page.shot("miniapp-refused")
    await page.run(page.driver.get, f"{scene.url}/app/")
    await page.wait("#refusal")


async def test_a_dropped_connection_says_so_and_retries(page: Page, scene: Scene) -> None:
    await page.open(init_data("volunteer"), "data")
    await page.wait("#export")
    scene.server.stop()  # type: ignore[attr-defined]
    await scene.server.close_all_connections()  # type: ignore[attr-defined]  # kept-alive ones too
    await page.click("#nav-mine")
    offline = await page.wait(".notice.offline")
    assert "Connexion perdue" in offline.text
    await page.shot("miniapp-offline")
    port = int(scene.url.rsplit(":", 1)[1])
    scene.server = web.listen(web.make_app(scene.services), "127.0.0.1", port)  # type: ignore[attr-defined]
    await page.click("#retry")
    await page.wait(f'#my-events [data-event="{scene.event_id}"]')
