"""The attack: a beheerder creates an account with an e-mail address of their own, gives
it the AF role, sets its password through the invitation and logs in. The role must open
no dossier until the school's directie has confirmed it."""

import re

from django.urls import reverse

from cases import permissions as dossier_policy
from cases.models import Notification
from meldcode.models import Membership, Role
from tests.two_factor import login_with_code

ATTACKER_PASSWORD = "Eigen-Geheim-Wachtwoord-9"


def _link(mail):
    match = re.search(r"https?://[^/\s]+(/wachtwoord/instellen/[^\s]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_beheerder_with_a_second_account_sees_no_case_until_the_directie_confirms(
        personas, client, mailoutbox, django_capture_on_commit_callbacks):
    beheerder = client
    beheerder.force_login(personas.beheerder)
    beheerder.confirm_recent_auth()  # creating an account with roles asks for it
    with django_capture_on_commit_callbacks(execute=True):
        response = beheerder.post(reverse("beheer_user_create"), {
            "first_name": "Bram", "last_name": "Tweede", "username": "bram.af",
            "email": "bram.prive@example.org",
            "rollen-TOTAL_FORMS": "1", "rollen-INITIAL_FORMS": "0",
            "rollen-MIN_NUM_FORMS": "1", "rollen-MAX_NUM_FORMS": "10",
            "rollen-0-role": Role.AANDACHTSFUNCTIONARIS,
            "rollen-0-place": f"school:{personas.school.pk}",
        })
    assert response.status_code == 302
    (invitation,) = [m for m in mailoutbox if m.to == ["bram.prive@example.org"]]
    beheerder.logout()

    # The beheerder follows the invitation to their own address and logs in as the AF.
    attacker = client
    step = attacker.get(_link(invitation))
    attacker.post(step["Location"], {"new_password1": ATTACKER_PASSWORD,
                                     "new_password2": ATTACKER_PASSWORD})
    # Both login steps: the password, then a code from an app the attacker set up.
    response = login_with_code(attacker, "bram.af", ATTACKER_PASSWORD)
    assert response.status_code == 302
    case_url = reverse("case_detail", args=[personas.case.pk])
    assert attacker.get(case_url).status_code == 404
    assert attacker.get(reverse("case_list")).status_code == 403
    assert attacker.get(reverse("student_search"), {"q": "Noah"}).status_code == 403
    dashboard = attacker.get(reverse("dashboard")).content.decode()
    assert "wacht op bevestiging door de directie" in dashboard
    bram = Membership.objects.get(user__username="bram.af")
    assert not dossier_policy.visible_cases(bram.user).exists()

    # The directie is told (without names in the mail) and sees who asks, with the address.
    (notice,) = Notification.objects.filter(recipient=personas.directie,
                                            kind=Notification.Kind.ROLE_CONFIRMATION)
    assert notice.actor == personas.beheerder
    (mail,) = [m for m in mailoutbox if m.to == [personas.directie.email]]
    for data in ("Bram", "Tweede", "bram", personas.school.name, "aandachtsfunctionaris"):
        assert data.lower() not in (mail.subject + mail.body).lower(), data
    attacker.logout()
    directie = client
    directie.force_login(personas.directie)
    todo = directie.get(reverse("role_confirmation_list")).content.decode()
    assert "Bram Tweede" in todo and "bram.prive@example.org" in todo
    assert "1 rol wacht op uw bevestiging" in directie.get(reverse("dashboard")).content.decode()

    # Only after the directie confirms does the role open the school's cases.
    directie.post(reverse("role_confirm", args=[bram.pk]))
    directie.logout()
    login_with_code(attacker, "bram.af", ATTACKER_PASSWORD)
    assert attacker.get(case_url).status_code == 200
