"""Playwright on Debian's Chromium against pytest-django's live server.

Every page a journey visits is checked with axe-core (`assert_accessible`): no serious or
critical violation may appear. Every journey runs with every logger captured at DEBUG, and
fails when a pupil's or user's name, an e-mail address or anything it typed is in the log.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from meldcode.models import User
from tests.factories import PASSWORD
from tests.log_capture import every_log_line, personal_data_in
from tests.two_factor import app_device, code_for, secret_key_code

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
        # The strict Content-Security-Policy must not block anything a page needs.
        blocked = []
        page.on("console", lambda message: blocked.append(message.text)
                if "Content Security Policy" in message.text else None)
        yield page
        context.close()
    assert not blocked, f"blocked by the Content-Security-Policy: {blocked}"
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
    """Both login steps through the forms: the password, then the app's current code."""
    device = app_device(User.objects.get(username=username))
    page.goto("/inloggen/")
    assert_accessible(page, "login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/inloggen/code/")
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/")


def first_login_with_enrolment(page, username, password=PASSWORD):
    """A first login: the password, then setting up the app from the QR page. The code is
    computed from the secret shown on the page, as the phone would. Returns the recovery
    codes shown."""
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/inloggen/app-instellen/")
    page.get_by_role("heading", name="Authenticator-app instellen").wait_for()
    assert page.locator(".qr-code svg").is_visible()
    assert_accessible(page, "2FA enrolment")
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code uit de app").fill(secret_key_code(secret))
    page.get_by_role("button", name="App koppelen").click()
    page.get_by_role("heading", name="Uw herstelcodes").wait_for()
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page, "recovery codes")
    page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
    page.wait_for_url("**/")
    return codes


def confirm_identity(page, username, password=PASSWORD):
    """The re-authentication page (before exports and role changes)."""
    page.wait_for_url("**/bevestigen/**")
    assert_accessible(page, "re-authentication")
    device = app_device(User.objects.get(username=username))
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Bevestigen").click()


def logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/**")
