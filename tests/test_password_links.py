"""Setting a password by e-mailed link: "wachtwoord vergeten" and the invitation."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases.errors import DomainError
from meldcode.services import beheer as services
from tests.factories import invited_account


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def _link(mail):
    match = re.search(r"https?://[^/\s]+(/wachtwoord/instellen/[^\s]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_password_reset_mail_holds_the_link_and_no_other_user_data(personas, client,
                                                                   mailoutbox, settings):
    settings.SITE_URL = "https://meldcode.example.nl"
    teacher = personas.teacher_on_case
    teacher.first_name, teacher.last_name = "Fatima", "el Amrani"
    teacher.save()
    response = client.post(reverse("password_reset"), {"email": teacher.email.upper()},
                           HTTP_HOST="127.0.0.1")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    (mail,) = mailoutbox
    assert mail.to == [teacher.email]
    assert "https://meldcode.example.nl/wachtwoord/instellen/" in mail.body
    for data in (teacher.username, teacher.first_name, teacher.last_name, teacher.email,
                 personas.school.name, "Noah", "Jansen"):
        assert data not in mail.body and data not in mail.subject, data
    assert "wachtwoord" in mail.subject.lower()


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client,
                                                                             mailoutbox, db):
    response = client.post(reverse("password_reset"), {"email": "onbekend@example.org"},
                           follow=True)
    assert mailoutbox == [] and "Kijk in uw e-mail" in response.content.decode()


def test_invited_user_sets_password_via_link_and_logs_in(personas, client, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = invited_account(personas.beheerder, personas.school)
    (mail,) = [m for m in mailoutbox if m.to == ["sanne@school.example"]]
    for data in ("sanne", "Sanne", "Bakker", "sanne@school.example", personas.school.name):
        assert data not in mail.body, data
    response = client.get(_link(mail))
    assert response.status_code == 302  # the token moves into the session
    page = client.get(response["Location"])
    assert "sanne.bakker" in page.content.decode()  # the username, shown behind the token
    response = client.post(response["Location"], {"new_password1": "Zonnebloem-2026!",
                                                  "new_password2": "Zonnebloem-2026!"})
    assert response["Location"] == reverse("password_reset_complete")
    assert client.login(username="sanne.bakker", password="Zonnebloem-2026!")
    (event,) = _events("auth.password_set")
    assert event.actor_id == user.pk
    # The link works once.
    assert "werkt niet" in client.get(_link(mail), follow=True).content.decode()


def test_invited_user_without_password_can_use_wachtwoord_vergeten(personas, client,
                                                                   mailoutbox):
    invited_account(personas.beheerder, personas.school)
    mailoutbox.clear()
    client.post(reverse("password_reset"), {"email": "sanne@school.example"})
    assert len(mailoutbox) == 1


def test_deactivated_user_gets_no_reset_mail_and_no_invitation(personas, client, mailoutbox):
    teacher = personas.teacher_on_case
    services.user_deactivate(actor=personas.beheerder, user=teacher)
    client.post(reverse("password_reset"), {"email": teacher.email})
    assert mailoutbox == []
    with pytest.raises(DomainError, match="gedeactiveerd"):
        services.user_invite(actor=personas.beheerder, user=teacher)


def test_resend_invitation_view(personas, client, mailoutbox,
                                django_capture_on_commit_callbacks):
    personas.oka.set_unusable_password()  # invited, never logged in
    personas.oka.save(update_fields=["password"])
    client.force_login(personas.beheerder)
    with_mail = reverse("beheer_user_invite", args=[personas.oka.uuid])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(with_mail, follow=True)
    assert "verstuurd" in response.content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [personas.oka.email]
    assert client.get(with_mail).status_code == 405


def test_login_page_offers_wachtwoord_vergeten(client, db):
    body = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in body and "Wachtwoord vergeten?" in body
