"""No page for a signed-in user may stay in a browser's or proxy's cache.

A school computer is shared: after logging out, "back" or the history must not bring a
case page, an observation or a search result back from the cache. Every URL of the
permission matrix is fetched as a persona who may see it and, where there is one, as a
persona who is refused, since an error page names what was asked for too."""

import pytest
from django.urls import reverse

from tests.matrix import ALL_ROWS, PERSONAS

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]


def _personas_for(row):
    allowed = sorted((p for p in SIGNED_IN if row.expect[p] < 400),
                     key=lambda p: row.expect[p] != 200)
    refused = [p for p in SIGNED_IN if row.expect[p] >= 400]
    return [*allowed[:1], *refused[:1]]


CASES = [(row, persona) for row in ALL_ROWS for persona in _personas_for(row)]


def _request(client, personas, row, persona):
    personas.extra = row.setup(personas) if row.setup else {}
    client.force_login(getattr(personas, persona))
    if row.recent_auth:
        client.confirm_recent_auth()
    url = reverse(row.name, kwargs=row.kwargs(personas))
    if row.query:
        url = f"{url}?{row.query}"
    if row.method == "post":
        return client.post(url, data=row.data(personas))
    return client.get(url)


@pytest.mark.parametrize(("row", "persona"), CASES,
                         ids=[f"{row.id}-{persona}" for row, persona in CASES])
def test_no_response_to_a_signed_in_user_is_stored(client, personas, row, persona):
    response = _request(client, personas, row, persona)
    assert response.status_code == row.expect[persona]
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, f"{row.id} as {persona}: {directives}"
    assert response["Pragma"] == "no-cache"

