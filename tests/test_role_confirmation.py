"""A role that opens dossiers counts only once the school's directie (or the bestuur)
confirmed it: a beheerder cannot hand themselves the AF role through a second account."""

import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from cases import permissions as dossier_policy
from cases.errors import DomainError
from cases.models import Case, Notification
from cases.permissions import CASE_ACTIONS, CONTRIBUTOR
from cases.selectors.cases import school_coordinators
from cases.services.cases import team_candidates
from decisions.views.common import casemanager_candidates, consult_candidates
from meldcode import permissions
from meldcode.models import (
    ROLES_NEEDING_CONFIRMATION,
    Board,
    Membership,
    MembershipStatus,
    Role,
    User,
)
from meldcode.permissions import ROLE_CAPABILITIES
from meldcode.services import beheer as services
from meldcode.services.confirmation import membership_confirm, membership_refuse
from tests.factories import member

_newcomers = itertools.count(1)


def _new_role(beheerder, role, school, *, first_name="Nieuwe", last_name="Collega"):
    """A new account with one role, given by the beheerder through the beheer service."""
    username = f"nieuw{next(_newcomers)}"
    user = services.user_create(actor=beheerder, username=username, first_name=first_name,
                                last_name=last_name, email=f"{username}@school.example",
                                roles=[services.RoleAssignment.at(role, school)])
    return user, Membership.objects.get(user=user)


# --- Confirming and refusing --------------------------------------------------------------


def test_a_refused_role_never_counts(personas):
    user, membership = _new_role(personas.beheerder, Role.AANDACHTSFUNCTIONARIS,
                                 personas.school)
    membership_refuse(actor=personas.directie, membership=membership)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.REFUSED
    assert membership.decided_by == personas.directie
    permissions.forget_roles(user)
    assert not dossier_policy.visible_cases(user).exists()
    with pytest.raises(DomainError, match="al geweigerd"):
        membership_confirm(actor=personas.directie, membership=membership)
    (event,) = AuditEvent.objects.filter(action="membership.refused")
    assert (event.actor, event.actor_role, event.subject_id) == (personas.directie,
                                                                 Role.DIRECTIE, str(user.pk))


# --- Who confirms -------------------------------------------------------------------------


def test_nobody_confirms_their_own_role(personas, client):
    membership = services.membership_add(actor=personas.beheerder, user=personas.directie,
                                         role=Role.AANDACHTSFUNCTIONARIS,
                                         place=personas.school)
    assert membership.is_pending
    assert not permissions.awaiting_confirmation_by(personas.directie).exists()
    with pytest.raises(DomainError, match="van uzelf"):
        membership_confirm(actor=personas.directie, membership=membership)
    client.force_login(personas.directie)
    response = client.post(reverse("role_confirm", args=[membership.pk]), follow=True)
    assert "van uzelf" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_pending
    # With no other directie at the school, the bestuur is the one to confirm.
    assert list(permissions.confirmers_of(membership)) == [personas.bestuur]
    # And the database itself refuses a role decided by its holder.
    with transaction.atomic(), pytest.raises(IntegrityError):
        Membership.objects.filter(pk=membership.pk).update(
            status=MembershipStatus.CONFIRMED, decided_by=personas.directie,
            decided_at=membership.created_at)


def test_the_bestuur_confirms_the_first_directie_of_a_school(personas, client):
    new_school = services.school_create(actor=personas.beheerder, board=personas.school.board,
                                        name="De Vlinder")
    head, first_directie = _new_role(personas.beheerder, Role.DIRECTIE, new_school)
    assert list(permissions.confirmers_of(first_directie)) == [personas.bestuur]
    assert Notification.objects.filter(recipient=personas.bestuur,
                                       kind=Notification.Kind.ROLE_CONFIRMATION).exists()
    # Another school's directie does not reach it; the bestuur has it on its list.
    client.force_login(personas.directie)
    assert client.post(reverse("role_confirm", args=[first_directie.pk])).status_code == 404
    client.force_login(personas.bestuur)
    assert head.get_full_name() in client.get(reverse("role_confirmation_list")).content.decode()
    client.post(reverse("role_confirm", args=[first_directie.pk]))
    first_directie.refresh_from_db()
    assert (first_directie.status, first_directie.decided_by) == (MembershipStatus.CONFIRMED,
                                                                 personas.bestuur)
    (event,) = AuditEvent.objects.filter(action="membership.confirmed")
    assert (event.actor, event.actor_role, event.school_id) == (personas.bestuur,
                                                                Role.BESTUUR, new_school.pk)
    assert event.data["membership"] == first_directie.pk

    # From now on that directie confirms the school's roles, not the bestuur.
    teacher, role = _new_role(personas.beheerder, Role.LEERKRACHT, new_school)
    assert list(permissions.confirmers_of(role)) == [head]
    with pytest.raises(DomainError, match="directie van de school"):
        membership_confirm(actor=personas.bestuur, membership=role)
    membership_confirm(actor=head, membership=role)
    permissions.forget_roles(teacher)
    assert permissions.can(teacher, "case.open", school=new_school)


def test_an_unconfirmed_directie_confirms_nothing(personas):
    fake_head, head_role = _new_role(personas.beheerder, Role.DIRECTIE, personas.school)
    _, af_role = _new_role(personas.beheerder, Role.AANDACHTSFUNCTIONARIS, personas.school)
    assert not permissions.confirms_anything(fake_head)
    with pytest.raises(DomainError):
        membership_confirm(actor=fake_head, membership=af_role)
    assert fake_head not in permissions.confirmers_of(af_role)


def test_a_bestuur_role_is_confirmed_by_another_bestuur_member(personas):
    Case.objects.filter(pk=personas.case.pk).update(route="meldplicht")
    newcomer = member(Role.LEERKRACHT, personas.other_school)
    role = services.membership_add(actor=personas.beheerder, user=newcomer, role=Role.BESTUUR,
                                   place=personas.school.board)
    permissions.forget_roles(newcomer)
    assert not dossier_policy.visible_cases(newcomer).exists()
    assert list(permissions.confirmers_of(role)) == [personas.bestuur]
    with pytest.raises(DomainError, match="ander lid van het bestuur"):
        membership_confirm(actor=personas.directie, membership=role)
    membership_confirm(actor=personas.bestuur, membership=role)
    permissions.forget_roles(newcomer)
    assert dossier_policy.visible_cases(newcomer).filter(pk=personas.case.pk).exists()


def test_every_role_that_opens_dossiers_needs_confirmation():
    dossier_capabilities = {"case.open", "case.list", "student.search", "task.manage"}
    opening = {role for role, caps in ROLE_CAPABILITIES.items() if caps & dossier_capabilities}
    # The write-only contributor is a place on one case, held on top of a (confirmed)
    # leerkracht or OKA role at its school, not a role of its own.
    assert opening | (set(CASE_ACTIONS) - {CONTRIBUTOR}) <= ROLES_NEEDING_CONFIRMATION
    assert not ({Role.BEHEERDER, Role.INSPECTEUR} & ROLES_NEEDING_CONFIRMATION)


def test_beheerder_and_inspecteur_roles_count_at_once(personas):
    newcomer = member(Role.LEERKRACHT, personas.school)
    membership = services.membership_add(actor=personas.beheerder, user=newcomer,
                                         role=Role.INSPECTEUR, place=personas.school.board)
    assert membership.status == MembershipStatus.CONFIRMED and membership.decided_by is None


def test_an_unconfirmed_role_gets_no_notifications_tasks_or_team_place(personas):
    waiting_af = member(Role.AANDACHTSFUNCTIONARIS, personas.school, confirmed=False)
    waiting_teacher = member(Role.LEERKRACHT, personas.school, confirmed=False)
    assert waiting_af not in school_coordinators(personas.school)
    assert waiting_teacher not in team_candidates(personas.case)
    assert permissions.roles(waiting_af) == set()


# --- What the product shows ----------------------------------------------------------------


def test_case_team_and_trail_show_who_confirmed(personas, client):
    af, role = _new_role(personas.beheerder, Role.AANDACHTSFUNCTIONARIS, personas.school,
                         first_name="Anneke", last_name="Nieuwenhuis")
    membership_confirm(actor=personas.directie, membership=role)
    client.force_login(personas.directie)
    page = client.get(reverse("case_detail", args=[personas.case.pk])).content.decode()
    team = page[page.index('id="team-title"'):page.index('id="sociale-kaart-title"')]
    assert f"Aandachtsfunctionaris: bevestigd door {personas.directie}" in team
    trail = page[page.index('id="trail-title"'):]
    assert "heeft een rol bevestigd: Anneke Nieuwenhuis – Aandachtsfunctionaris" in trail


def test_beheer_screens_show_the_waiting_and_the_refused(personas, client):
    teacher, waiting = _new_role(personas.beheerder, Role.LEERKRACHT, personas.school)
    _new_role(personas.beheerder, Role.LEERKRACHT, personas.other_school)
    client.force_login(personas.beheerder)
    html = client.get(reverse("beheer_user_edit", args=[teacher.uuid])).content.decode()
    assert "wacht op bevestiging door de directie" in html
    listing = client.get(reverse("beheer_user_list")).content.decode()
    assert "wacht op bevestiging door de directie" in listing
    assert "wacht op bevestiging door het bestuur" in listing  # no directie at Het Kompas
    membership_refuse(actor=personas.directie, membership=waiting)
    html = client.get(reverse("beheer_user_edit", args=[teacher.uuid])).content.decode()
    assert f"geweigerd door {personas.directie}" in html


def test_confirmation_list_query_count_is_bounded(personas, client,
                                                  django_assert_max_num_queries):
    for _ in range(30):
        _new_role(personas.beheerder, Role.LEERKRACHT, personas.school)
    client.force_login(personas.directie)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("role_confirmation_list"))
    assert response.content.decode().count("Bevestigen<span") == 30
    # The start page's own blocks are one or two queries each (test_dashboard_today.py).
    with django_assert_max_num_queries(17):
        assert client.get(reverse("dashboard")).status_code == 200


def test_the_notification_leads_to_the_confirmation_list(personas, client):
    _new_role(personas.beheerder, Role.OKA, personas.school)
    client.force_login(personas.directie)
    page = client.get(reverse("notification_list")).content.decode()
    assert "Een rol wacht op uw bevestiging" in page
    assert reverse("role_confirmation_list") in page


# --- Existing installations, the first bestuur, the demo ----------------------------------


def test_existing_roles_stay_confirmed_after_the_data_migration(personas):
    import importlib

    from django.apps import apps

    Membership.objects.update(status=MembershipStatus.PENDING, decided_at=None,
                              decided_by=None)
    migration = importlib.import_module(
        "meldcode.migrations.0003_confirm_existing_memberships")
    migration.confirm_existing(apps, None)
    assert set(Membership.objects.values_list("status", flat=True)) == {
        MembershipStatus.CONFIRMED}
    assert not Membership.objects.filter(decided_at__isnull=True).exists()
    permissions.forget_roles(personas.af)
    assert dossier_policy.visible_cases(personas.af).filter(pk=personas.case.pk).exists()


def test_the_first_bestuur_of_a_board_is_confirmed_at_the_command_line(db, mailoutbox):
    call_command("create_beheerder", board="Stichting Nieuw", username="beheer",
                 email="beheer@nieuw.example", no_input=True, stdout=StringIO())
    beheerder = User.objects.get(username="beheer")
    board = Board.objects.get(name="Stichting Nieuw")
    chair, role = _new_role(beheerder, Role.BESTUUR, board)
    assert role.is_pending and not permissions.confirmers_of(role).exists()

    call_command("confirm_first_bestuur", board="Stichting Nieuw", username=chair.username,
                 stdout=StringIO())
    role.refresh_from_db()
    assert role.is_confirmed and role.decided_by is None
    (event,) = AuditEvent.objects.filter(action="membership.confirmed")
    assert event.actor is None and event.data["via"] == "confirm_first_bestuur"

    # Once the board has a bestuur, it confirms further bestuur roles itself.
    second, second_role = _new_role(beheerder, Role.BESTUUR, board)
    with pytest.raises(CommandError, match="al een bevestigd bestuurslid"):
        call_command("confirm_first_bestuur", board="Stichting Nieuw",
                     username=second.username)
    with pytest.raises(CommandError, match="wacht"):
        call_command("confirm_first_bestuur", board="Stichting Nieuw", username="beheer")
    second_role.refresh_from_db()
    assert second_role.is_pending


def test_a_confirmed_role_cannot_be_redirected_to_another_address(personas, mailoutbox):
    """Otherwise: the directie confirms a real colleague's new account, and before she sets
    her password the beheerder points the invitation at an address of their own."""
    colleague, role = _new_role(personas.beheerder, Role.AANDACHTSFUNCTIONARIS,
                                personas.school)
    services.user_update(actor=personas.beheerder, user=colleague, first_name="Nieuwe",
                         last_name="Collega", email="gecorrigeerd@school.example")
    membership_confirm(actor=personas.directie, membership=role)
    with pytest.raises(DomainError, match="bevestigd"):
        services.user_update(actor=personas.beheerder, user=colleague, first_name="Nieuwe",
                             last_name="Collega", email="beheerder-prive@example.org")
    colleague.refresh_from_db()
    assert colleague.email == "gecorrigeerd@school.example"


def test_a_deactivated_account_has_nothing_to_confirm(personas):
    colleague, role = _new_role(personas.beheerder, Role.OKA, personas.school)
    services.user_deactivate(actor=personas.beheerder, user=colleague)
    assert not permissions.awaiting_confirmation_by(personas.directie).exists()
    with pytest.raises(DomainError, match="gedeactiveerd"):
        membership_confirm(actor=personas.directie, membership=role)


def test_a_waiting_role_is_no_candidate_for_steps_four_and_five(personas):
    """Who directie consults and who may be casemanager: confirmed roles only."""
    waiting = member(Role.OKA, personas.school, username="oka.nieuw", confirmed=False)
    assert personas.oka in consult_candidates(personas.case)
    assert waiting not in consult_candidates(personas.case)
    assert waiting not in casemanager_candidates(personas.case)
