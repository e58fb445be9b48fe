"""Journey: a dossier past its term is on the vernietigingslijst; the AF confirms, the
directie keeps it for a legal reason, and the beheerder sets the board's terms."""

from datetime import timedelta

from django.utils import timezone

from meldcode.models import Role
from retention.models import DestructionItem
from tests.browser.conftest import assert_accessible, confirm_identity, login
from tests.factories import CaseFactory, SchoolFactory, StudentFactory, member


def test_af_and_directie_handle_the_vernietigingslijst(page, live_server):
    school = SchoolFactory(name="De Regenboog")
    teacher = member(Role.LEERKRACHT, school, username="juf")
    member(Role.AANDACHTSFUNCTIONARIS, school, username="af", first_name="Anneke")
    member(Role.DIRECTIE, school, username="directie", first_name="Dirk")
    member(Role.BEHEERDER, board=school.board, username="beheerder")
    case = CaseFactory(student=StudentFactory(school=school), opened_by=teacher,
                       phase="gesloten", closed_at=timezone.now() - timedelta(days=900))
    today = timezone.localdate()
    item = DestructionItem.objects.create(
        case_id=case.pk, school=school, record_class="dossier",
        closed_on=today - timedelta(days=900), due_on=today - timedelta(days=170))

    login(page, "af")
    page.get_by_role("link", name="Vernietiging").click()
    page.get_by_role("heading", name="Vernietigingslijst").wait_for()
    assert_accessible(page, "vernietigingslijst")
    page.get_by_role("link", name=item.reference).click()
    assert_accessible(page, "vernietiging detail")
    page.get_by_role("button", name="Als eerste bevestigen").click()
    confirm_identity(page, "af")  # irreversible: password and code again
    page.get_by_role("button", name="Als eerste bevestigen").click()
    page.get_by_text("Een tweede persoon moet de vernietiging nog bevestigen.").wait_for()
    assert_accessible(page, "vernietiging detail, one confirmation")
    page.context.clear_cookies()

    login(page, "directie")
    page.goto(f"{live_server.url}/vernietiging/{item.pk}/")
    page.get_by_label("Lopend onderzoek van Veilig Thuis").check()
    page.get_by_label("Toelichting").fill("VT-2026-118")
    page.get_by_label("Opnieuw bekijken op").fill((today + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Bewaren", exact=True).click()
    page.get_by_text("Het dossier wordt bewaard").wait_for()
    assert_accessible(page, "vernietiging detail, held")
    item.refresh_from_db()
    assert item.status == "bewaard" and item.first_confirmed_by is None
    page.context.clear_cookies()

    login(page, "beheerder")
    page.get_by_role("link", name="Bewaartermijnen").click()
    page.get_by_role("heading", name="Bewaartermijnen van").wait_for()
    assert_accessible(page, "bewaartermijnen")
    page.get_by_label("dossier bewaren (jaren)").fill("3")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De bewaartermijnen zijn opgeslagen.").wait_for()
    assert school.board.retention_policy.dossier_years == 3
