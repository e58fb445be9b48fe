"""Every URL × every persona → the expected status (STYLE.md: a view is not done before)."""

import pytest
from django.urls import get_resolver, reverse

from tests.matrix import ALL_ROWS, PERSONAS

# URL names that are not product views: the login/logout forms.
NOT_IN_MATRIX = {"login", "logout"}


def _named_urls(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            names |= _named_urls(pattern, prefix)
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_every_view_is_in_the_matrix():
    covered = {row.name for row in ALL_ROWS}
    missing = _named_urls() - covered - NOT_IN_MATRIX
    assert not missing, f"views missing from the permission matrix: {sorted(missing)}"


def test_every_row_names_every_persona():
    for row in ALL_ROWS:
        assert set(row.expect) == set(PERSONAS), row.id


CASES = [(row, persona) for row in ALL_ROWS for persona in PERSONAS]


@pytest.mark.parametrize(("row", "persona"), CASES,
                         ids=[f"{row.id}-{persona}" for row, persona in CASES])
def test_permission_matrix(client, personas, row, persona):
    personas.extra = row.setup(personas) if row.setup else {}
    if persona != "anonymous":
        client.force_login(getattr(personas, persona))
        if row.recent_auth:
            client.confirm_recent_auth()
    url = reverse(row.name, kwargs=row.kwargs(personas))
    if row.query:
        url = f"{url}?{row.query}"
    if row.method == "post":
        response = client.post(url, data=row.data(personas))
    else:
        response = client.get(url)
    assert response.status_code == row.expect[persona], (
        f"{row.id} as {persona}: got {response.status_code}, expected {row.expect[persona]}"
    )
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    if persona == "anonymous" and row.expect[persona] == 302:
        assert reverse("login") in response["Location"]
