"""Playwright on Debian's Chromium against pytest-django's live server.

Every page a journey visits is checked with axe-core (`assert_accessible`): no serious or
critical violation may appear. Every journey runs with every logger captured at DEBUG, and
fails when a pupil's or user's name, an e-mail address or anything it typed is in the log.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD
from tests.log_capture import every_log_line, personal_data_in

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def typed_texts(monkeypatch):
    """Every value a journey fills into a field."""
    from playwright.sync_api import Locator, Page

    typed = []
    locator_fill, page_fill = Locator.fill, Page.fill

    def fill_locator(self, value, *args, **kwargs):
        typed.append(value)
        return locator_fill(self, value, *args, **kwargs)

    def fill_page(self, selector, value, *args, **kwargs):
        typed.append(value)
        return page_fill(self, selector, value, *args, **kwargs)

    monkeypatch.setattr(Locator, "fill", fill_locator)
    monkeypatch.setattr(Page, "fill", fill_page)
    return typed


@pytest.fixture
def page(chromium, live_server, transactional_db, typed_texts):
    with every_log_line() as log_output:
        context = chromium.new_context(base_url=live_server.url, locale="nl-NL",
                                       viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        page = context.new_page()
        yield page
        context.close()
    leaks = personal_data_in(log_output(), [*typed_texts, PASSWORD])
    assert not leaks, f"personal data in the log of this journey: {leaks}"


_axe = Axe()


def assert_accessible(page, label=""):
    """axe-core: no serious or critical violation on the current page."""
    results = _axe.run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in
           ("serious", "critical")]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} → "
        + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                    for n in v["nodes"][:3])
        for v in bad
    )
    assert not bad, f"accessibility violations on {label or page.url}:\n{details}"


def login(page, username, password=PASSWORD):
    page.goto("/inloggen/")
    assert_accessible(page, "login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/")


def logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/**")
