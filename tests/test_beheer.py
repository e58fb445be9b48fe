"""Functioneel beheer: guards and audit of the services, scoping of the views, and no case
content for the beheerder."""


import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEvent
from cases import permissions
from cases.errors import DomainError
from cases.models import CaseUserObjectPermission, Student
from meldcode.models import Membership, Role, User
from meldcode.services import beheer as services
from meldcode.services.beheer import RoleAssignment
from tests.factories import (
    BoardFactory,
    CaseFactory,
    StudentFactory,
    UserFactory,
    add_role,
    invited_account,
    member,
)
from tests.matrix import ALL_ROWS


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# --- Services: users ---------------------------------------------------------------------


def test_user_create_makes_account_without_password_and_invites(
        personas, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = invited_account(personas.beheerder, personas.school, roles=[
            RoleAssignment.at(Role.LEERKRACHT, personas.school),
            RoleAssignment.at(Role.OKA, personas.other_school),
        ])
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert user.is_active and not user.is_staff and not user.is_superuser
    assert set(user.memberships.values_list("role", "school_id")) == {
        (Role.LEERKRACHT, personas.school.pk), (Role.OKA, personas.other_school.pk)}
    created = _events("user.created")
    assert [(e.actor_id, e.subject_id) for e in created] == [(personas.beheerder.pk,
                                                              str(user.pk))]
    added = _events("membership.added")
    assert {e.data["role"] for e in added} == {Role.LEERKRACHT, Role.OKA}
    assert {e.school_id for e in added} == {personas.school.pk, personas.other_school.pk}
    assert len(_events("user.invited")) == 1
    # The invitation, and a mail to whoever confirms each role: the school's directie, and
    # the bestuur for the school without a directie.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([
        "sanne@school.example", personas.directie.email, personas.bestuur.email])


def test_user_create_mail_is_sent_only_after_commit(personas, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invited_account(personas.beheerder, personas.school)
    # The invitation and the directie's notification, both after commit.
    assert mailoutbox == [] and len(callbacks) == 2


@pytest.mark.parametrize("make_roles, message", [
    (lambda p, e: [], "minstens één rol"),
    (lambda p, e: [RoleAssignment(role=Role.LEERKRACHT, board=p.school.board)], "school"),
    (lambda p, e: [RoleAssignment.at(Role.LEERKRACHT, e["school"])], "eigen bestuur"),
    (lambda p, e: [RoleAssignment.at(Role.BESTUUR, e["school"].board)], "eigen bestuur"),
    (lambda p, e: [RoleAssignment(role=Role.BESTUUR, board=p.school.board, school=p.school)],
     "hele bestuur"),
    (lambda p, e: [RoleAssignment(role=Role.LEERKRACHT, board=p.school.board,
                                  school=e["school"])], "niet bij uw bestuur"),
    (lambda p, e: [RoleAssignment.at(Role.OKA, p.school)] * 2, "twee keer"),
    (lambda p, e: [RoleAssignment(role="superuser", board=p.school.board)], "Onbekende rol"),
])
def test_user_create_guards_roles(personas, elsewhere, make_roles, message):
    with pytest.raises(DomainError, match=message):
        invited_account(personas.beheerder, personas.school, roles=make_roles(personas, elsewhere))
    assert not User.objects.filter(username="sanne.bakker").exists()
    assert not _events("user.created")


def test_user_create_refuses_taken_username_case_insensitively(personas):
    with pytest.raises(DomainError, match="al in gebruik"):
        invited_account(personas.beheerder, personas.school, username="LeerKracht")


def test_only_a_beheerder_can_use_the_services(personas):
    for actor in (personas.af, personas.directie, personas.bestuur, personas.inspecteur):
        with pytest.raises(PermissionDenied):
            invited_account(actor, personas.school)
        with pytest.raises(PermissionDenied):
            services.membership_add(actor=actor, user=personas.oka, role=Role.LEERKRACHT,
                                    place=personas.school)
        with pytest.raises(PermissionDenied):
            services.school_update(actor=actor, school=personas.school, name="X")


def test_user_update_changes_only_name_and_email_and_audits_field_names(personas):
    # An invited person who has not set a password yet, and whose role the directie has not
    # confirmed yet: their address may still be mended.
    teacher = member(Role.LEERKRACHT, personas.school, confirmed=False)
    teacher.set_unusable_password()
    teacher.save(update_fields=["password"])
    services.user_update(actor=personas.beheerder, user=teacher, first_name="Fatima",
                         last_name=teacher.last_name, email=" Fatima@School.EXAMPLE ")
    teacher.refresh_from_db()
    assert teacher.first_name == "Fatima" and teacher.email == "Fatima@school.example"
    (event,) = _events("user.updated")
    assert event.data == {"fields": ["first_name", "email"]}
    assert event.subject_id == str(teacher.pk)


def test_user_update_without_changes_writes_no_event(personas):
    t = personas.teacher_on_case
    services.user_update(actor=personas.beheerder, user=t, first_name=t.first_name,
                         last_name=t.last_name, email=t.email, is_active=True)
    assert not _events("user.updated") and not _events("user.deactivated")


def test_deactivate_and_reactivate(personas, client):
    teacher = personas.teacher_on_case
    services.user_update(actor=personas.beheerder, user=teacher, first_name=teacher.first_name,
                         last_name=teacher.last_name, email=teacher.email, is_active=False)
    teacher.refresh_from_db()
    assert not teacher.is_active
    assert len(_events("user.deactivated")) == 1
    # A deactivated person is logged out: their session no longer authenticates.
    client.force_login(teacher)
    assert client.get(reverse("dashboard")).status_code == 302
    with pytest.raises(DomainError, match="al gedeactiveerd"):
        services.user_deactivate(actor=personas.beheerder, user=teacher)
    services.user_reactivate(actor=personas.beheerder, user=teacher)
    teacher.refresh_from_db()
    assert teacher.is_active and len(_events("user.reactivated")) == 1
    assert teacher.memberships.count() == 1


def test_beheerder_cannot_deactivate_themselves(personas):
    b = personas.beheerder
    with pytest.raises(DomainError, match="eigen account"):
        services.user_update(actor=b, user=b, first_name="Nieuw", last_name=b.last_name,
                             email=b.email, is_active=False)
    b.refresh_from_db()
    assert b.is_active and b.first_name != "Nieuw"  # the whole edit rolls back


def test_account_fields_of_someone_working_for_another_board_are_not_managed(personas,
                                                                             elsewhere):
    teacher = elsewhere["teacher"]
    add_role(teacher, Role.OKA, school=personas.school)
    with pytest.raises(DomainError, match="ander bestuur"):
        services.user_update(actor=personas.beheerder, user=teacher, first_name="X",
                             last_name="Y", email="overname@example.org")
    with pytest.raises(DomainError, match="ander bestuur"):
        services.user_deactivate(actor=personas.beheerder, user=teacher)
    teacher.refresh_from_db()
    assert teacher.email != "overname@example.org" and teacher.is_active
    # Roles within the own board are still the beheerder's to manage.
    services.membership_add(actor=personas.beheerder, user=teacher, role=Role.LEERKRACHT,
                            place=personas.school)


def test_services_refuse_people_without_a_role_in_the_board(personas, elsewhere):
    outsider, roleless = elsewhere["teacher"], UserFactory(username="zonder.rol")
    b = personas.beheerder
    for person in (outsider, roleless):
        with pytest.raises(DomainError, match="geen rol binnen uw bestuur"):
            services.user_update(actor=b, user=person, first_name="X", last_name="Y",
                                 email="overname@example.org")
        with pytest.raises(DomainError, match="geen rol binnen uw bestuur"):
            services.user_deactivate(actor=b, user=person)
        with pytest.raises(DomainError, match="geen rol binnen uw bestuur"):
            services.user_invite(actor=b, user=person)
        with pytest.raises(DomainError, match="geen rol binnen uw bestuur"):
            services.membership_add(actor=b, user=person, role=Role.OKA, place=personas.school)
    foreign = Membership.objects.get(user=outsider)
    with pytest.raises(DomainError, match="bestaat niet"):
        services.membership_remove(actor=b, membership=foreign)
    assert Membership.objects.filter(pk=foreign.pk).exists()
    assert not AuditEvent.objects.filter(actor=b).exists()


def test_superuser_and_staff_accounts_are_not_managed_here(personas):
    admin_user = personas.af
    User.objects.filter(pk=admin_user.pk).update(is_superuser=True, is_staff=True)
    admin_user.refresh_from_db()
    with pytest.raises(DomainError, match="systeembeheerder"):
        services.user_update(actor=personas.beheerder, user=admin_user, first_name="X",
                             last_name="Y", email="x@example.org")
    with pytest.raises(DomainError, match="systeembeheerder"):
        services.membership_add(actor=personas.beheerder, user=admin_user, role=Role.OKA,
                                place=personas.school)


# --- Services: roles ---------------------------------------------------------------------


def test_membership_add_and_remove_are_audited_with_ids_and_codes(personas):
    oka = personas.oka
    membership = services.membership_add(actor=personas.beheerder, user=oka,
                                         role=Role.LEERKRACHT, place=personas.other_school)
    services.membership_remove(actor=personas.beheerder, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    added, removed = _events("membership.added"), _events("membership.removed")
    expected = {"membership": membership.pk, "role": Role.LEERKRACHT,
                "board": str(personas.school.board_id), "school": str(personas.other_school.pk)}
    assert added[0].data == {**expected, "status": "wacht_op_bevestiging"}
    assert removed[0].data == expected
    assert removed[0].school_id == personas.other_school.pk
    assert removed[0].subject_id == str(oka.pk) and removed[0].actor_id == personas.beheerder.pk


def test_membership_add_refuses_duplicates_self_and_other_boards(personas, elsewhere):
    b = personas.beheerder
    with pytest.raises(DomainError, match="al"):
        services.membership_add(actor=b, user=personas.oka, role=Role.OKA, place=personas.school)
    with pytest.raises(DomainError, match="uzelf"):
        services.membership_add(actor=b, user=b, role=Role.AANDACHTSFUNCTIONARIS,
                                place=personas.school)
    with pytest.raises(DomainError, match="eigen bestuur"):
        services.membership_add(actor=b, user=personas.oka, role=Role.OKA,
                                place=elsewhere["school"])
    with pytest.raises(DomainError, match="school"):
        services.membership_add(actor=b, user=personas.oka, role=Role.DIRECTIE,
                                place=personas.school.board)
    with pytest.raises(DomainError, match="hele bestuur"):
        services.membership_add(actor=b, user=personas.oka, role=Role.INSPECTEUR,
                                place=personas.school)
    assert not _events("membership.added")


def test_beheerder_cannot_remove_own_last_beheerder_role(personas):
    b = personas.beheerder
    add_role(b, Role.BESTUUR, board=personas.school.board)
    own = Membership.objects.get(user=b, role=Role.BEHEERDER)
    with pytest.raises(DomainError, match="eigen laatste beheerdersrol"):
        services.membership_remove(actor=b, membership=own)
    # With a second beheerder role (another board they manage) it may go.
    other_board = BoardFactory()
    add_role(b, Role.BEHEERDER, board=other_board)
    member(Role.BEHEERDER, board=personas.school.board, username="beheerder2")
    services.membership_remove(actor=b, membership=own)
    assert not Membership.objects.filter(pk=own.pk).exists()


def test_a_board_keeps_a_beheerder(personas):
    b = personas.beheerder
    other_board = BoardFactory()
    add_role(b, Role.BEHEERDER, board=other_board)
    own = Membership.objects.get(user=b, role=Role.BEHEERDER, board=personas.school.board)
    with pytest.raises(DomainError, match="minstens één functioneel beheerder"):
        services.membership_remove(actor=b, membership=own)


def test_last_role_of_a_person_is_not_removed_but_the_account_deactivated(personas):
    only = Membership.objects.get(user=personas.oka)
    with pytest.raises(DomainError, match="laatste rol"):
        services.membership_remove(actor=personas.beheerder, membership=only)


def test_removing_a_teachers_role_keeps_case_data_but_ends_access(personas, client):
    teacher, case = personas.teacher_on_case, personas.case
    add_role(teacher, Role.LEERKRACHT, school=personas.other_school)
    client.force_login(teacher)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200

    at_school = Membership.objects.get(user=teacher, school=personas.school)
    services.membership_remove(actor=personas.beheerder, membership=at_school)

    assert CaseUserObjectPermission.objects.filter(content_object=case, user=teacher).exists()
    case.refresh_from_db()
    assert case.opened_by_id == teacher.pk
    teacher = User.objects.get(pk=teacher.pk)
    assert not permissions.visible_cases(teacher).filter(pk=case.pk).exists()
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404


# --- Services: schools -------------------------------------------------------------------


def test_school_create_and_update(personas, elsewhere):
    b = personas.beheerder
    school = services.school_create(actor=b, board=personas.school.board, name=" De Vlinder ",
                                    brin="12AB", vt_region="Veilig Thuis Utrecht")
    assert school.name == "De Vlinder" and school.board == personas.school.board
    (created,) = _events("school.created")
    assert created.school_id == school.pk and created.data == {"board": str(school.board_id)}
    services.school_update(actor=b, school=school, wijkagent="Agent Bos, 0900-8844",
                           name="De Vlinder")
    (updated,) = _events("school.updated")
    assert updated.data == {"fields": ["wijkagent"]}
    with pytest.raises(DomainError, match="al een school"):
        services.school_create(actor=b, board=personas.school.board, name="de regenboog")
    with pytest.raises(DomainError, match="al een school"):
        services.school_update(actor=b, school=school, name="De Regenboog")
    with pytest.raises(DomainError, match="eigen bestuur"):
        services.school_create(actor=b, board=elsewhere["school"].board, name="Inbraak")
    with pytest.raises(DomainError, match="niet bij uw bestuur"):
        services.school_update(actor=b, school=elsewhere["school"], name="Inbraak")
    with pytest.raises(TypeError):
        services.school_update(actor=b, school=school, board=elsewhere["school"].board)


def test_audit_data_of_beheer_holds_no_names_or_addresses(personas, elsewhere):
    user = invited_account(personas.beheerder, personas.school)
    services.user_update(actor=personas.beheerder, user=user, first_name="Sanne",
                         last_name="de Boer", email="s.deboer@school.example")
    services.school_create(actor=personas.beheerder, board=personas.school.board,
                           name="De Vlinder", other_contacts="Jeugdarts Pietersen")
    text = " ".join(str(e.data) for e in AuditEvent.objects.all())
    for secret in ("Sanne", "Boer", "Bakker", "school.example", "Vlinder", "Pietersen"):
        assert secret not in text


# --- No case content for the beheerder ---------------------------------------------------


GET_ROWS = [row for row in ALL_ROWS if row.method == "get"]


@pytest.mark.parametrize("row", GET_ROWS, ids=[row.id for row in GET_ROWS])
def test_beheerder_sees_no_pupil_names(personas, client, row):
    personas.extra = row.setup(personas) if row.setup else {}
    CaseFactory(student=StudentFactory(school=personas.other_school))
    CaseFactory(student=StudentFactory(school=personas.school), opened_by=personas.oka,
                route="meldplicht")
    StudentFactory(school=personas.school)
    # Names no person or school in the data can carry, so any hit is a pupil's name.
    names = []
    for i, student in enumerate(Student.objects.order_by("pk")):
        student.first_name, student.last_name = f"Leerlingvoornaam{i}x", f"Leerlingachter{i}x"
        student.save()
        names += [student.first_name, student.last_name]
    client.force_login(personas.beheerder)
    url = reverse(row.name, kwargs=row.kwargs(personas))
    if row.query:
        url = f"{url}?{row.query}"
    body = client.get(url, follow=True).content.decode()
    leaked = [name for name in names if name in body]
    assert not leaked, f"{row.id}: pupil names on the page: {leaked}"


def test_beheer_index_counts(personas, client, elsewhere):
    services.user_deactivate(actor=personas.beheerder, user=personas.oka)
    client.force_login(personas.beheerder)
    response = client.get(reverse("beheer_index"))
    assert response.context["school_count"] == 2
    assert response.context["user_counts"] == {"active": 9, "inactive": 1}
    body = response.content.decode()
    assert personas.school.board.name in body
    assert elsewhere["school"].board.name not in body
    assert "?status=gedeactiveerd" in body


def test_user_page_shows_the_beheer_trail_but_not_logins(personas, client):
    services.membership_add(actor=personas.beheerder, user=personas.oka, role=Role.LEERKRACHT,
                            place=personas.other_school)
    client.force_login(personas.oka)  # writes an auth.login event for the OKA
    client.force_login(personas.beheerder)
    body = client.get(reverse("beheer_user_edit", args=[personas.oka.uuid])).content.decode()
    assert "heeft een rol toegekend" in body
    assert "heeft ingelogd" not in body


def test_user_page_of_someone_from_another_board_offers_no_account_form(personas, elsewhere,
                                                                        client):
    teacher = elsewhere["teacher"]
    add_role(teacher, Role.OKA, school=personas.school)
    client.force_login(personas.beheerder)
    body = client.get(reverse("beheer_user_edit", args=[teacher.uuid])).content.decode()
    assert "ook voor een ander bestuur" in body
    assert 'name="email"' not in body
    assert "De Linde" not in body  # nothing of the other board's roles is shown
    assert 'name="role"' in body
