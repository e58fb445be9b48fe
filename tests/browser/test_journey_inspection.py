"""Journey: the bestuur gives an inspecteur access; the inspecteur reads a school's
compliance summary, filters the audit trail and downloads it as CSV."""

from datetime import timedelta

from django.utils import timezone

from cases.models import Phase
from inspection.models import InspectionGrant
from meldcode.models import Role
from tests.browser.conftest import assert_accessible, confirm_identity, login, logout
from tests.factories import CaseFactory, SchoolFactory, StudentFactory, member, walk_to


def test_bestuur_grants_access_and_the_inspecteur_reads_the_school(page):
    school = SchoolFactory(name="De Regenboog")
    af = member(Role.AANDACHTSFUNCTIONARIS, school, username="af", first_name="Fatima",
                last_name="el Amrani")
    member(Role.DIRECTIE, school, username="directie")
    member(Role.BESTUUR, board=school.board, username="bestuur", first_name="Bas",
           last_name="Bestuur")
    member(Role.INSPECTEUR, board=school.board, username="inspecteur", first_name="Joost",
           last_name="Hendriks")
    student = StudentFactory(school=school, first_name="Noah", last_name="Jansen")
    case = CaseFactory(student=student)
    walk_to(case, Phase.WEGEN, actor=af)
    walk_to(case, Phase.MONITOREN, actor=af)
    today = timezone.localdate()

    login(page, "bestuur")
    page.get_by_role("link", name="Cijfers", exact=True).click()
    page.get_by_role("heading", name=f"Meldcodecijfers: {school.board.name}").wait_for()
    assert_accessible(page, "figures")
    page.get_by_role("link", name="Inspectietoegang", exact=True).click()
    page.get_by_role("heading", name="Inspectietoegang", level=1).wait_for()
    assert_accessible(page, "grant list")
    page.get_by_label("Inspecteur", exact=True).select_option(label="Joost Hendriks")
    page.get_by_label("De Regenboog").check()
    page.get_by_label("Doel van de inspectie").fill("Themaonderzoek sociale veiligheid")
    page.get_by_label("Toegang vanaf").fill(today.isoformat())
    page.get_by_label("Toegang tot en met").fill((today + timedelta(days=14)).isoformat())
    page.get_by_label("Onderzochte periode vanaf").fill(
        (today - timedelta(days=365)).isoformat())
    page.get_by_label("Onderzochte periode tot en met").fill(today.isoformat())
    page.get_by_role("button", name="Toegang geven").click()
    page.get_by_text("De inspecteur heeft toegang gekregen.").wait_for()
    assert_accessible(page, "grant given")
    logout(page)

    grant = InspectionGrant.objects.get()
    assert (grant.inspector.username, grant.created_by.username) == ("inspecteur", "bestuur")
    login(page, "inspecteur")
    page.get_by_role("heading", name="Uw inspectietoegang").wait_for()
    assert_accessible(page, "inspecteur's dashboard")
    page.get_by_role("link", name=f"{school.board.name}: De Regenboog").click()
    page.get_by_role("link", name="De Regenboog", exact=True).click()
    page.get_by_role("heading", name="Naleving van de meldcode: De Regenboog").wait_for()
    assert_accessible(page, "compliance summary")
    summary = page.get_by_role("row", name="Meldingen goedgekeurd met vier ogen")
    assert "1 van 1" in summary.inner_text()
    assert "Noah" not in page.content() and "Jansen" not in page.content()
    page.locator("table").nth(1).get_by_role("link").first.click()
    page.get_by_role("heading", name="Fasen").or_(page.get_by_text("Fasen")).first.wait_for()
    assert_accessible(page, "pseudonymised case")

    page.get_by_role("link", name="Auditspoor", exact=True).click()
    page.get_by_role("heading", name="Auditspoor", level=1).wait_for()
    page.get_by_label("Rol").select_option(label="Aandachtsfunctionaris")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url("**rol=aandachtsfunctionaris**")
    page.get_by_role("cell", name="AF", exact=True).first.wait_for()
    assert_accessible(page, "filtered trail")
    page.get_by_role("link", name="Downloaden als CSV").click()
    with page.expect_download() as download:
        confirm_identity(page, "inspecteur")
    assert download.value.suggested_filename.startswith("auditspoor-")
    text = open(download.value.path(), encoding="utf-8-sig").read()
    lines = text.splitlines()
    assert lines[0] == "tijd;school;handeling;actiecode;rol;persoon;casus"
    # Filtered as on screen: the AF's events only, by role, without names or pupils.
    assert len(lines) > 1 and all(";AF;" in line for line in lines[1:])
    assert "Noah" not in text and "el Amrani" not in text
