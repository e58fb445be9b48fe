"""Error pages speak Dutch, keep the site's layout and offer a way back."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _assert_dutch_error_page(response, status, title):
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert f"<h1 id=\"error-title\">{title}</h1>" in html
    assert f"Foutcode {status}" in html
    assert "Naar uw overzicht" in html
    assert "site-header" in html
    # Django's own English pages are not shown.
    assert "Not Found" not in html and "Forbidden" not in html


def test_unknown_page_gives_the_dutch_404(client, personas):
    client.force_login(personas.teacher_on_case)
    _assert_dutch_error_page(client.get("/bestaat-niet/"), 404, "Pagina niet gevonden")


def test_a_case_outside_the_team_gives_the_same_404(client, personas):
    client.force_login(personas.teacher_not_on_case)
    response = client.get(reverse("case_detail", kwargs={"case_id": personas.case.pk}))
    _assert_dutch_error_page(response, 404, "Pagina niet gevonden")


def test_a_refused_page_gives_the_dutch_403(client, personas):
    client.force_login(personas.teacher_on_case)
    _assert_dutch_error_page(client.get(reverse("case_list")), 403, "Geen toestemming")


def test_a_post_without_csrf_token_gives_the_dutch_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    _assert_dutch_error_page(response, 403, "Formulier verlopen")


def test_a_bad_request_gives_the_dutch_400(client):
    response = client.get("/", HTTP_HOST="niet-toegestaan.example")
    _assert_dutch_error_page(response, 400, "Ongeldig verzoek")


def test_every_page_links_the_favicon_served_by_the_app(client, personas):
    client.force_login(personas.af)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html
