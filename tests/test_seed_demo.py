"""The demo data of `make run`: complete, domain-valid and idempotent."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from cases import permissions
from cases.models import Case, Observation, Phase, Student
from inspection.models import InspectionGrant
from meldcode.models import Membership, MembershipStatus, Role, School, User


def test_seed_demo_is_complete_and_idempotent(db):
    call_command("seed_demo", verbosity=0)
    counts = (User.objects.count(), Student.objects.count(), Case.objects.count(),
              Observation.objects.count(), AuditEvent.objects.count())
    call_command("seed_demo", verbosity=0)
    assert counts == (User.objects.count(), Student.objects.count(), Case.objects.count(),
                      Observation.objects.count(), AuditEvent.objects.count())

    assert School.objects.count() == 2
    # The demo inspecteur can start at once: one current grant, given by the bestuur.
    grant = InspectionGrant.objects.current().get(inspector__username="inspecteur")
    assert grant.created_by.username == "bestuur"
    assert [s.name for s in grant.schools.all()] == ["Basisschool De Regenboog"]
    # Every demo role is confirmed through the confirmation services, as a board would.
    assert set(Membership.objects.values_list("status", flat=True)) == {
        MembershipStatus.CONFIRMED}
    decided_by = {m.user.username: m.decided_by and m.decided_by.username
                  for m in Membership.objects.select_related("user", "decided_by")}
    assert decided_by["bestuur"] is None  # the first bestuur: at the command line
    assert decided_by["directie"] == "bestuur"  # the first directie of De Regenboog
    assert decided_by["af"] == decided_by["leerkracht"] == "directie"
    assert decided_by["af.kompas"] == "bestuur"  # Het Kompas has no directie
    assert decided_by["beheerder"] is None and decided_by["inspecteur"] is None
    af = User.objects.get(username="af")
    assert permissions.visible_cases(af).count() == Case.objects.filter(
        school__name__contains="Regenboog").count()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert Student.objects.count() >= 30
    phases = set(Case.objects.values_list("phase", flat=True))
    assert {Phase.SIGNALEREN, Phase.CONSULTATIE, Phase.GESPREK, Phase.WEGEN} <= phases
    # Every demo case got there through the services: a submitted observation each.
    for case in Case.objects.filter(school__name__contains="Regenboog"):
        assert case.observations.filter(status=Observation.Status.SUBMITTED).exists()
    # A teacher of school 2 exists, and sees none of school 1's cases.
    kompas_teacher = User.objects.get(username="leerkracht.kompas")
    assert not permissions.visible_cases(kompas_teacher).filter(
        school__name__contains="Regenboog").exists()


def test_the_demo_reset_refuses_without_debug(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    with pytest.raises(CommandError, match="alleen met DEBUG=1"):
        call_command("seed_demo", reset=True, verbosity=0)
    # Nothing was wiped.
    assert User.objects.filter(username="af").exists()
