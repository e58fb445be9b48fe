"""Opening cases, one open case per pupil, the case team and need-to-know visibility."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AccessLog, AuditEvent
from audit.services import audit
from cases import permissions
from cases.errors import DomainError
from cases.models import Case, Notification, Phase, Task
from cases.notifications import notify
from cases.services.cases import case_open, case_team, case_team_add, case_team_remove
from meldcode.models import Membership, Role
from meldcode.models import Role as R
from tests.factories import CaseFactory, ObservationFactory, StudentFactory, member


def test_teacher_opens_case_and_is_on_its_team(personas):
    student = StudentFactory(school=personas.school)
    result = case_open(actor=personas.teacher_not_on_case, student=student)
    assert result.created and result.visible
    case = result.case
    assert case.phase == Phase.SIGNALEREN
    assert case.school == student.school
    team = {m.user: m for m in case_team(case)}
    assert set(team) == {personas.teacher_not_on_case, personas.af, personas.directie}
    assert team[personas.af].roles == ("Aandachtsfunctionaris",)
    # AF and directie are on the team by role; the reporter stays on it.
    assert not any(m.removable for m in team.values())
    event = AuditEvent.objects.get(action="case.opened", case_id=case.pk)
    assert event.actor == personas.teacher_not_on_case
    assert event.actor_role == Role.LEERKRACHT
    assert Notification.objects.filter(recipient=personas.af, case=case,
                                       kind=Notification.Kind.CASE_OPENED).exists()


def test_second_case_leads_to_existing_case_for_those_who_see_it(personas):
    result = case_open(actor=personas.af, student=personas.case.student)
    assert not result.created and result.visible
    assert result.case == personas.case
    assert Case.objects.filter(student=personas.case.student).count() == 1


def test_second_case_by_outsider_notifies_af_and_lets_them_write_without_reading(
        personas, client):
    """C-20: their concern is not lost: they write into the existing case, write-only."""
    ObservationFactory(case=personas.case, situation="Eerdere waarneming van de juf")
    client.force_login(personas.teacher_not_on_case)
    url = reverse("case_open", kwargs={"student_id": personas.case.student.pk})
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("observation_new",
                                                     args=[personas.case.pk])
    page = response.content.decode()
    assert "aandachtsfunctionaris is op de hoogte" in page
    assert "Eerdere waarneming" not in page and "Terug naar de casus" not in page
    assert Notification.objects.filter(recipient=personas.af, case=personas.case,
                                       kind=Notification.Kind.CASE_EXISTS,
                                       actor=personas.teacher_not_on_case).exists()
    assert Case.objects.filter(student=personas.case.student).count() == 1
    actions = permissions.case_actions(personas.teacher_not_on_case, personas.case)
    assert actions == {"observation.add", permissions.OWN_DRAFT_FILES}


def test_database_refuses_two_open_cases_per_pupil(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(student=personas.case.student, school=personas.school,
                            opened_by=personas.af)


def test_closed_case_does_not_block_a_new_one(personas):
    Case.objects.filter(pk=personas.case.pk).update(phase=Phase.GESLOTEN)
    result = case_open(actor=personas.af, student=personas.case.student)
    assert result.created


def test_af_adds_and_removes_team_member(personas):
    case_team_add(actor=personas.af, case=personas.case, member=personas.oka)
    assert "view" in permissions.case_actions(personas.oka, personas.case)
    assert [m.removable for m in case_team(personas.case) if m.user == personas.oka] == [True]
    assert Notification.objects.filter(recipient=personas.oka,
                                       kind=Notification.Kind.TEAM_ADDED).exists()
    case_team_remove(actor=personas.af, case=personas.case, member=personas.oka)
    assert "view" not in permissions.case_actions(personas.oka, personas.case)
    actions = list(AuditEvent.objects.filter(case_id=personas.case.pk)
                   .values_list("action", flat=True))
    assert actions[-2:] == ["case.team.added", "case.team.removed"]


def test_team_add_refuses_staff_of_other_school(personas):
    with pytest.raises(DomainError):
        case_team_add(actor=personas.af, case=personas.case, member=personas.teacher_other_school)


def test_reporter_cannot_be_removed_from_team(personas):
    with pytest.raises(DomainError, match="blijft in het casusteam"):
        case_team_remove(actor=personas.af, case=personas.case, member=personas.teacher_on_case)


def test_grant_without_current_membership_gives_no_access(personas):
    Membership.objects.filter(user=personas.teacher_on_case).delete()
    permissions.forget_roles(personas.teacher_on_case)
    assert "view" not in permissions.case_actions(personas.teacher_on_case, personas.case)
    assert not permissions.visible_cases(personas.teacher_on_case).exists()


def test_visible_cases_is_need_to_know(personas):
    other = CaseFactory(student=StudentFactory(school=personas.school))
    kompas = CaseFactory(student=StudentFactory(school=personas.other_school))
    assert set(permissions.visible_cases(personas.teacher_on_case)) == {personas.case}
    assert set(permissions.visible_cases(personas.teacher_not_on_case)) == set()
    assert set(permissions.visible_cases(personas.af)) == {personas.case, other}
    assert set(permissions.visible_cases(personas.af_other_school)) == {kompas}
    for outsider in (personas.beheerder, personas.inspecteur, personas.bestuur):
        assert not permissions.visible_cases(outsider).exists()


def test_meldplicht_case_is_hidden_from_normal_team(personas):
    Case.objects.filter(pk=personas.case.pk).update(route="meldplicht")
    case = Case.objects.get(pk=personas.case.pk)
    assert "view" not in permissions.case_actions(personas.af, case)
    assert "view" in permissions.case_actions(personas.directie, case)
    assert "view" in permissions.case_actions(personas.bestuur, case)
    assert "view" in permissions.case_actions(personas.teacher_on_case, case)  # the reporter
    assert set(permissions.visible_cases(personas.bestuur)) == {case}
    team = {m.user for m in case_team(case)}
    assert team == {personas.teacher_on_case, personas.directie, personas.bestuur}


def test_teacher_sees_only_own_schools_pupils_in_search(personas, client):
    StudentFactory(school=personas.other_school, first_name="Noah", last_name="Kompas")
    client.force_login(personas.teacher_not_on_case)
    body = client.get(reverse("student_search"), {"q": "noah"}).content.decode()
    assert "Noah Jansen" in body
    assert "Noah Kompas" not in body


def test_case_detail_writes_access_log(personas, client):
    client.force_login(personas.teacher_on_case)
    assert client.get(reverse("case_detail", args=[personas.case.pk])).status_code == 200
    entry = AccessLog.objects.get(case_id=personas.case.pk)
    assert entry.user == personas.teacher_on_case
    assert entry.what == "case.detail"
    assert entry.student_id == personas.case.student_id


def test_history_only_for_af_and_directie(personas, client):
    url = reverse("case_detail", args=[personas.case.pk])
    client.force_login(personas.teacher_on_case)
    assert "Verloop" not in client.get(url).content.decode()
    client.force_login(personas.af)
    assert "Verloop" in client.get(url).content.decode()


def test_the_case_page_shows_the_latest_ten_events_and_the_timeline_all(
        personas, client, django_assert_max_num_queries):
    """A case's trail grows with every step: the page reads the newest ten (one bounded
    query), says there are more, and the timeline keeps every one."""
    for n in range(25):
        audit("case.team.added", actor=personas.af, subject=personas.case, case=personas.case,
              data={"n": n})
    newest = AuditEvent.objects.filter(case_id=personas.case.pk).order_by("-occurred_at",
                                                                          "-id")[:10]
    client.force_login(personas.af)
    url = reverse("case_detail", args=[personas.case.pk])
    client.get(url)
    with django_assert_max_num_queries(40):
        response = client.get(url)
    trail = response.context["trail"]
    assert trail.more and [e.pk for e in trail.events] == [e.pk for e in reversed(newest)]
    assert "De laatste 10 gebeurtenissen; de eerdere staan in de tijdlijn." in (
        response.content.decode())
    timeline = client.get(reverse("case_timeline", args=[personas.case.pk]))
    assert timeline.status_code == 200


def test_opened_by_must_be_member_role_for_grant(personas):
    af_student = StudentFactory(school=personas.school)
    result = case_open(actor=personas.af, student=af_student)
    # The AF is on every case of the school by role; no per-case grant is needed.
    assert not result.case.user_grants.exists()


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.INSPECTEUR, Role.BESTUUR])
def test_board_roles_cannot_open_cases(personas, role):
    from django.core.exceptions import PermissionDenied

    user = member(role, board=personas.school.board)
    with pytest.raises(PermissionDenied):
        case_open(actor=user, student=personas.case.student)


def test_opening_a_case_starts_the_phase_1_time_limit(personas):
    result = case_open(actor=personas.teacher_not_on_case, student=StudentFactory(
        school=personas.school))
    task = Task.objects.get(case=result.case, completed_at__isnull=True)
    assert task.owner == personas.af
    assert task.phase == Phase.SIGNALEREN


def test_access_log_records_the_role_acted_in_on_the_case(personas, client):
    from tests.factories import add_role

    # Someone who is teacher and OKA at the school, granted on the case: both roles count;
    # a role at another school does not.
    add_role(personas.teacher_on_case, R.OKA, school=personas.school)
    add_role(personas.teacher_on_case, R.AANDACHTSFUNCTIONARIS, school=personas.other_school)
    client.force_login(personas.teacher_on_case)
    client.get(reverse("case_detail", args=[personas.case.pk]))
    assert AccessLog.objects.get(case_id=personas.case.pk).role == "leerkracht,oka"


def test_team_services_refuse_who_may_not_manage_the_team(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        case_team_add(actor=personas.teacher_on_case, case=personas.case, member=personas.oka)
    with pytest.raises(PermissionDenied):
        case_team_remove(actor=personas.directie, case=personas.case,
                         member=personas.teacher_on_case)


def test_af_who_teaches_elsewhere_gets_no_grant_when_opening(personas):
    from tests.factories import add_role

    add_role(personas.af, Role.LEERKRACHT, school=personas.other_school)
    result = case_open(actor=personas.af, student=StudentFactory(school=personas.school))
    assert not result.case.user_grants.exists()


def test_notify_writes_all_recipients_in_one_insert_and_skips_the_actor(
        personas, django_assert_num_queries, mailoutbox, django_capture_on_commit_callbacks):
    second_af = member(Role.AANDACHTSFUNCTIONARIS, personas.school)
    recipients = [personas.af, second_af, personas.directie, personas.af]
    with django_capture_on_commit_callbacks(execute=True):
        with django_assert_num_queries(1):
            created = notify(recipients=recipients, kind=Notification.Kind.CASE_OPENED,
                             case=personas.case, actor=personas.directie)
    assert {n.recipient for n in created} == {personas.af, second_af}
    assert all(n.pk for n in created)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([personas.af.email, second_af.email])
    assert all("Noah" not in m.body and "Jansen" not in m.body for m in mailoutbox)


def test_a_failing_mail_server_is_logged_and_keeps_the_notification(
        personas, caplog, django_capture_on_commit_callbacks):
    from unittest import mock

    with (mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages",
                     side_effect=OSError("down")),
          django_capture_on_commit_callbacks(execute=True)):
        notify(recipients=[personas.af], kind=Notification.Kind.CASE_OPENED,
               case=personas.case)
    assert Notification.objects.filter(recipient=personas.af).exists()
    assert "could not be sent (1 messages)" in caplog.text
    assert personas.af.email not in caplog.text
