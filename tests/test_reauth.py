"""Password and code again before exports, PDFs and role changes; valid five minutes."""

import time
from unittest import mock

from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditEvent
from meldcode.models import Membership, Role
from meldcode.reauth import require_recent_auth
from tests.factories import PASSWORD
from tests.two_factor import app_device, code_for


def _print_url(p):
    return reverse("case_chronology_print", kwargs={"case_id": p.case.pk})


def _confirm(client, user, password=PASSWORD, code=None, next_url="/"):
    return client.post(reverse("reauth"), {
        "password": password, "code": code or code_for(app_device(user)), "next": next_url})


def test_the_print_asks_for_password_and_code_and_comes_back(personas, client):
    client.force_login(personas.af)
    response = client.get(_print_url(personas))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reauth"))
    assert not AuditEvent.objects.filter(action="case.chronology.printed").exists()
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Bevestig dat u het bent" in page.content.decode()
    back = _confirm(client, personas.af, next_url=_print_url(personas))
    assert back["Location"] == _print_url(personas)
    assert client.get(_print_url(personas)).status_code == 200
    assert AuditEvent.objects.filter(action="auth.reauthenticated", actor=personas.af).exists()


def test_the_confirmation_lasts_five_minutes(personas, client):
    client.force_login(personas.af)
    _confirm(client, personas.af)
    assert client.get(_print_url(personas)).status_code == 200
    with mock.patch("time.time", return_value=time.time() + 5 * 60 + 1):
        response = client.get(_print_url(personas))
    assert response["Location"].startswith(reverse("reauth"))


def test_a_wrong_password_or_code_confirms_nothing_and_counts(personas, client):
    client.force_login(personas.af)
    wrong_password = _confirm(client, personas.af, password="verkeerd")
    assert "Uw wachtwoord of de code klopt niet." in wrong_password.content.decode()
    wrong_code = _confirm(client, personas.af, code="000000")
    assert "Uw wachtwoord of de code klopt niet." in wrong_code.content.decode()
    assert client.get(_print_url(personas)).status_code == 302
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 2


def test_outsiders_still_get_404_not_a_confirmation_page(personas, client):
    client.force_login(personas.teacher_other_school)
    assert client.get(_print_url(personas)).status_code == 404


def test_role_changes_need_a_fresh_confirmation(personas, client):
    client.force_login(personas.beheerder)
    url = reverse("beheer_membership_add", args=[personas.teacher_not_on_case.uuid])
    data = {"role": Role.OKA, "place": f"school:{personas.school.pk}"}
    refused = client.post(url, data)
    assert refused["Location"].startswith(reverse("reauth"))
    assert "gebruikers" in refused["Location"]  # back to the person's page after
    assert not Membership.objects.filter(user=personas.teacher_not_on_case,
                                         role=Role.OKA).exists()
    client.confirm_recent_auth()
    assert client.post(url, data).status_code == 302
    assert Membership.objects.filter(user=personas.teacher_not_on_case,
                                     role=Role.OKA).exists()


def test_the_decorator_guards_a_view(personas):
    @require_recent_auth
    def export(request):
        return HttpResponse("export")

    request = RequestFactory().get("/export/")
    request.user = personas.af
    request.session = {}
    assert export(request).status_code == 302
    request.session = {"meldcode_reauth_at": int(time.time())}
    assert export(request).content == b"export"


def test_next_cannot_point_elsewhere(personas, client):
    client.force_login(personas.af)
    response = _confirm(client, personas.af, next_url="https://evil.example/")
    assert response["Location"] == reverse("dashboard")
