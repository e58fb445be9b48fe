"""Journey: the AF weighs a case to "melding, norm A", drafts the melding from the
chronology and records the conversation with the parents; directie (another person)
approves (password and code again first); the AF records it as sent with a reference;
directie downloads the letter to the parents (confirmed the same way). Every page
axe-clean."""

from datetime import date

from django.utils import timezone

from cases.models import Carer, Phase
from decisions.models import Report
from meldcode.models import Role
from tests.browser.conftest import assert_accessible, confirm_identity, login, logout
from tests.factories import (
    CaseFactory,
    SchoolFactory,
    StudentFactory,
    ensure_framework,
    member,
    submitted_observation,
    teach,
    walk_to,
)


def test_af_and_directie_take_a_case_to_a_sent_melding(page):
    ensure_framework()
    school = SchoolFactory(name="De Regenboog", letterhead_name="Stichting De Regenboog",
                           address="Schoolstraat 1\n1234 AB Amsterdam")
    teacher = member(Role.LEERKRACHT, school, username="juf")
    af = member(Role.AANDACHTSFUNCTIONARIS, school, username="af", first_name="Anneke",
                last_name="Bakker")
    member(Role.DIRECTIE, school, username="directie", first_name="Dirk", last_name="Vos")
    student = StudentFactory(school=school, first_name="Noah", last_name="Jansen",
                             date_of_birth=date(2016, 5, 17))
    teach(student, teacher)
    case = CaseFactory(student=student, opened_by=teacher)
    submitted_observation(case, author=teacher, statements=[("feit", "Blauwe plekken op de "
                                                             "bovenarmen")])
    walk_to(case, Phase.WEGEN, actor=af)
    # The parent with gezag, to whom the letter about the melding goes.
    Carer.objects.create(student=student, name="Mira Jansen", relation="ouder", gezag="ja")

    # The AF answers afweging 1.
    login(page, "af")
    page.goto(f"/casussen/{case.pk}/")
    page.get_by_role("link", name="Afwegingskader invullen (stap 4-5)").click()
    page.get_by_role("heading", name="1. VERMOEDEN WEGEN").wait_for()
    assert_accessible(page, "weighing, question 1")
    page.get_by_label("B: ik heb een sterk vermoeden", exact=False).check()
    page.get_by_label("Argumentatie").fill("Herhaald letsel; de zorg blijft na het gesprek.")
    page.get_by_label("Bevoegd gezag op de hoogte sinds").fill(timezone.localdate().isoformat())
    page.get_by_label("Door wie ingelicht").fill("Dirk Vos (directie)")
    page.get_by_role("button", name="Antwoord vastleggen").click()
    page.get_by_text("Het antwoord is vastgelegd.").wait_for()
    assert_accessible(page, "weighing after question 1")
    logout(page)

    # Directie confirms the step-4 conclusion after consulting the AF.
    login(page, "directie")
    page.goto(f"/casus/{case.pk}/afwegingskader/")
    page.get_by_role("heading", name="Directie: conclusie van stap 4 bevestigen").wait_for()
    page.get_by_label("Na overleg met", exact=False).select_option(label="Anneke Bakker")
    page.get_by_label("Toelichting").fill("Sterk vermoeden, besproken met de AF.")
    page.get_by_role("button", name="Conclusie bevestigen").click()
    page.get_by_text("De conclusie van stap 4 is bevestigd.").wait_for()
    logout(page)

    # The AF answers afweging 2 with "ja of twijfel": a melding with norm A.
    login(page, "af")
    page.goto(f"/casus/{case.pk}/afwegingskader/")
    page.get_by_role("heading", name="2. VEILIGHEID").wait_for()
    page.get_by_text("Acute onveiligheid").first.wait_for()
    assert_accessible(page, "weighing, question 2 with the definitions")
    page.get_by_label("B: JA of twijfel", exact=False).check()
    page.get_by_label("Argumentatie").fill("Structurele onveiligheid: letsel keert terug.")
    page.get_by_role("button", name="Antwoord vastleggen").click()
    page.get_by_text("Het antwoord is vastgelegd.").wait_for()
    logout(page)

    login(page, "directie")
    page.goto(f"/casus/{case.pk}/afwegingskader/")
    page.get_by_role("heading", name="Besluit: melden bij Veilig Thuis").wait_for()
    assert_accessible(page, "directie's decision")
    page.get_by_label("Na overleg met", exact=False).select_option(label="Anneke Bakker")
    page.get_by_label("Toelichting").fill("Direct melden, samen met de AF besloten.")
    page.get_by_role("button", name="Besluit: melden bij Veilig Thuis").click()
    page.get_by_text("Het besluit is vastgelegd.").wait_for()
    case.refresh_from_db()
    assert case.phase == Phase.MELDING
    assert_accessible(page, "case page with the decision path")
    logout(page)

    # The AF drafts the melding from the chronology and records the parents' conversation.
    login(page, "af")
    page.goto(f"/casussen/{case.pk}/")
    page.get_by_role("link", name="Melding (meldnorm A)", exact=False).click()
    page.get_by_role("heading", name="Melding bij Veilig Thuis (meldnorm A)").wait_for()
    assert_accessible(page, "melding draft")
    page.get_by_label("Observatie uit de chronologie").select_option(index=1)
    page.get_by_role("button", name="Overnemen uit de chronologie").click()
    page.get_by_text("De observatie is overgenomen in de melding.").wait_for()
    assert page.get_by_text("Blauwe plekken op de bovenarmen").first.is_visible()
    page.get_by_label("Datum van het gesprek").fill(timezone.localdate().isoformat())
    page.get_by_label("Gevoerd door").fill("Anneke Bakker en Dirk Vos")
    page.get_by_label("1. Uitgelegd waarom u meldt en met welk doel").fill(
        "Wij melden omdat de veiligheid van Noah voorop staat.")
    page.get_by_label("2. Hun reactie").fill("Moeder is geschrokken maar begrijpt het.")
    page.get_by_label("5. Conclusie").fill("De bescherming van Noah geeft de doorslag.")
    page.get_by_role("button", name="Gesprek vastleggen").click()
    page.get_by_text("Het gesprek over de melding is vastgelegd.").wait_for()
    page.get_by_role("button", name="Ter goedkeuring aanbieden aan de directie").click()
    page.get_by_text("De melding ligt ter goedkeuring bij de directie.").wait_for()
    assert_accessible(page, "melding submitted")
    logout(page)

    # Directie (another person) approves from the dashboard.
    login(page, "directie")
    page.get_by_role("heading", name="Meldingen die wachten op uw goedkeuring").wait_for()
    assert_accessible(page, "directie's dashboard")
    page.get_by_role("link", name="melding (meldnorm A)", exact=False).click()
    page.get_by_label("Ik heb de melding gelezen en keur haar goed", exact=False).check()
    page.get_by_role("button", name="Melding goedkeuren").click()
    # Approving is a deliberate step: password and code again, then approve once more.
    confirm_identity(page, "directie")
    page.get_by_label("Ik heb de melding gelezen en keur haar goed", exact=False).check()
    page.get_by_role("button", name="Melding goedkeuren").click()
    page.get_by_text("De melding is goedgekeurd.").wait_for()
    assert_accessible(page, "melding approved")
    logout(page)

    # The AF records it as sent, with Veilig Thuis' reference.
    login(page, "af")
    report = Report.objects.get(case=case)
    page.goto(f"/melding/{report.pk}/")
    page.get_by_label("Datum en tijd van de melding").fill(
        timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("online meldformulier").check()
    page.get_by_label("Contactpersoon bij Veilig Thuis").fill("Mevr. de Wit")
    page.get_by_label("Kenmerk van Veilig Thuis").fill("VT-2026-0042")
    page.get_by_role("button", name="Melding gedaan: vastleggen").click()
    page.get_by_text("Vastgelegd: de melding is gedaan.").wait_for()
    assert_accessible(page, "melding sent")
    logout(page)

    # Directie downloads the letter to the parents.
    login(page, "directie")
    page.goto(f"/melding/{report.pk}/")
    page.get_by_role("link", name="Brief aan de ouders (PDF)").click()
    # A document of the dossier: password and code first, then the download follows.
    with page.expect_download() as download:
        confirm_identity(page, "directie")
    assert download.value.suggested_filename.startswith("brief-ouders-")
    report.refresh_from_db()
    assert report.state == Report.State.SENT
    assert report.sending.vt_reference == "VT-2026-0042"
    assert (report.drafted_by.username, report.approved_by.username) == ("af", "directie")
