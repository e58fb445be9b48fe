"""Journey: the AF reads a case's timeline and makes the parents' access overview; the
bestuur finds those reads in the access log."""

from meldcode.models import Role
from tests.browser.conftest import assert_accessible, login, logout
from tests.factories import CaseFactory, SchoolFactory, StudentFactory, member


def test_af_reads_the_timeline_and_the_bestuur_reviews_the_access_log(page):
    school = SchoolFactory(name="De Regenboog")
    member(Role.AANDACHTSFUNCTIONARIS, school, username="af", first_name="Fatima",
           last_name="el Amrani")
    member(Role.BESTUUR, board=school.board, username="bestuur", first_name="Bas",
           last_name="Bestuur")
    student = StudentFactory(school=school, first_name="Noah", last_name="Jansen")
    case = CaseFactory(student=student)

    login(page, "af")
    page.goto(f"/casussen/{case.pk}/")
    page.get_by_role("link", name="Tijdlijn", exact=True).click()
    page.get_by_role("heading", name="Tijdlijn: Noah Jansen").wait_for()
    assert_accessible(page, "timeline")
    page.get_by_label("Wijzigingen in de casus").check()
    page.get_by_role("button", name="Filteren").click()
    page.get_by_text("maakte casus aan").first.wait_for()

    page.goto(f"/casussen/{case.pk}/")
    page.get_by_role("link", name="Wie heeft dit dossier ingezien?").click()
    page.get_by_role("heading", name="Wie heeft het dossier van Noah Jansen ingezien?").wait_for()
    assert_accessible(page, "access overview")
    assert page.get_by_role("link", name="Downloaden als PDF").is_visible()
    logout(page)

    login(page, "bestuur")
    page.get_by_role("link", name="Inzagelog").click()
    page.get_by_role("heading", name="Inzagelog", level=1).wait_for()
    page.get_by_label("Persoon").fill("el Amrani")  # part of the name is enough
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("cell", name="case.timeline").first.wait_for()
    assert_accessible(page, "access log")
