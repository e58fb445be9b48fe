"""Functioneel beheer: guards and audit of the services, scoping of the views, no case
content for the beheerder, and the set-password e-mail flow."""

import re

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from audit.models import AuditEvent
from cases.errors import DomainError
from cases.models import CaseUserObjectPermission, Student
from meldcode import permissions, services
from meldcode.models import Membership, Role, School, User
from meldcode.services import RoleAssignment
from tests.factories import (
    BoardFactory,
    CaseFactory,
    SchoolFactory,
    StudentFactory,
    UserFactory,
    add_role,
    member,
)
from tests.matrix import ALL_ROWS


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def _create(actor, school, **overrides):
    kwargs = {"username": "sanne.bakker", "first_name": "Sanne", "last_name": "Bakker",
              "email": "sanne@school.example",
              "roles": [RoleAssignment.at(Role.LEERKRACHT, school)]}
    kwargs.update(overrides)
    return services.user_create(actor=actor, **kwargs)


@pytest.fixture
def elsewhere(db):
    """Another board with its own school, beheerder and teacher."""
    school = SchoolFactory(name="De Linde")
    return {
        "school": school,
        "beheerder": member(Role.BEHEERDER, board=school.board, username="beheerder.linde"),
        "teacher": member(Role.LEERKRACHT, school, username="leerkracht.linde"),
    }


# --- Services: users ---------------------------------------------------------------------


def test_user_create_makes_account_without_password_and_invites(
        personas, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = _create(personas.beheerder, personas.school, roles=[
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
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["sanne@school.example"]


def test_user_create_mail_is_sent_only_after_commit(personas, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _create(personas.beheerder, personas.school)
    assert mailoutbox == [] and len(callbacks) == 1


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
        _create(personas.beheerder, personas.school, roles=make_roles(personas, elsewhere))
    assert not User.objects.filter(username="sanne.bakker").exists()
    assert not _events("user.created")


def test_user_create_refuses_taken_username_case_insensitively(personas):
    with pytest.raises(DomainError, match="al in gebruik"):
        _create(personas.beheerder, personas.school, username="LeerKracht")


def test_only_a_beheerder_can_use_the_services(personas):
    for actor in (personas.af, personas.directie, personas.bestuur, personas.inspecteur):
        with pytest.raises(PermissionDenied):
            _create(actor, personas.school)
        with pytest.raises(PermissionDenied):
            services.membership_add(actor=actor, user=personas.oka, role=Role.LEERKRACHT,
                                    place=personas.school)
        with pytest.raises(PermissionDenied):
            services.school_update(actor=actor, school=personas.school, name="X")


def test_user_update_changes_only_name_and_email_and_audits_field_names(personas):
    # An invited person who has not set a password yet: their address may still be mended.
    teacher = personas.teacher_on_case
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
    assert added[0].data == expected and removed[0].data == expected
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
    user = _create(personas.beheerder, personas.school)
    services.user_update(actor=personas.beheerder, user=user, first_name="Sanne",
                         last_name="de Boer", email="s.deboer@school.example")
    services.school_create(actor=personas.beheerder, board=personas.school.board,
                           name="De Vlinder", other_contacts="Jeugdarts Pietersen")
    text = " ".join(str(e.data) for e in AuditEvent.objects.all())
    for secret in ("Sanne", "Boer", "Bakker", "school.example", "Vlinder", "Pietersen"):
        assert secret not in text


# --- Views: scoping, forms ---------------------------------------------------------------


def test_permission_helpers(personas, elsewhere):
    assert permissions.managed_board_ids(personas.beheerder) == {personas.school.board_id}
    with pytest.raises(PermissionDenied):
        permissions.get_user_for_manager(personas.af, personas.oka.uuid)
    with pytest.raises(PermissionDenied):
        permissions.get_school_for_manager(personas.bestuur, personas.school.pk)
    assert permissions.get_user_for_manager(personas.beheerder, personas.oka.uuid) == personas.oka
    with pytest.raises(Http404):
        permissions.get_user_for_manager(personas.beheerder, elsewhere["teacher"].uuid)
    with pytest.raises(Http404):
        permissions.get_school_for_manager(personas.beheerder, elsewhere["school"].pk)
    with pytest.raises(Http404):
        permissions.get_user_for_manager(personas.beheerder, "geen-uuid")


def test_beheerder_of_another_board_gets_404(personas, elsewhere, client):
    client.force_login(elsewhere["beheerder"])
    user_id, school_id = personas.teacher_on_case.uuid, personas.school.pk
    membership = Membership.objects.get(user=personas.teacher_on_case)
    gets = [reverse("beheer_user_edit", args=[user_id]),
            reverse("beheer_school_edit", args=[school_id])]
    posts = [reverse("beheer_user_edit", args=[user_id]),
             reverse("beheer_user_invite", args=[user_id]),
             reverse("beheer_membership_add", args=[user_id]),
             reverse("beheer_membership_remove", args=[user_id, membership.pk]),
             reverse("beheer_school_edit", args=[school_id])]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"name": "X", "first_name": "X", "last_name": "Y",
                                 "email": "x@example.org", "role": Role.OKA,
                                 "place": f"school:{school_id}"}).status_code == 404, url
    assert Membership.objects.filter(pk=membership.pk).exists()
    listing = client.get(reverse("beheer_user_list")).content.decode()
    assert f"<td>{personas.teacher_on_case.username}</td>" not in listing
    assert "<td>leerkracht.linde</td>" in listing
    schools = client.get(reverse("beheer_school_list")).content.decode()
    assert "De Regenboog" not in schools and "De Linde" in schools
    # Another board's school is not offered as a place for a role either.
    create = client.get(reverse("beheer_user_create")).content.decode()
    assert str(school_id) not in create


def _role_post(school, **extra):
    data = {"first_name": "Sanne", "last_name": "Bakker", "username": "sanne.bakker",
            "email": "sanne@school.example", "rollen-TOTAL_FORMS": "3",
            "rollen-INITIAL_FORMS": "0", "rollen-MIN_NUM_FORMS": "1",
            "rollen-MAX_NUM_FORMS": "10", "rollen-0-role": Role.LEERKRACHT,
            "rollen-0-place": f"school:{school.pk}"}
    data.update(extra)
    return data


def test_create_view_cannot_make_staff_or_superuser(personas, client):
    client.force_login(personas.beheerder)
    response = client.post(reverse("beheer_user_create"), _role_post(
        personas.school, is_staff="on", is_superuser="on", password="geheim-wachtwoord-1"))
    user = User.objects.get(username="sanne.bakker")
    assert response.status_code == 302
    assert response["Location"] == reverse("beheer_user_edit", args=[user.uuid])
    assert not user.is_staff and not user.is_superuser and not user.has_usable_password()
    client.post(reverse("beheer_user_edit", args=[user.uuid]), {
        "first_name": "Sanne", "last_name": "Bakker", "email": "sanne@school.example",
        "is_active": "on", "is_staff": "on", "is_superuser": "on"})
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser


def test_create_view_keeps_input_and_explains_errors(personas, client):
    client.force_login(personas.beheerder)
    response = client.post(reverse("beheer_user_create"), _role_post(
        personas.school, **{"rollen-0-place": f"bestuur:{personas.school.board_id}",
                            "rollen-1-role": Role.BEHEERDER,
                            "rollen-1-place": f"school:{personas.school.pk}"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Deze rol hoort bij een school. Kies een school." in body
    assert "Deze rol geldt voor het hele bestuur" in body
    assert 'value="sanne.bakker"' in body
    assert not User.objects.filter(username="sanne.bakker").exists()


def test_create_view_needs_a_role(personas, client):
    client.force_login(personas.beheerder)
    response = client.post(reverse("beheer_user_create"), _role_post(
        personas.school, **{"rollen-0-role": "", "rollen-0-place": ""}))
    assert response.status_code == 200
    assert "Geef de nieuwe gebruiker minstens één rol." in response.content.decode()
    assert not User.objects.filter(username="sanne.bakker").exists()


def test_user_page_shows_refusals_in_dutch(personas, client):
    client.force_login(personas.beheerder)
    url = reverse("beheer_membership_add", args=[personas.oka.uuid])
    response = client.post(url, {"role": Role.OKA, "place": f"school:{personas.school.pk}"})
    assert response.status_code == 200
    assert "Deze persoon heeft deze rol daar al." in response.content.decode()
    only = Membership.objects.get(user=personas.oka)
    response = client.post(reverse("beheer_membership_remove", args=[personas.oka.uuid, only.pk]),
                           follow=True)
    assert "Dit is de laatste rol van deze persoon." in response.content.decode()
    assert Membership.objects.filter(pk=only.pk).exists()


def test_user_list_search_and_filters(personas, client):
    client.force_login(personas.beheerder)
    url = reverse("beheer_user_list")

    def names(query):
        body = client.get(url, query).content.decode()
        return {u.username for u in User.objects.all() if f"<td>{u.username}</td>" in body}

    assert names({"rol": Role.AANDACHTSFUNCTIONARIS}) == {"af", "af.kompas"}
    assert names({"rol": Role.AANDACHTSFUNCTIONARIS, "school": personas.school.pk}) == {"af"}
    assert names({"school": personas.other_school.pk}) == {"leerkracht.kompas", "af.kompas"}
    personas.oka.first_name, personas.oka.last_name = "Olga", "Kaptein"
    personas.oka.save()
    assert names({"q": "olga kapt"}) == {"oka"}
    assert "beheerder" in names({})
    User.objects.filter(pk=personas.oka.pk).update(is_active=False)
    assert names({"status": "gedeactiveerd"}) == {"oka"}
    assert "oka" not in names({"status": "actief"}) and "af" in names({"status": "actief"})


def test_user_list_query_count_is_bounded(personas, client, django_assert_max_num_queries):
    schools = [personas.school, personas.other_school,
               SchoolFactory(board=personas.school.board, name="De Vlinder")]
    users = User.objects.bulk_create([
        User(username=f"collega{i:03}", first_name=f"Voornaam{i}", last_name=f"Achternaam{i}",
             email=f"collega{i}@school.example", password="!") for i in range(220)
    ])
    roles = (Role.LEERKRACHT, Role.OKA, Role.DIRECTIE)
    Membership.objects.bulk_create([
        Membership(user=u, board=s.board, school=s, role=r)
        for u in users for s, r in zip(schools, roles, strict=True)
    ])
    client.force_login(personas.beheerder)
    url = reverse("beheer_user_list")
    for query in ({}, {"pagina": 5}, {"rol": Role.OKA, "q": "voornaam1"}):
        with django_assert_max_num_queries(11):
            response = client.get(url, query)
        assert response.status_code == 200
    assert response.context["page"].paginator.count == 111  # Voornaam1, 10-19, 100-199
    with django_assert_max_num_queries(11):
        assert client.get(reverse("beheer_school_list")).status_code == 200


def test_school_views(personas, client):
    client.force_login(personas.beheerder)
    response = client.post(reverse("beheer_school_create"), {
        "name": "De Vlinder", "brin": "12AB", "vt_region": "Veilig Thuis Utrecht",
        "vt_phone": "0800-2000", "wijkagent": "Agent Bos", "oka_contact": "",
        "police_phone": "0900-8844", "other_contacts": "Jeugdarts"})
    assert response.status_code == 302
    school = School.objects.get(name="De Vlinder")
    assert school.board_id == personas.school.board_id and school.wijkagent == "Agent Bos"
    response = client.post(reverse("beheer_school_edit", args=[school.pk]), {
        "name": "De Regenboog", "vt_phone": "0800-2000", "police_phone": "0900-8844"})
    assert response.status_code == 200
    assert "Er is in dit bestuur al een school met deze naam." in response.content.decode()
    page = client.get(reverse("beheer_school_edit", args=[personas.school.pk])).content.decode()
    assert "Sociale kaart" in page and "Veilig Thuis Testregio" in page


def test_school_create_with_several_boards_asks_which_board(personas, client):
    second = BoardFactory(name="Stichting Tweede")
    add_role(personas.beheerder, Role.BEHEERDER, board=second)
    client.force_login(personas.beheerder)
    response = client.post(reverse("beheer_school_create"), {
        "name": "De Vlinder", "vt_phone": "0800-2000", "police_phone": "0900-8844"})
    assert response.status_code == 200 and "Kies een bestuur" in response.content.decode()
    response = client.post(reverse("beheer_school_create"), {
        "board": second.pk, "name": "De Vlinder", "vt_phone": "0800-2000",
        "police_phone": "0900-8844"})
    assert response.status_code == 302
    assert School.objects.get(name="De Vlinder").board == second


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


def test_admin_registers_no_dossier_models():
    apps = {model._meta.app_label for model in admin.site._registry}
    assert not apps & {"cases", "signals_catalog", "decisions", "audit"}, apps
    assert {model._meta.label for model in admin.site._registry} >= {"meldcode.User"}


# --- Setting a password by e-mailed link -------------------------------------------------


def _link(mail):
    match = re.search(r"https?://[^/\s]+(/wachtwoord/instellen/[^\s]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_password_reset_mail_holds_the_link_and_no_other_user_data(personas, client,
                                                                   mailoutbox, settings):
    settings.SITE_URL = "https://meldcode.example.nl"
    teacher = personas.teacher_on_case
    teacher.first_name, teacher.last_name = "Fatima", "el Amrani"
    teacher.save()
    response = client.post(reverse("password_reset"), {"email": teacher.email.upper()},
                           HTTP_HOST="127.0.0.1")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    (mail,) = mailoutbox
    assert mail.to == [teacher.email]
    assert "https://meldcode.example.nl/wachtwoord/instellen/" in mail.body
    for data in (teacher.username, teacher.first_name, teacher.last_name, teacher.email,
                 personas.school.name, "Noah", "Jansen"):
        assert data not in mail.body and data not in mail.subject, data
    assert "wachtwoord" in mail.subject.lower()


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client,
                                                                             mailoutbox, db):
    response = client.post(reverse("password_reset"), {"email": "onbekend@example.org"},
                           follow=True)
    assert mailoutbox == [] and "Kijk in uw e-mail" in response.content.decode()


def test_invited_user_sets_password_via_link_and_logs_in(personas, client, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = _create(personas.beheerder, personas.school)
    (mail,) = mailoutbox
    for data in ("sanne", "Sanne", "Bakker", "sanne@school.example", personas.school.name):
        assert data not in mail.body, data
    response = client.get(_link(mail))
    assert response.status_code == 302  # the token moves into the session
    page = client.get(response["Location"])
    assert "sanne.bakker" in page.content.decode()  # the username, shown behind the token
    response = client.post(response["Location"], {"new_password1": "Zonnebloem-2026!",
                                                  "new_password2": "Zonnebloem-2026!"})
    assert response["Location"] == reverse("password_reset_complete")
    assert client.login(username="sanne.bakker", password="Zonnebloem-2026!")
    (event,) = _events("auth.password_set")
    assert event.actor_id == user.pk
    # The link works once.
    assert "werkt niet" in client.get(_link(mail), follow=True).content.decode()


def test_invited_user_without_password_can_use_wachtwoord_vergeten(personas, client,
                                                                   mailoutbox):
    _create(personas.beheerder, personas.school)
    mailoutbox.clear()
    client.post(reverse("password_reset"), {"email": "sanne@school.example"})
    assert len(mailoutbox) == 1


def test_deactivated_user_gets_no_reset_mail_and_no_invitation(personas, client, mailoutbox):
    teacher = personas.teacher_on_case
    services.user_deactivate(actor=personas.beheerder, user=teacher)
    client.post(reverse("password_reset"), {"email": teacher.email})
    assert mailoutbox == []
    with pytest.raises(DomainError, match="gedeactiveerd"):
        services.user_invite(actor=personas.beheerder, user=teacher)


def test_resend_invitation_view(personas, client, mailoutbox,
                                django_capture_on_commit_callbacks):
    personas.oka.set_unusable_password()  # invited, never logged in
    personas.oka.save(update_fields=["password"])
    client.force_login(personas.beheerder)
    with_mail = reverse("beheer_user_invite", args=[personas.oka.uuid])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(with_mail, follow=True)
    assert "verstuurd" in response.content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [personas.oka.email]
    assert client.get(with_mail).status_code == 405


def test_login_page_offers_wachtwoord_vergeten(client, db):
    body = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in body and "Wachtwoord vergeten?" in body


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
