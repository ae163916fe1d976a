"""A real headless Chromium (Debian's packages: /usr/bin/chromium, /usr/bin/chromedriver) driven by
Selenium, at phone size (390×844). `.ci/run` installs both; elsewhere, without them, these tests
are skipped (in CI a missing browser fails instead of skipping silently).

On failure each test's last screenshot is kept under `tests/browser/artifacts/` (or
$BROWSER_ARTIFACTS) so that a broken view can be seen."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PHONE = (390, 844)
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", Path(__file__).parent / "artifacts"))


def _available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call":
        item.stash[_FAILED] = report.failed


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def browser(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A fresh headless Chromium at 390×844 with an empty profile; `browser.get(url)` etc.
    (selenium.webdriver.Chrome)."""
    if not _available():
        if os.environ.get("CI"):
            pytest.fail("Chromium and ChromeDriver are missing: .ci/run installs them")
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # Without the background-networking flags Chromium keeps trying Google's hosts, which this
    # machine's closed network refuses.
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=fr-FR",
        f"--window-size={PHONE[0]},{PHONE[1]}",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_window_size(*PHONE)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        if request.node.stash.get(_FAILED, False):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
            driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
        driver.quit()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def screenshot(driver: Any, name: str) -> Path:
    """Keep a screenshot of the current view (the note quotes these paths)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path
