"""Journey: a teacher reports direct danger; the AF and directie get the alert at once, and
the AF records the acute melding with the police called."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from cases.models import AcuteReport, Notification
from meldcode.models import Role
from tests.browser.conftest import assert_accessible, login, logout
from tests.factories import SchoolFactory, StudentFactory, ensure_signal_lists, member


def test_direct_danger_reaches_af_and_directie_and_the_af_records_police(page):
    ensure_signal_lists()
    school = SchoolFactory(name="De Regenboog")
    member(Role.LEERKRACHT, school, username="juf", first_name="Fatima", last_name="el Amrani")
    af = member(Role.AANDACHTSFUNCTIONARIS, school, username="af", first_name="Anneke",
                last_name="Bos")
    directie = member(Role.DIRECTIE, school, username="dir", first_name="Dirk",
                      last_name="Smit")
    StudentFactory(school=school, first_name="Noah", last_name="Jansen", group="groep 5")

    login(page, "juf")
    page.get_by_role("link", name="Ik maak me zorgen").click()
    page.get_by_label("Naam, groep of leerlingnummer").fill("noah")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("button", name="Zorg melden over Noah").click()
    page.get_by_role("heading", name="Observatie over Noah Jansen").wait_for()
    expect(page.get_by_text("Bel bij direct gevaar 112; daarna Veilig Thuis 0800-2000.")
           ).to_be_visible()
    page.locator("[name=direct_danger][value=ja]").check()
    page.get_by_label("Plaats").fill("Schoolplein")
    page.get_by_label("Situatie").fill("Noah wil niet naar huis: vader wacht bij het hek.")
    page.get_by_role("button", name="Concept opslaan").click()
    expect(page.locator(".alert, .messages").first).to_contain_text("Concept opgeslagen")
    assert_accessible(page, "observation form with direct danger")
    alerts = Notification.objects.filter(kind=Notification.Kind.DIRECT_DANGER)
    assert {n.recipient for n in alerts} == {af, directie}
    logout(page)

    login(page, "af")
    page.get_by_role("link", name="Berichten").click()
    expect(page.get_by_text("Direct gevaar gemeld")).to_be_visible()
    assert_accessible(page, "berichten")
    case = alerts.first().case
    page.goto(f"/casussen/{case.pk}/")
    expect(page.get_by_text("Bel bij direct gevaar 112; daarna Veilig Thuis 0800-2000.")
           ).to_be_visible()
    page.get_by_role("link", name="Acuut onveilig: telefonische melding vastleggen").click()
    assert_accessible(page, "acute report form")
    called = timezone.localtime() - timedelta(minutes=20)
    page.get_by_label("Datum en tijd van het telefoongesprek").fill(
        f"{called:%Y-%m-%dT%H:%M}")
    page.get_by_label("Wie belde").select_option(label=str(af))
    page.get_by_label("Contactpersoon bij Veilig Thuis").fill("mevrouw De Wit")
    page.get_by_label("Waarom direct gevaar").fill("Vader dreigt het kind mee te nemen.")
    page.get_by_label("Politie (112) gebeld").check()
    page.get_by_label("Datum en tijd van het gesprek met de politie").fill(
        f"{called - timedelta(minutes=5):%Y-%m-%dT%H:%M}")
    page.get_by_label("Kenmerk of registratienummer van de politie").fill("PL-2026-77")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("De acute melding is vastgelegd")).to_be_visible()
    assert_accessible(page, "case after acute report")
    report = AcuteReport.objects.get(case=case)
    assert report.police_called and report.police_reference == "PL-2026-77"
