"""Query-count bounds of the inspecteur's trail and the figures, with 100,000 audit events
of the school (and cases through the stappenplan): no page grows with the trail."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services.chain import bulk_append
from inspection.selectors.cases import case_code
from tests.inspection_data import inspected_school

EVENTS = 100_000


@pytest.fixture
def busy(personas):
    inspected = inspected_school(personas)
    now = timezone.now()
    case_ids = [c.pk for c in inspected.cases]
    bulk_append([AuditEvent(action="case.team.added", school_id=personas.school.pk,
                            actor=personas.af, actor_role="aandachtsfunctionaris",
                            subject_type="cases.case", case_id=case_ids[i % len(case_ids)],
                            subject_id=str(i), occurred_at=now, data={"member": i})
                 for i in range(EVENTS)], batch_size=10_000)
    assert AuditEvent.objects.filter(school=personas.school).count() > EVENTS
    return inspected


def test_the_trail_and_the_figures_do_not_grow_with_the_events(client, personas, busy,
                                                               django_assert_max_num_queries):
    grant = busy.grant
    # Each page reads its rows in a fixed number of queries: the trail one page of events
    # with actors and schools joined, the figures one grouped count per figure, the
    # school's cases one query per kind of record for all its cases at once.
    client.force_login(personas.inspecteur)
    client.get(reverse("dashboard"))  # the session's first request does its own bookkeeping
    trail_url = reverse("inspection_trail", args=[grant.pk])
    with django_assert_max_num_queries(10):
        first = client.get(trail_url, {"rol": "aandachtsfunctionaris", "soort": "case."})
    assert len(first.context["rows"]) == 50
    with django_assert_max_num_queries(10):
        second = client.get(trail_url, {"na": first.context["next_cursor"]})
    assert second.context["rows"][0].when <= first.context["rows"][-1].when
    with django_assert_max_num_queries(22):
        response = client.get(reverse("inspection_figures", args=[grant.pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(24):
        response = client.get(reverse("inspection_school", args=[grant.pk, personas.school.pk]))
    assert len(response.context["rows"]) == 4
    with django_assert_max_num_queries(27):
        client.get(reverse("inspection_case", args=[grant.pk, personas.school.pk,
                                                     case_code(busy.cases[0].pk)]))
    client.force_login(personas.bestuur)
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(21):
        response = client.get(reverse("figures"))
    assert response.context["figures"].title == personas.school.board.name
