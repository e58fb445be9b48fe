"""Journey: the functioneel beheerder adds a teacher to a school and finds them in the list;
the teacher sets their own password through the e-mailed link, logs in for the first time
and sets up the authenticator app on the way."""

import re

from django.core import mail

from cases.models import Case
from meldcode.models import Membership, Role, User
from meldcode.services import beheer as services
from tests.browser.conftest import (
    assert_accessible,
    confirm_identity,
    first_login_with_enrolment,
    login,
    logout,
)
from tests.factories import SchoolFactory, member


def test_beheerder_creates_teacher(page):
    school = SchoolFactory(name="De Regenboog")
    SchoolFactory(name="Het Kompas", board=school.board)
    member(Role.BEHEERDER, board=school.board, username="beheer", first_name="Bram")
    member(Role.AANDACHTSFUNCTIONARIS, school, username="af", first_name="Anneke",
           last_name="Visser")

    login(page, "beheer")
    page.get_by_role("link", name="Beheer", exact=True).click()
    page.get_by_role("heading", name="Beheer").wait_for()
    assert_accessible(page, "beheer index")
    page.get_by_role("navigation", name="Beheer").get_by_role("link", name="Gebruikers").click()
    page.get_by_role("heading", name="Gebruikers").wait_for()
    assert_accessible(page, "user list")
    page.get_by_role("link", name="Nieuwe gebruiker").click()
    confirm_identity(page, "beheer")  # a new account gets roles: password and code again
    page.get_by_role("heading", name="Nieuwe gebruiker").wait_for()
    assert_accessible(page, "user create")

    page.get_by_label("Voornaam").fill("Fatima")
    page.get_by_label("Achternaam").fill("el Amrani")
    page.get_by_label("Gebruikersnaam").fill("f.elamrani")
    page.get_by_label("E-mailadres").fill("f.elamrani@regenboog.example")
    first_role = page.get_by_role("group", name="Rol 1")
    first_role.get_by_label("Rol", exact=True).select_option(label="Leerkracht")
    first_role.get_by_label("School of bestuur").select_option(label="De Regenboog")
    page.get_by_role("button", name="Gebruiker aanmaken").click()

    page.get_by_role("heading", name="Fatima el Amrani").wait_for()
    assert page.get_by_text("krijgt een e-mail om zelf een wachtwoord in te stellen").is_visible()
    assert_accessible(page, "user edit")
    user = User.objects.get(username="f.elamrani")
    assert not user.has_usable_password()
    assert list(Membership.objects.filter(user=user).values_list("role", "school__name")) == [
        (Role.LEERKRACHT, "De Regenboog")]
    assert [m.to for m in mail.outbox] == [["f.elamrani@regenboog.example"]]

    page.get_by_role("navigation", name="Beheer").get_by_role("link", name="Gebruikers").click()
    page.get_by_label("School").select_option(label="De Regenboog")
    page.get_by_label("Rol").select_option(label="Leerkracht")
    page.get_by_role("button", name="Zoeken").click()
    row = page.get_by_role("row").filter(has_text="f.elamrani")
    assert row.get_by_role("link", name="Fatima el Amrani").is_visible()
    assert "Leerkracht – De Regenboog" in row.inner_text()
    assert page.get_by_role("row").filter(has_text="Anneke").count() == 0
    assert_accessible(page, "filtered user list")

    page.get_by_role("navigation", name="Beheer").get_by_role("link", name="Scholen").click()
    page.get_by_role("link", name="De Regenboog").click()
    page.get_by_role("group", name="Sociale kaart").wait_for()
    assert_accessible(page, "school edit")

    logout(page)

    # The teacher follows the link from the e-mail (its path: SITE_URL is not the test server).
    path = re.search(r"https?://[^/\s]+(/wachtwoord/instellen/\S+/)", mail.outbox[0].body)[1]
    page.goto(path)
    page.get_by_role("heading", name="Wachtwoord instellen").wait_for()
    assert page.get_by_text("f.elamrani").is_visible()
    assert_accessible(page, "set password")
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("Zonnebloem-2026!")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("Zonnebloem-2026!")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    page.get_by_role("heading", name="Wachtwoord ingesteld").wait_for()
    assert_accessible(page, "password set")
    first_login_with_enrolment(page, "f.elamrani", "Zonnebloem-2026!")
    assert page.get_by_text("Fatima el Amrani").first.is_visible()


def test_wachtwoord_vergeten_pages(page):
    page.goto("/inloggen/")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.get_by_role("heading", name="Wachtwoord vergeten").wait_for()
    assert_accessible(page, "password reset form")
    page.get_by_label("E-mailadres").fill("onbekend@school.example")
    page.get_by_role("button", name="Stuur mij een link").click()
    page.get_by_role("heading", name="Kijk in uw e-mail").wait_for()
    assert_accessible(page, "password reset sent")
    assert mail.outbox == []


def test_directie_confirms_a_role_the_beheerder_gave(page):
    """The new AF sees nothing until the directie confirms the role on its to-do page."""
    from tests.factories import CaseFactory, StudentFactory

    school = SchoolFactory(name="De Regenboog")
    beheerder = member(Role.BEHEERDER, board=school.board, username="beheer")
    member(Role.DIRECTIE, school, username="directie", first_name="Hans", last_name="Visser")
    case = CaseFactory(student=StudentFactory(school=school, first_name="Noah"))
    newcomer = services.user_create(
        actor=beheerder, username="a.nieuw", first_name="Anneke", last_name="Nieuw",
        email="a.nieuw@regenboog.example",
        roles=[services.RoleAssignment.at(Role.AANDACHTSFUNCTIONARIS, school)])
    newcomer.set_password("Zonnebloem-2026!")
    newcomer.save()

    login(page, "a.nieuw", "Zonnebloem-2026!")
    assert page.get_by_text("wacht op bevestiging door de directie").is_visible()
    assert_accessible(page, "dashboard with a waiting role")
    response = page.goto(f"/casussen/{case.pk}/")
    assert response.status == 404
    page.goto("/")
    logout(page)

    login(page, "directie")
    page.get_by_role("heading", name="1 rol wacht op uw bevestiging").wait_for()
    page.get_by_role("link", name="Rollen bevestigen").click()
    page.get_by_role("heading", name="Rollen bevestigen").wait_for()
    row = page.get_by_role("row").filter(has_text="Anneke Nieuw")
    assert "a.nieuw@regenboog.example" in row.inner_text()
    assert_accessible(page, "role confirmation list")
    row.get_by_role("button", name="Bevestigen").click()
    page.get_by_text("is bevestigd en geldt nu").wait_for()
    assert page.get_by_text("Er wachten geen rollen op uw bevestiging.").is_visible()
    assert_accessible(page, "role confirmed")
    page.goto(f"/casussen/{case.pk}/")
    page.get_by_text("Aandachtsfunctionaris: bevestigd door Hans Visser").wait_for()
    assert_accessible(page, "case page with role confirmations")
    logout(page)

    login(page, "a.nieuw", "Zonnebloem-2026!")
    page.goto(f"/casussen/{case.pk}/")
    page.get_by_role("heading", name=case.student.full_name).wait_for()
    assert Case.objects.filter(pk=case.pk).exists()
