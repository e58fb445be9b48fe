"""Journey: the AF takes a case from step 1 to weighing through the stappenplan pages."""

from datetime import timedelta

from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Case, Phase
from meldcode.models import Role
from tests.browser.conftest import assert_accessible, login
from tests.factories import (
    CaseFactory,
    ObservationFactory,
    SchoolFactory,
    StudentFactory,
    member,
    teach,
)


def _conclude_doubt(page, why, label):
    page.get_by_role("link", name="Conclusie: twijfel of bevestiging").click()
    page.get_by_role("heading", name="Conclusie: twijfel of bevestiging").wait_for()
    assert_accessible(page, f"conclusion form ({label})")
    page.get_by_label("Onderbouwing").fill(why)
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_text("De conclusie is vastgelegd.").wait_for()
    assert_accessible(page, f"case page after conclusion ({label})")


def test_af_takes_a_case_from_signals_to_weighing(page):
    school = SchoolFactory(name="De Regenboog")
    teacher = member(Role.LEERKRACHT, school, username="juf")
    member(Role.AANDACHTSFUNCTIONARIS, school, username="af", first_name="Anneke",
           last_name="Bakker")
    member(Role.OKA, school, username="oka", first_name="Sanne", last_name="Smit")
    member(Role.DIRECTIE, school, username="directie")
    student = StudentFactory(school=school, first_name="Noah", last_name="Jansen")
    teach(student, teacher)
    case = CaseFactory(student=student, opened_by=teacher)
    ObservationFactory(case=case)
    today = timezone.localdate().isoformat()

    login(page, "af")
    page.goto(f"/casussen/{case.pk}/")
    page.get_by_role("heading", name="Stappenplan").wait_for()
    assert page.get_by_text("Wat kunt u nu doen?").is_visible()
    assert_accessible(page, "case page in step 1")

    # Step 1 → 2
    _conclude_doubt(page, "Drie keer blauwe plekken in twee weken.", "step 1")
    assert Case.objects.get(pk=case.pk).phase == Phase.CONSULTATIE
    # Leaving step 2 needs a consultation with the AF or the zorgteam: shown as missing.
    assert page.get_by_text("Leg eerst een consultatie met de aandachtsfunctionaris of het "
                            "zorgteam vast.").first.is_visible()

    page.get_by_role("link", name="Consultatie vastleggen").click()
    page.get_by_role("heading", name="Consultatie vastleggen").wait_for()
    assert_accessible(page, "consultation form")
    page.get_by_label("Zorgteam / zorgbreedteoverleg (ZBO)").check()
    page.get_by_label("Deelnemers").fill("AF, OKA en jeugdarts")
    page.get_by_label("Datum", exact=True).fill(today)
    page.get_by_label("Advies", exact=True).fill("Gesprek met de ouders voeren.")
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_text("De consultatie is vastgelegd.").wait_for()
    assert_accessible(page, "case page after consultation")

    # With doubt the zorgteam makes its plan van aanpak met taakverdeling (000 fase 2).
    page.get_by_role("link", name="Plan van aanpak met taakverdeling vastleggen").click()
    page.get_by_role("heading", name="Plan van aanpak met taakverdeling vastleggen").wait_for()
    assert_accessible(page, "plan van aanpak form")
    page.get_by_label("Actiepunt 1: wat").fill("Gesprek met de ouders voorbereiden")
    page.get_by_label("Actiepunt 1: wie").select_option(label="Anneke Bakker")
    page.get_by_label("Actiepunt 1: uiterlijk op").fill(
        (timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_text("Het plan van aanpak is vastgelegd; elk actiepunt is een taak.").wait_for()

    # Step 2 → 3
    _conclude_doubt(page, "Het zorgteam deelt de zorg.", "step 2")
    assert Case.objects.get(pk=case.pk).phase == Phase.GESPREK

    page.get_by_role("link", name="Gesprek met ouders of leerling vastleggen").click()
    page.get_by_role("heading", name="Gesprek met ouders of leerling vastleggen").wait_for()
    assert_accessible(page, "conversation form")
    page.get_by_label("Datum", exact=True).fill(today)
    page.get_by_label("Anneke Bakker").check()
    page.get_by_label("Sanne Smit").check()
    page.get_by_label("1. Het doel van het gesprek is uitgelegd").check()
    page.get_by_label("2. De feiten en waarnemingen die zijn beschreven").fill(
        "De blauwe plekken op de bovenarmen.")
    page.get_by_label("3. De ouders (of de leerling) zijn uitgenodigd te reageren").check()
    page.get_by_label("4. Hun reactie").fill("Moeder herkent het stille gedrag.")
    page.get_by_label("6. Samenvatting en afspraken").fill("Over twee weken opnieuw.")
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_text("Het gesprek is vastgelegd.").wait_for()
    assert_accessible(page, "case page after conversation")

    # Step 3: conclusion, then AF moves the case to weighing.
    _conclude_doubt(page, "De zorg blijft na het gesprek.", "step 3")
    page.get_by_role("link", name="Naar wegen en beslissen (stap 4-5)").click()
    page.get_by_role("heading", name="Naar wegen en beslissen (stap 4-5)").wait_for()
    assert_accessible(page, "start weighing")
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_text("De casus is naar wegen en beslissen gebracht.").wait_for()
    assert_accessible(page, "case page in weighing")

    case.refresh_from_db()
    assert case.phase == Phase.WEGEN
    assert AuditEvent.objects.filter(case_id=case.pk, action="case.phase.changed").count() == 3
    assert page.get_by_role("link", name="Afwegingskader invullen (stap 4-5)").is_visible()
