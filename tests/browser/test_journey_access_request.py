"""Journey: the AF records the parents' consent and their request to see the dossier,
withholds an informant's observation with its reason, records that the case's work notes
are withheld on a ground (they cannot prepare before) and prepares the copy; another
person, the directie, approves it and downloads it after confirming password and code."""

from datetime import UTC, datetime

from django.utils import timezone

from meldcode.models import Role
from privacy.models import AccessRequest, WithheldItem
from tests.browser.conftest import assert_accessible, confirm_identity, login, logout
from tests.factories import (
    CarerFactory,
    CaseFactory,
    ObservationFactory,
    SchoolFactory,
    StudentFactory,
    WorkNoteFactory,
    freeze,
    member,
)


def test_consent_and_a_request_for_access_from_record_to_download(page):
    school = SchoolFactory(name="De Regenboog")
    juf = member(Role.LEERKRACHT, school, username="juf")
    member(Role.AANDACHTSFUNCTIONARIS, school, username="af")
    member(Role.DIRECTIE, school, username="directie")
    student = StudentFactory(school=school, first_name="Noah", last_name="Jansen")
    CarerFactory(student=student, name="Fatima el Amrani")
    case = CaseFactory(student=student, opened_by=juf)
    observation = ObservationFactory(case=case, author=juf, status="concept",
                                     situation="De buurvrouw vertelde over geschreeuw",
                                     observed_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    freeze(observation)
    WorkNoteFactory(case=case, author=juf, text="Vader leek gespannen bij het ophalen")
    today = timezone.localdate().isoformat()

    login(page, "af")
    page.goto(f"/casussen/{case.pk}/toestemming/")
    assert_accessible(page, "consent list")
    page.get_by_role("link", name="Toestemming vastleggen").click()
    assert_accessible(page, "consent form")
    page.get_by_label("Fatima el Amrani").check()
    page.get_by_label("Gegeven op").fill(today)
    page.get_by_label("Jeugdarts").check()
    page.get_by_label("Doel").fill("Overleg over de groei")
    page.get_by_label("Hoe gegeven").fill("Mondeling")
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_text("De toestemming is vastgelegd.").wait_for()
    assert_accessible(page, "consent list with a consent")

    page.goto(f"/casussen/{case.pk}/inzage/")
    assert_accessible(page, "access requests")
    page.get_by_role("link", name="Verzoek om inzage vastleggen").click()
    page.get_by_label("Een ouder/verzorger").check()
    page.locator("#id_carer").select_option(label="Fatima el Amrani")
    page.get_by_label("Hoe is de identiteit nagegaan").fill("Paspoort getoond")
    page.get_by_label("Ontvangen op").fill(today)
    assert_accessible(page, "access request form")
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_role("heading", name="Verzoek om inzage", level=1).wait_for()
    assert_accessible(page, "access request")
    page.get_by_text("Niet verstrekken").first.click()
    page.get_by_label("Grond").first.select_option(label="In het belang van een informant")
    page.get_by_label("Toelichting").first.fill("De buurvrouw vroeg om geheimhouding")
    page.get_by_role("button", name="Uitzonderen").first.click()
    page.get_by_text("Het onderdeel wordt niet verstrekt").wait_for()
    assert WithheldItem.objects.filter(ground="belang_informant").count() == 1
    # The case has a work note: its number is shown, its text never, and it needs a choice.
    page.get_by_text("hoort nu 1 werkaantekening").wait_for()
    assert "Vader leek gespannen" not in page.content()
    page.get_by_role("button", name="Voorbereiding klaar").click()
    page.get_by_text("Leg eerst vast").wait_for()
    page.get_by_label("Niet verstrekt, op een vastgelegde grond").check()
    page.locator("#id_worknotes_ground").select_option(label="In het belang van het kind")
    page.locator("#id_worknotes_explanation").fill("Het kind vertelde het in vertrouwen")
    assert_accessible(page, "access request with work notes")
    page.get_by_role("button", name="Keuze vastleggen").click()
    page.get_by_text("de werkaantekeningen worden niet verstrekt").wait_for()
    assert WithheldItem.objects.filter(record_kind="worknotes").count() == 1
    page.get_by_role("button", name="Voorbereiding klaar").click()
    page.get_by_text("wacht op de goedkeuring van de directie").first.wait_for()
    logout(page)

    login(page, "directie")
    request = AccessRequest.objects.get()
    page.goto(f"/casussen/{case.pk}/inzage/{request.pk}/")
    assert_accessible(page, "access request for approval")
    page.get_by_role("button", name="Inzage goedkeuren").click()
    page.get_by_text("De inzage is goedgekeurd.").wait_for()
    page.get_by_role("link", name="Kopie voor de inzage downloaden (PDF)").click()
    # After password and code the download starts at once.
    with page.expect_download() as download:
        confirm_identity(page, "directie")
    assert download.value.suggested_filename == f"inzage-{case.reference}.pdf"
