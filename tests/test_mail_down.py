"""When the mail server is down (docs/operations.md): the action stands, the failure is
logged without addresses, and the user does not get an error page."""

import smtplib
from unittest import mock

from django.urls import reverse

from meldcode.logging import TextFormatter
from meldcode.models import User
from tests.factories import invited_account

REFUSED = smtplib.SMTPRecipientsRefused({"sanne@school.example": (550, b"no")})


def test_an_invitation_that_cannot_be_sent_is_logged_and_the_account_stands(
        personas, caplog, django_capture_on_commit_callbacks):
    with (mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=REFUSED),
          django_capture_on_commit_callbacks(execute=True)):
        user = invited_account(personas.beheerder, personas.school)
    assert User.objects.filter(pk=user.pk, is_active=True).exists()
    assert f"Failed to send password reset email to {user.pk}" in caplog.text
    # The SMTP error names the refused address; the site's log format masks it.
    [record] = [r for r in caplog.records if r.exc_info]
    line = TextFormatter().format(record)
    assert "SMTPRecipientsRefused" in line and "sanne@school.example" not in line


def test_a_password_link_that_cannot_be_sent_shows_the_usual_page(client, personas, caplog):
    personas.teacher_on_case.email = "juf@school.example"
    personas.teacher_on_case.save(update_fields=["email"])
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=REFUSED):
        response = client.post(reverse("password_reset"), {"email": "juf@school.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert "Failed to send password reset email" in caplog.text
