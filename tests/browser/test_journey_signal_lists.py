"""Journey: a board's beheerder maintains its signal list; its teachers read the new version,
a teacher of another board keeps the national list."""

from meldcode.models import Role
from signals_catalog.models import SignalList
from tests.browser.conftest import assert_accessible, login, logout
from tests.factories import SchoolFactory, ensure_signal_lists, member


def test_beheerder_publishes_versions_and_teacher_reads_them(page):
    ensure_signal_lists()
    school = SchoolFactory(name="De Regenboog", board__name="Stichting Primair")
    other_school = SchoolFactory(name="Het Kompas", board__name="Stichting Kompas")
    member(Role.BEHEERDER, board=school.board, username="beheer", first_name="Bram")
    member(Role.LEERKRACHT, school, username="juf", first_name="Fatima")
    member(Role.LEERKRACHT, other_school, username="meester", first_name="Karim")

    login(page, "beheer")
    page.goto("/beheer/signalen/")
    # One board: straight to that board's page.
    page.get_by_role("heading", name="Signalenlijsten van Stichting Primair").wait_for()
    assert_accessible(page, "catalog board page")
    assert page.get_by_role("row", name="4-12 jaar").get_by_text("Landelijke lijst").is_visible()
    page.get_by_role("link", name="4-12 jaar").click()
    page.get_by_role("heading", name="Versiegeschiedenis").wait_for()
    assert page.get_by_text("Stichting Primair gebruikt de landelijke lijst").is_visible()
    assert_accessible(page, "band page")

    page.get_by_label("Categorie").select_option(label="Overig")
    page.get_by_label("Tekst van het signaal").fill("Schoolverzuim")
    page.get_by_role("button", name="Toevoegen en publiceren").click()
    page.get_by_text("Versie 2 is gepubliceerd").wait_for()
    assert page.get_by_text("Dit is de eigen versie van Stichting Primair").is_visible()
    assert_accessible(page, "band page after adding")

    page.get_by_role("link", name="Te dik", exact=True).click()
    page.get_by_role("heading", name="Signaal wijzigen").wait_for()
    assert_accessible(page, "signal edit page")
    page.get_by_label("Nieuwe tekst").fill("Overgewicht")
    page.get_by_role("button", name="Opslaan en publiceren").click()
    page.get_by_text("Versie 3 is gepubliceerd").wait_for()

    page.get_by_role("link", name="Rondhangen na school", exact=True).click()
    page.get_by_role("button", name="Signaal intrekken en publiceren").click()
    page.get_by_text("Versie 4 is gepubliceerd").wait_for()
    # The history ends with the national version the board's versions started from.
    page.get_by_role("link", name="Versie 1", exact=True).click()
    assert page.get_by_text("Rondhangen na school").is_visible()
    assert page.get_by_text("Landelijke lijst").first.is_visible()
    assert_accessible(page, "old version")
    own = SignalList.objects.get(age_band__code="4-12", is_current=True, board=school.board)
    national = SignalList.objects.get(age_band__code="4-12", is_current=True, board=None)
    assert (own.version, national.version) == (4, 1)
    logout(page)

    login(page, "juf")
    page.goto("/signalenlijsten/")
    assert_accessible(page, "signal lists (leerkracht)")
    assert page.get_by_text("Overgewicht").is_visible()
    assert page.get_by_text("Schoolverzuim").is_visible()
    assert page.get_by_text("Rondhangen na school").count() == 0
    logout(page)

    # A teacher of another board still gets the national text.
    login(page, "meester")
    page.goto("/signalenlijsten/")
    assert_accessible(page, "signal lists (other board)")
    assert page.get_by_text("Rondhangen na school").is_visible()
    assert page.get_by_text("Te dik", exact=True).first.is_visible()
    assert page.get_by_text("Overgewicht").count() == 0
    assert page.get_by_text("Schoolverzuim").count() == 0
