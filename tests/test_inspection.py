"""The inspecteur: access only through a current grant, cases pseudonymised on every page
and in every export, content only when the grant includes it, everything logged."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AccessLog, AuditEvent
from cases.models import Case, Observation, Statement, Student
from inspection.models import InspectionGrant
from inspection.selectors.cases import case_code
from inspection.services.grants import inspection_grant_create, inspection_grant_end
from meldcode.errors import DomainError
from meldcode.models import Role, User
from tests.factories import member
from tests.inspection_data import OBSERVATION_TEXTS, Inspected, inspected_school


def _text(response) -> str:
    if response["Content-Type"].startswith("application/pdf"):
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def _shown(secrets, text) -> list[str]:
    """The secrets that appear as words ("Daan" is in "gedaan", and that is fine)."""
    return [s for s in secrets if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text, re.I)]


def _inspector_urls(inspected, school):
    grant = inspected.grant
    urls = [reverse("inspection_grant_home", args=[grant.pk]),
            reverse("inspection_school", args=[grant.pk, school.pk]),
            reverse("inspection_trail", args=[grant.pk]),
            reverse("inspection_trail", args=[grant.pk]) + "?soort=case.",
            reverse("inspection_trail_export", args=[grant.pk]),
            reverse("inspection_trail_export", args=[grant.pk]) + "?formaat=pdf",
            reverse("inspection_school_export", args=[grant.pk, school.pk]),
            reverse("inspection_school_export", args=[grant.pk, school.pk]) + "?formaat=pdf",
            reverse("inspection_figures", args=[grant.pk]),
            reverse("inspection_figures", args=[grant.pk]) + f"?scope={school.pk}&formaat=csv",
            reverse("dashboard")]
    urls += [reverse("inspection_case", args=[grant.pk, school.pk, case_code(c.pk)])
             for c in [*inspected.cases]]
    return urls


def test_the_inspecteur_sees_no_pupil_and_no_dossier_text_anywhere(client, personas):
    inspected = inspected_school(personas)
    client.force_login(personas.inspecteur)
    client.confirm_recent_auth()
    for url in _inspector_urls(inspected, personas.school):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        found = _shown(inspected.secrets, text)
        assert not found, f"{url} shows {found}"
        # No case id either: the code is the only handle.
        assert not any(str(c.pk) in text for c in inspected.cases), url


def test_the_pages_do_show_the_procedure(client, personas):
    inspected = inspected_school(personas)
    client.force_login(personas.inspecteur)
    response = client.get(reverse("inspection_school",
                                  args=[inspected.grant.pk, personas.school.pk]))
    summary = response.context["summary"]
    assert summary.cases == 4  # the personas' case and the three walked ones
    # One melding (the monitored case): approved by the directie, drafted by the AF, and
    # discussed with the parents before it was sent.
    assert (summary.four_eyes.done, summary.four_eyes.of) == (1, 1)
    assert (summary.parents_informed.done, summary.parents_informed.of) == (1, 1)
    assert summary.steps_in_order.done == summary.steps_in_order.of == 3
    codes = {r.code for r in response.context["rows"]}
    assert {case_code(c.pk) for c in inspected.cases} <= codes
    melding_case = inspected.cases[0]
    detail = client.get(reverse("inspection_case", args=[
        inspected.grant.pk, personas.school.pk, case_code(melding_case.pk)]))
    row = detail.context["row"]
    assert [m.norm for m in row.meldingen] == ["A"]
    assert row.steps and all(s.role for s in row.steps) and not any(s.actor for s in row.steps)
    assert "AF" in detail.content.decode()
    assert personas.af.last_name not in detail.content.decode()


def test_names_of_staff_only_when_the_grant_includes_them(client, personas):
    inspected = inspected_school(personas, include_names=True)
    client.force_login(personas.inspecteur)
    detail = client.get(reverse("inspection_case", args=[
        inspected.grant.pk, personas.school.pk, case_code(inspected.cases[0].pk)]))
    assert str(personas.af) in detail.content.decode()
    assert not any(s in detail.content.decode() for s in OBSERVATION_TEXTS)


def test_content_only_with_the_grant_and_every_read_logged_as_such(client, personas):
    inspected = inspected_school(personas, include_content=True)
    client.force_login(personas.inspecteur)
    case = inspected.cases[0]
    response = client.get(reverse("inspection_case", args=[
        inspected.grant.pk, personas.school.pk, case_code(case.pk)]))
    assert OBSERVATION_TEXTS[0] in response.content.decode()
    # Still never the pupil.
    assert case.student.last_name not in response.content.decode()
    entry = AccessLog.objects.filter(user=personas.inspecteur).latest("id")
    assert (entry.what, entry.case_id, entry.kind) == ("inspection.case.content", case.pk,
                                                        "read")
    assert AuditEvent.objects.get(action="inspection.grant_created").data[
        "include_content"] is True


def test_every_inspector_page_writes_one_access_entry(client, personas):
    inspected = inspected_school(personas)
    client.force_login(personas.inspecteur)
    client.confirm_recent_auth()
    for url in _inspector_urls(inspected, personas.school):
        if url == reverse("dashboard"):
            continue
        before = AccessLog.objects.filter(user=personas.inspecteur).count()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        assert AccessLog.objects.filter(user=personas.inspecteur).count() == before + 1, url
        assert AccessLog.objects.filter(user=personas.inspecteur).latest("id").role == (
            "inspecteur")


def test_exports_are_audited_and_ask_for_the_password_again(client, personas):
    inspected = inspected_school(personas)
    client.force_login(personas.inspecteur)
    url = reverse("inspection_trail_export", args=[inspected.grant.pk])
    response = client.get(url)
    assert response.status_code == 302 and reverse("reauth") in response["Location"]
    assert not AuditEvent.objects.filter(action="inspection.exported").exists()
    client.confirm_recent_auth()
    response = client.get(url)
    assert response.status_code == 200
    assert "handeling" in _text(response).splitlines()[0]
    assert AuditEvent.objects.get(action="inspection.exported").data == {"what": "trail"}


@pytest.mark.parametrize("change", ["expired", "ended", "not_begun", "other_inspector"])
def test_outside_a_current_grant_everything_is_404(client, personas, change):
    inspected = inspected_school(personas)
    grant = inspected.grant
    today = timezone.localdate()
    viewer = personas.inspecteur
    if change == "expired":
        InspectionGrant.objects.filter(pk=grant.pk).update(
            valid_from=today - timedelta(days=40), valid_until=today - timedelta(days=1))
    elif change == "ended":
        inspection_grant_end(actor=personas.beheerder, grant=grant)
    elif change == "not_begun":
        InspectionGrant.objects.filter(pk=grant.pk).update(
            valid_from=today + timedelta(days=1), valid_until=today + timedelta(days=9))
    else:
        viewer = member(Role.INSPECTEUR, board=personas.school.board, username="insp2")
    client.force_login(viewer)
    client.confirm_recent_auth()
    for url in _inspector_urls(inspected, personas.school):
        if url == reverse("dashboard"):
            continue
        assert client.get(url).status_code == 404, url
    assert list(client.get(reverse("dashboard")).context["inspection_grants"]) == []
    # Each refused look is in the access log.
    refused = AccessLog.objects.filter(user=viewer, outcome="not_found")
    assert refused.filter(what="inspection_school").exists()


def test_a_school_outside_the_grant_is_404(client, personas):
    inspected = inspected_school(personas)
    client.force_login(personas.inspecteur)
    url = reverse("inspection_school", args=[inspected.grant.pk, personas.other_school.pk])
    assert client.get(url).status_code == 404


def test_the_dashboard_shows_the_grant_and_where_to_start(client, personas):
    inspected = inspected_school(personas)
    client.force_login(personas.inspecteur)
    response = client.get(reverse("dashboard"))
    assert reverse("inspection_grant_home", args=[inspected.grant.pk]) in (
        response.content.decode())
    assert "Begin bij een school" in response.content.decode()


def test_giving_access_is_for_the_bestuur_and_the_beheerder_and_audited(client, personas):
    today = timezone.localdate()
    common = {"board": personas.school.board, "inspector": personas.inspecteur,
              "schools": [personas.school], "purpose": "Onderzoek",
              "valid_from": today, "valid_until": today + timedelta(days=5),
              "period_start": today - timedelta(days=100), "period_end": today}
    with pytest.raises(DomainError):
        inspection_grant_create(actor=personas.directie, **common)
    with pytest.raises(DomainError, match="geen inspecteur"):
        inspection_grant_create(actor=personas.bestuur, **{**common,
                                                          "inspector": personas.af})
    with pytest.raises(DomainError, match="hoogstens een jaar"):
        inspection_grant_create(actor=personas.bestuur, **{
            **common, "valid_until": today + timedelta(days=400)})
    grant = inspection_grant_create(actor=personas.beheerder, **common)
    event = AuditEvent.objects.get(action="inspection.grant_created")
    assert event.actor == personas.beheerder and event.data["include_names"] is False

    client.force_login(personas.bestuur)
    response = client.post(reverse("inspection_grant_list"), {
        "inspecteur": personas.inspecteur.pk, "scholen": [personas.other_school.pk],
        "doel": "Vervolgonderzoek", "toegang_van": today.isoformat(),
        "toegang_tot": (today - timedelta(days=1)).isoformat(),
        "periode_van": today.isoformat(), "periode_tot": today.isoformat()})
    assert response.status_code == 400
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()
    assert "Vervolgonderzoek" in response.content.decode()  # nothing typed is lost
    response = client.post(reverse("inspection_grant_end", args=[grant.pk]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.ended_by == personas.bestuur
    assert AuditEvent.objects.filter(action="inspection.grant_ended").count() == 1


def test_on_the_demo_school_no_pupil_name_or_observation_text_reaches_the_inspecteur(client,
                                                                                       db):
    call_command("seed_demo", verbosity=0)
    inspector = User.objects.get(username="inspecteur")
    grant = InspectionGrant.objects.current().get(inspector=inspector)
    school = grant.schools.get()
    secrets = []
    for s in Student.objects.filter(school=school):
        secrets += [s.full_name, f"{s.date_of_birth:%d-%m-%Y}", s.date_of_birth.isoformat()]
    texts = [o.situation for o in Observation.objects.filter(case__school=school)]
    texts += list(Statement.objects.filter(observation__case__school=school)
                  .values_list("text", flat=True))
    secrets += [t for t in texts if t]
    assert len(secrets) > 60
    client.force_login(inspector)
    client.confirm_recent_auth()
    cases = list(Case.objects.filter(school=school))
    inspected = Inspected(grant=grant, cases=cases, secrets=secrets)
    for url in _inspector_urls(inspected, school):
        response = client.get(url)
        assert response.status_code == 200, url
        found = _shown(secrets, _text(response))
        assert not found, f"{url} shows {found}"


def test_only_the_bestuur_opens_dossier_content_to_an_inspecteur(personas):
    today = timezone.localdate()
    common = {"board": personas.school.board, "inspector": personas.inspecteur,
              "schools": [personas.school], "purpose": "Onderzoek", "valid_from": today,
              "valid_until": today, "period_start": today, "period_end": today,
              "include_content": True}
    with pytest.raises(DomainError, match="Alleen het bestuur"):
        inspection_grant_create(actor=personas.beheerder, **common)
    assert inspection_grant_create(actor=personas.bestuur, **common).include_content


def test_the_trail_filters_by_school_action_role_and_period_within_the_grant(client,
                                                                             personas):
    inspected = inspected_school(personas)
    grant = inspected.grant
    # An event of the other school, outside the grant: never shown.
    AuditEvent.objects.create(action="case.opened", school=personas.other_school,
                              actor_role="leerkracht")
    client.force_login(personas.inspecteur)
    url = reverse("inspection_trail", args=[grant.pk])
    rows = client.get(url).context["rows"]
    assert rows and {r.school for r in rows} == {personas.school.name}
    rows = client.get(url, {"soort": "report."}).context["rows"]
    assert rows and all(r.action.startswith("report.") for r in rows)
    rows = client.get(url, {"rol": "directie"}).context["rows"]
    assert rows and {r.role for r in rows} == {"directie"}
    tomorrow = timezone.localdate() + timedelta(days=1)
    rows = client.get(url, {"van": tomorrow.isoformat()}).context["rows"]
    assert rows == []
    # Bad input: a clear message, the rest of the filter still applies.
    response = client.get(url, {"rol": "directie", "tot": "2030-02-30"})
    assert response.status_code == 200
    assert "tot" in response.context["form"].errors
    assert {r.role for r in response.context["rows"]} == {"directie"}
