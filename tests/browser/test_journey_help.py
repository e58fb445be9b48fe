"""Journey: a case through the help route to closing after monitoring. The AF weighs it to
"hulp in gang zetten" and directie decides so after consulting her; the AF records the help
plan with its termijn; at the termijn the results are reached, the help is closed with
monitoring agreements and a nazorgtraject; an interim evaluation does not end the follow
period; after six months of monitoring the evaluation at its end, and the case is closed.
Time moves the way the service tests move it (a patched `timezone.now`, here running on
from the moved moment). Every page axe-clean."""

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from cases.models import Phase
from cases.services import classification
from decisions.models import HelpPlan
from meldcode.models import Role
from meldcode.workdays import add_months, day_label
from tests.browser.conftest import assert_accessible, login, logout
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

TERMIJN_DAYS = 42


def _answer(page, option, argumentation, label):
    page.get_by_label(option, exact=False).check()
    page.get_by_label("Argumentatie").fill(argumentation)
    page.get_by_role("button", name="Antwoord vastleggen").click()
    page.get_by_text("Het antwoord is vastgelegd.").wait_for()
    assert_accessible(page, f"weighing after {label}")


def _workflow_page(page, case, link, heading=None):
    page.goto(f"/casussen/{case.pk}/")
    page.get_by_role("link", name=link).click()
    page.get_by_role("heading", name=heading or link).wait_for()
    assert_accessible(page, link)


def _evaluate(page, case, outcome):
    _workflow_page(page, case, "Evaluatie vastleggen")
    page.get_by_label("Datum", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_label("Met wie").fill("AF, OKA, leerkracht en moeder")
    page.get_by_label("Uitkomst").fill(outcome)
    page.get_by_label("Afspraken over het volgen van de leerling").fill(
        "De leerkracht let nog vier maanden op.")
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_text("De evaluatie is vastgelegd.").wait_for()


def test_a_case_goes_through_help_and_monitoring_to_closing(page):
    ensure_framework()
    school = SchoolFactory(name="De Regenboog")
    teacher = member(Role.LEERKRACHT, school, username="juf")
    af = member(Role.AANDACHTSFUNCTIONARIS, school, username="af", first_name="Anneke",
                last_name="Bakker")
    member(Role.OKA, school, username="oka", first_name="Sanne", last_name="Smit")
    member(Role.DIRECTIE, school, username="directie", first_name="Dirk", last_name="Vos")
    student = StudentFactory(school=school, first_name="Noah", last_name="Jansen")
    teach(student, teacher)
    case = CaseFactory(student=student, opened_by=teacher)
    submitted_observation(case, author=teacher, statements=[("feit", "Komt vaak zonder "
                                                             "ontbijt en jas")])
    walk_to(case, Phase.WEGEN, actor=af)
    classification.classification_record(actor=af, case=case,
                                         abuse_forms=["emotionele_verwaarlozing"],
                                         specific_forms=[])

    offset = [timedelta(0)]
    real_now = timezone.now

    def move_on(days):
        offset[0] += timedelta(days=days)

    with mock.patch("django.utils.timezone.now", side_effect=lambda: real_now() + offset[0]):
        # Step 4: the AF answers afweging 1; directie confirms the strong suspicion.
        login(page, "af")
        page.goto(f"/casussen/{case.pk}/")
        assert page.get_by_text("Emotionele/psychische verwaarlozing").first.is_visible()
        assert_accessible(page, "case page with its classification")
        page.get_by_role("link", name="Afwegingskader invullen (stap 4-5)").click()
        page.get_by_role("heading", name="1. VERMOEDEN WEGEN").wait_for()
        assert_accessible(page, "weighing, question 1")
        page.get_by_label("Bevoegd gezag op de hoogte sinds").fill(
            timezone.localdate().isoformat())
        page.get_by_label("Door wie ingelicht").fill("Dirk Vos (directie)")
        _answer(page, "B: ik heb een sterk vermoeden", "Verwaarlozing houdt aan na het "
                "gesprek met de ouders.", "question 1")
        logout(page)

        login(page, "directie")
        page.goto(f"/casus/{case.pk}/afwegingskader/")
        page.get_by_role("heading", name="Directie: conclusie van stap 4 bevestigen").wait_for()
        page.get_by_label("Na overleg met", exact=False).select_option(label="Anneke Bakker")
        page.get_by_label("Toelichting").fill("Sterk vermoeden, besproken met de AF.")
        page.get_by_role("button", name="Conclusie bevestigen").click()
        page.get_by_text("De conclusie van stap 4 is bevestigd.").wait_for()
        logout(page)

        # Afwegingen 2-4: no acute or structural unsafety, help is possible and accepted.
        login(page, "af")
        page.goto(f"/casus/{case.pk}/afwegingskader/")
        page.get_by_role("heading", name="2. VEILIGHEID").wait_for()
        _answer(page, "A: NEE → ga verder naar afweging 3", "Geen acute of structurele "
                "onveiligheid; wel zorgen over de basiszorg.", "question 2")
        page.get_by_role("heading", name="3. HULP").wait_for()
        _answer(page, "B: JA → ga verder naar afweging 4", "Het wijkteam kan het gezin "
                "ondersteunen.", "question 3")
        page.get_by_role("heading", name="4. HULP").wait_for()
        _answer(page, "B: JA → hulp in gang zetten", "Moeder wil de hulp en werkt mee.",
                "question 4")
        logout(page)

        # Step 5: directie decides, after consulting the AF, to start the help.
        login(page, "directie")
        page.goto(f"/casus/{case.pk}/afwegingskader/")
        page.get_by_role("heading", name="Besluit: hulp in gang zetten").wait_for()
        assert_accessible(page, "directie's decision on help")
        page.get_by_label("Na overleg met", exact=False).select_option(label="Anneke Bakker")
        page.get_by_label("Toelichting").fill("Hulp in gang zetten, samen met de AF besloten.")
        page.get_by_role("button", name="Besluit: hulp in gang zetten").click()
        page.get_by_text("Het besluit is vastgelegd.").wait_for()
        case.refresh_from_db()
        assert case.phase == Phase.HULP
        assert_accessible(page, "case page in help")
        logout(page)

        # The AF records the help plan with its termijn and who does what.
        login(page, "af")
        _workflow_page(page, case, "Hulpplan vastleggen")
        page.get_by_label("Welke hulp").fill("Gezinscoaching door het wijkteam.")
        page.get_by_label("Door wie").fill("Wijkteam Noord, mevrouw El Amrani")
        page.get_by_label("Casemanager").select_option(label="Anneke Bakker")
        termijn = timezone.localdate() + timedelta(days=TERMIJN_DAYS)
        page.get_by_label("Termijn waarop effect", exact=False).fill(termijn.isoformat())
        page.get_by_label("Afgesproken resultaten", exact=False).fill(
            "Noah komt elke dag met ontbijt en passende kleding.")
        page.get_by_label("Wie doet wat").fill(
            "OKA: elke twee weken een gesprek met moeder\n"
            "Leerkracht: dagelijks noteren of Noah ontbeten heeft")
        page.get_by_label("De betrokkenen aanvaarden de hulp en werken mee").check()
        page.get_by_label("Hoe de ouders zijn geïnformeerd", exact=False).fill(
            "Directie en AF bespraken het plan met moeder; zij stemde in.")
        page.get_by_role("button", name="Vastleggen").click()
        page.get_by_text("Het hulpplan is vastgelegd.").wait_for()
        assert_accessible(page, "case page with the help plan")
        # Before the termijn "results reached" is refused.
        _workflow_page(page, case, "Resultaat van de hulp beoordelen (afweging 5)")
        page.get_by_label("B: JA, hulp afsluiten", exact=False).check()
        page.get_by_label("Argumentatie").fill("Het gaat goed.")
        page.get_by_label("Afspraken over het monitoren").fill("Leerkracht let op.")
        page.get_by_label("Nazorgtraject", exact=False).fill("Na drie maanden gesprek.")
        page.get_by_role("button", name="Vastleggen").click()
        page.get_by_text("Het resultaat beoordeelt u op of na de termijn",
                         exact=False).wait_for()
        assert_accessible(page, "help result refused before the termijn")
        logout(page)

        # At the termijn: the results are reached; the help closes → monitoren.
        move_on(TERMIJN_DAYS)
        login(page, "af")
        _workflow_page(page, case, "Resultaat van de hulp beoordelen (afweging 5)")
        page.get_by_label("B: JA, hulp afsluiten", exact=False).check()
        page.get_by_label("Argumentatie").fill(
            "Noah komt elke dag met ontbijt; moeder houdt de afspraken met het wijkteam.")
        page.get_by_label("Afspraken over het monitoren").fill(
            "De leerkracht let dagelijks op ontbijt en kleding; de OKA spreekt moeder elke "
            "maand.")
        page.get_by_label("Nazorgtraject", exact=False).fill(
            "Wijkteam blijft drie maanden betrokken; evaluatie met moeder na zes maanden.")
        page.get_by_label("Nagevraagd of de ouders contact", exact=False).fill(
            "Moeder heeft elke twee weken contact met het wijkteam.")
        page.get_by_role("button", name="Vastleggen").click()
        page.get_by_text("Het resultaat van de hulp is vastgelegd.").wait_for()
        _workflow_page(page, case, "Hulp afsluiten: naar monitoren")
        page.get_by_label("Toelichting bij het afsluiten van de hulp").fill(
            "Resultaten bereikt; de leerling wordt een half jaar gevolgd.")
        page.get_by_role("button", name="Vastleggen").click()
        page.get_by_text("De hulp is afgesloten; de leerling wordt gevolgd.").wait_for()
        case.refresh_from_db()
        assert case.phase == Phase.MONITOREN
        plan = HelpPlan.objects.get(case=case)
        assert plan.result.reached and plan.result.nazorg.startswith("Wijkteam")
        assert_accessible(page, "case page in monitoring")
        logout(page)

        # A month on, an interim evaluation; closing still waits for the follow period,
        # counted from the start of monitoring, and the case page says until when.
        until = add_months(timezone.localdate(), 6)
        move_on(30)
        login(page, "af")
        _evaluate(page, case, "Tussentijds: het gaat goed, de afspraken lopen.")
        page.goto(f"/casussen/{case.pk}/")
        page.get_by_text(f"sluiten kan vanaf {day_label(until)}", exact=False).wait_for()
        logout(page)

        # Six months later: the evaluation at the end of the follow period, then closing.
        move_on((until - timezone.localdate()).days)
        login(page, "af")
        _evaluate(page, case, "Het gaat goed met Noah; de zorg is weg.")
        _workflow_page(page, case, "Casus sluiten")
        page.get_by_label("Onderbouwing van het besluit").fill(
            "Zes maanden gevolgd en geëvalueerd; geen zorgen meer.")
        page.get_by_role("button", name="Vastleggen").click()
        page.get_by_text("De casus is gesloten.").wait_for()
        assert_accessible(page, "closed case")
        case.refresh_from_db()
        assert case.phase == Phase.GESLOTEN
