"""Beheer cannot be used to take over an account or to leave a board without a beheerder."""

import pytest

from cases import permissions
from cases.errors import DomainError
from cases.models import Case
from meldcode.models import Role
from meldcode.services.beheer import user_deactivate, user_invite, user_update
from tests.factories import member


def test_email_of_an_account_in_use_cannot_be_redirected(personas):
    with pytest.raises(DomainError, match="al is ingelogd"):
        user_update(actor=personas.beheerder, user=personas.af, first_name="A",
                    last_name="B", email="beheerder-eigen@example.org")
    personas.af.refresh_from_db()
    assert personas.af.email != "beheerder-eigen@example.org"


def test_invitation_only_before_the_first_password(personas, mailoutbox):
    with pytest.raises(DomainError, match="al een wachtwoord"):
        user_invite(actor=personas.beheerder, user=personas.af)
    assert mailoutbox == []
    newcomer = member(Role.LEERKRACHT, personas.school, confirmed=False)
    newcomer.set_unusable_password()
    newcomer.save()
    user_update(actor=personas.beheerder, user=newcomer, first_name="N", last_name="N",
                email="nieuw@school.example")
    user_invite(actor=personas.beheerder, user=newcomer)


def test_last_beheerder_cannot_be_deactivated_by_another(personas):
    second = member(Role.BEHEERDER, board=personas.school.board)
    user_deactivate(actor=second, user=personas.beheerder)
    with pytest.raises(DomainError, match="minstens één functioneel beheerder"):
        user_deactivate(actor=personas.beheerder, user=second)


def test_reporter_who_left_the_school_no_longer_lists_a_meldplicht_case(personas):
    Case.objects.filter(pk=personas.case.pk).update(route="meldplicht")
    assert permissions.visible_cases(personas.teacher_on_case).exists()
    personas.teacher_on_case.memberships.all().delete()
    permissions.forget_roles(personas.teacher_on_case)
    assert not permissions.visible_cases(personas.teacher_on_case).exists()
