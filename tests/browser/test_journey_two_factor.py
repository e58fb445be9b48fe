"""Journey: a teacher's first login sets up the authenticator app; later a recovery code
gets them in, once; the sessions page shows where they are logged in."""

from meldcode.models import Role
from tests.browser.conftest import assert_accessible, first_login_with_enrolment, logout
from tests.factories import PASSWORD, SchoolFactory, member


def _password_step(page):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("juf.sanne")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/inloggen/code/")


def test_first_login_enrols_and_a_recovery_code_works_once(page):
    school = SchoolFactory(name="De Regenboog")
    member(Role.LEERKRACHT, school, username="juf.sanne", first_name="Sanne")

    codes = first_login_with_enrolment(page, "juf.sanne")
    page.get_by_role("link", name="Sessies").click()
    page.get_by_role("heading", name="Inloggen en sessies").wait_for()
    assert page.get_by_text("deze sessie").is_visible()
    assert page.get_by_text("nog 10 ongebruikte herstelcodes").is_visible()
    assert_accessible(page, "sessions")
    # New recovery codes: password and code first.
    page.get_by_role("button", name="Nieuwe herstelcodes maken").click()
    page.get_by_role("heading", name="Bevestig dat u het bent").wait_for()
    logout(page)

    _password_step(page)
    assert_accessible(page, "code step")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/")
    page.get_by_role("link", name="Sessies").click()
    assert page.get_by_text("nog 9 ongebruikte herstelcodes").is_visible()
    logout(page)

    _password_step(page)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Deze code klopt niet").wait_for()
    assert_accessible(page, "code step with error")
