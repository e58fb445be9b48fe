"""Journey: a teacher finds a pupil and opens a case; the AF then sees it."""

from cases.models import Case
from meldcode.models import Role
from tests.browser.conftest import assert_accessible, login, logout
from tests.factories import SchoolFactory, StudentFactory, member


def test_teacher_opens_case_and_af_sees_it(page):
    school = SchoolFactory(name="De Regenboog")
    member(Role.LEERKRACHT, school, username="juf", first_name="Fatima", last_name="el Amrani")
    member(Role.AANDACHTSFUNCTIONARIS, school, username="af", first_name="Anneke")
    StudentFactory(school=school, first_name="Noah", last_name="Jansen", group="groep 5")
    StudentFactory(school=school, first_name="Emma", last_name="de Vries")

    login(page, "juf")
    assert_accessible(page, "dashboard (leerkracht)")
    page.get_by_role("link", name="Ik maak me zorgen").click()
    assert_accessible(page, "student search")
    page.get_by_label("Naam, groep of leerlingnummer").fill("noah")
    page.get_by_role("button", name="Zoeken").click()
    assert_accessible(page, "search results")
    page.get_by_role("button", name="Zorg melden over Noah").click()
    page.get_by_role("heading", name="Noah Jansen").wait_for()
    assert_accessible(page, "case page (leerkracht)")
    case = Case.objects.get(student__first_name="Noah")
    assert case.opened_by.username == "juf"
    logout(page)

    login(page, "af")
    assert page.get_by_text("1", exact=True).first.is_visible()  # unread badge
    page.get_by_role("link", name="Casussen", exact=True).click()
    assert_accessible(page, "case list")
    page.get_by_role("link", name="Noah Jansen").click()
    page.get_by_role("heading", name="Verloop").wait_for()
    assert page.get_by_text("heeft de casus geopend").is_visible()
    assert_accessible(page, "case page (AF)")
    page.get_by_role("link", name="Berichten").click()
    assert page.get_by_text("Nieuwe casus").is_visible()
    assert_accessible(page, "notifications")
