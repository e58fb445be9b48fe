"""Functioneel beheer pages: scoping to the beheerder's boards, forms that keep what was
typed and explain refusals, and bounded list queries."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from meldcode import permissions
from meldcode.models import Membership, Role, School, User
from tests.factories import BoardFactory, SchoolFactory, add_role


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
    client.confirm_recent_auth()  # roles change: password and code asked again
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
    client.confirm_recent_auth()  # roles change: password and code asked again
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
    client.confirm_recent_auth()  # roles change: password and code asked again
    response = client.post(reverse("beheer_user_create"), _role_post(
        personas.school, **{"rollen-0-role": "", "rollen-0-place": ""}))
    assert response.status_code == 200
    assert "Geef de nieuwe gebruiker minstens één rol." in response.content.decode()
    assert not User.objects.filter(username="sanne.bakker").exists()


def test_user_page_shows_refusals_in_dutch(personas, client):
    client.force_login(personas.beheerder)
    client.confirm_recent_auth()  # roles change: password and code asked again
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


