"""The parents' right of access (AVG art. 15; 004 "Privacy"; review 3.7, P-8): the request
with its due date as a task, one extension, items withheld only with a reason, four eyes,
the delivery, the parents' corrections and statement, and the copy without work notes."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AccessKind, AccessLog, AuditEvent
from cases.errors import DomainError
from cases.models import Carer, Task, TaskKind
from cases.selectors.chronology import chronology
from meldcode.models import Role
from meldcode.workdays import add_months
from privacy.models import AccessRequest, ParentResponse
from privacy.services import requests as services
from tests.dossier_data import WORK_NOTE, full_dossier
from tests.factories import CarerFactory, member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _text(content: bytes) -> str:
    return re.sub(r"\s+", "", "\n".join(page.extract_text()
                                        for page in PdfReader(io.BytesIO(content)).pages))


def _record(p, *, carer=None, received_on=None, requester="ouder"):
    carer = carer if carer is not None or requester != "ouder" else CarerFactory(
        student=p.case.student)
    return services.access_request_record(
        actor=p.af, case=p.case, requester=requester, carer=carer,
        identity_checked="Paspoort getoond", received_on=received_on or TODAY())


def _set_birthday(p, age_years):
    student = p.case.student
    today = TODAY()
    student.date_of_birth = date(today.year - age_years, 1, 1) if today.month > 1 or \
        today.day > 1 else date(today.year - age_years - 1, 1, 1)
    student.save(update_fields=["date_of_birth"])


def test_a_request_records_who_asked_and_is_due_in_a_month_as_a_task(personas):
    p = personas
    carer = CarerFactory(student=p.case.student, relation=Carer.Relation.VOOGD)
    received = TODAY() - timedelta(days=3)
    request = _record(p, carer=carer, received_on=received)
    assert request.relation == "voogd" and request.gezag == "ja"
    assert request.due_on == add_months(received, 1)
    task = Task.objects.get(case=p.case, kind=TaskKind.ACCESS_REQUEST)
    assert task.owner == p.af and task.due_on == request.due_on and task.completed_at is None
    event = AuditEvent.objects.get(action="access_request.recorded")
    assert event.data["due"] == request.due_on.isoformat()


def test_the_requester_is_recorded_against_the_pupils_age(personas):
    p = personas
    _set_birthday(p, 10)
    assert _record(p).position == AccessRequest.Position.PARENT_FOR_CHILD
    with pytest.raises(DomainError, match="jonger dan 12"):
        _record(p, requester="leerling")
    _set_birthday(p, 13)
    assert _record(p, requester="leerling").position == AccessRequest.Position.PUPIL_12_16
    _set_birthday(p, 17)
    assert _record(p, requester="leerling").position == AccessRequest.Position.PUPIL_16
    parent = _record(p)
    assert parent.position == AccessRequest.Position.PARENT_OF_16 and parent.summary_only


def test_the_term_is_extended_once_by_two_months_with_a_reason(personas):
    p = personas
    request = _record(p)
    with pytest.raises(DomainError, match="reden"):
        services.access_request_extend(actor=p.af, request=request, reason=" ")
    first_due = request.due_on
    request = services.access_request_extend(actor=p.af, request=request,
                                             reason="Veel stukken van derden")
    assert request.due_on == add_months(first_due, 2)
    assert Task.objects.get(kind=TaskKind.ACCESS_REQUEST).due_on == request.due_on
    with pytest.raises(DomainError, match="één keer"):
        services.access_request_extend(actor=p.af, request=request, reason="Nog eens")


def test_a_teacher_handles_no_request(personas):
    with pytest.raises(DomainError, match="aandachtsfunctionaris of de directie"):
        services.access_request_record(
            actor=personas.teacher_on_case, case=personas.case, requester="ouder",
            carer=CarerFactory(student=personas.case.student), identity_checked="x",
            received_on=TODAY())


@pytest.fixture
def dossier(personas):
    return full_dossier(personas)


def _walk_to_approved(p, request, withhold=(), worknotes=None):
    for (kind, pk), ground in withhold:
        services.withheld_add(actor=p.af, request=request, record_kind=kind, record_pk=pk,
                              ground=ground, explanation="Bron beschermen")
    if worknotes is not None:
        services.access_request_worknotes(actor=p.af, request=request, handling=worknotes)
    services.access_request_prepare(actor=p.af, request=request)
    return services.access_request_approve(actor=p.directie, request=request)


def test_four_eyes_the_preparer_does_not_approve(personas):
    p = personas
    second = member(Role.DIRECTIE, p.school, username="directie2")
    request = _record(p)
    services.access_request_prepare(actor=p.directie, request=request)
    with pytest.raises(DomainError, match="Vier ogen"):
        services.access_request_approve(actor=p.directie, request=request)
    with pytest.raises(DomainError, match="Alleen de directie"):
        services.access_request_approve(actor=p.af, request=request)
    approved = services.access_request_approve(actor=second, request=request)
    assert approved.status == AccessRequest.Status.APPROVED and approved.approved_by == second


def test_the_copy_leaves_out_work_notes_and_withheld_items_and_lists_the_reasons(
        personas, dossier):
    p = personas
    request = _record(p)
    observation = next(e for e in chronology(dossier) if e.kind == "observation")
    with pytest.raises(DomainError, match="niet in het dossier"):
        services.withheld_add(actor=p.af, request=request, record_kind="observation",
                              record_pk="00000000-0000-0000-0000-000000000000",
                              ground="belang_informant", explanation="x")
    _walk_to_approved(p, request, [(observation.key, "belang_informant")],
                      worknotes=AccessRequest.WorkNotes.GIVEN)
    text = _text(services.access_export(actor=p.af, request=request))
    assert re.sub(r"\s+", "", WORK_NOTE) not in text
    assert "Buurvrouw" not in text and "Noahvertelde" not in text
    assert "Nietopgenomen" in text
    assert "Inhetbelangvaneeninformant:Bronbeschermen" in text
    # Everything else is there.
    assert "Dehulploopt goed.".replace(" ", "") in text
    assert AuditEvent.objects.get(action="access_request.exported").data["withheld"] == 1


def test_nothing_is_withheld_after_preparing_and_no_copy_before_approval(personas):
    p = personas
    request = _record(p)
    with pytest.raises(DomainError, match="ontvangen|voorbereid"):
        services.access_export(actor=p.af, request=request)
    services.access_request_prepare(actor=p.af, request=request)
    with pytest.raises(DomainError, match="voorbereid"):
        services.withheld_add(actor=p.af, request=request, record_kind="x", record_pk="y",
                              ground="belang_kind", explanation="z")


def test_delivery_completes_the_task_and_a_parent_without_gezag_gets_no_copy(personas):
    p = personas
    carer = CarerFactory(student=p.case.student, gezag=Carer.Gezag.NEE)
    request = _walk_to_approved(p, _record(p, carer=carer))
    with pytest.raises(DomainError, match="geen kopie"):
        services.access_request_deliver(actor=p.af, request=request, delivery="kopie",
                                        delivered_on=TODAY())
    with pytest.raises(DomainError, match="wie er bij"):
        services.access_request_deliver(actor=p.af, request=request, delivery="samen_lezen",
                                        delivered_on=TODAY())
    services.access_request_deliver(actor=p.af, request=request, delivery="samen_lezen",
                                    delivered_on=TODAY(), note="Moeder, AF en directie")
    task = Task.objects.get(kind=TaskKind.ACCESS_REQUEST)
    assert task.completed_at is not None and task.completion_reason == "access_request.delivered"


def test_corrections_and_statements_become_records_of_the_dossier(personas):
    p = personas
    request = _walk_to_approved(p, _record(p))
    with pytest.raises(DomainError, match="verstrekt|goedgekeurd"):
        services.parent_response_record(actor=p.af, request=request, kind="verklaring",
                                        text="Onze kant")
    services.access_request_deliver(actor=p.af, request=request, delivery="kopie",
                                    delivered_on=TODAY())
    with pytest.raises(DomainError, match="Kies wat er"):
        services.parent_response_record(actor=p.af, request=request, kind="correctie",
                                        about="Gesprek 3 maart", text="Het was dinsdag")
    services.parent_response_record(actor=p.af, request=request, kind="correctie",
                                    about="Gesprek 3 maart", text="Het was dinsdag",
                                    outcome="gecorrigeerd")
    services.parent_response_record(actor=p.af, request=request, kind="verklaring",
                                    text="Wij zien het anders.")
    kinds = [e.title for e in chronology(p.case) if e.kind == "parent_response"]
    assert len(kinds) == 2 and ParentResponse.objects.count() == 2
    events = AuditEvent.objects.filter(action="access_request.response_recorded")
    assert "dinsdag" not in str([e.data for e in events])


def test_the_pages_from_request_to_download(client, personas):
    p = personas
    carer = CarerFactory(student=p.case.student, name="Fatima el Amrani")
    client.force_login(p.af)
    response = client.post(reverse("access_request_add", args=[p.case.pk]), {
        "requester": "ouder", "carer": carer.pk, "identity_checked": "Paspoort",
        "received_on": TODAY().isoformat()})
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    detail = reverse("access_request_detail", args=[p.case.pk, request.pk])
    assert "Fatima el Amrani" in client.get(detail).content.decode()
    assert AccessLog.objects.filter(what="case.access_request", user=p.af).exists()
    client.post(reverse("access_request_prepare", args=[p.case.pk, request.pk]))
    client.force_login(p.directie)
    client.post(reverse("access_request_approve", args=[p.case.pk, request.pk]))
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.APPROVED
    export = reverse("access_request_export", args=[p.case.pk, request.pk])
    # Password and code first.
    response = client.get(export)
    assert response.status_code == 302 and reverse("reauth") in response["Location"]
    client.confirm_recent_auth()
    response = client.get(export)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AccessLog.objects.filter(what="case.access_request.export",
                                    kind=AccessKind.EXPORT).exists()
    # A forged record key and a bad date are answered in Dutch, not with a 500.
    response = client.post(reverse("access_request_deliver", args=[p.case.pk, request.pk]),
                           {"delivery": "kopie", "delivered_on": "2026-02-30"}, follow=True)
    assert response.status_code == 200 and "geldige datum" in response.content.decode()


def test_the_pages_run_a_bounded_number_of_queries(client, personas, dossier,
                                                   django_assert_max_num_queries):
    p = personas
    for _ in range(15):
        CarerFactory(student=p.case.student)
        _record(p)
    request = AccessRequest.objects.first()
    client.force_login(p.af)
    client.get(reverse("access_request_list", args=[p.case.pk]))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("access_request_list", args=[p.case.pk]))
    assert response.status_code == 200
    # The detail page lists every record of the whole dossier to choose from.
    with django_assert_max_num_queries(50):
        response = client.get(reverse("access_request_detail", args=[p.case.pk, request.pk]))
    assert response.status_code == 200
