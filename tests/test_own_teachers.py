"""Who is the pupil's own teacher: the coordinator rule (seed 000, Stap 2) with imported
teachers, with a teaching AF, and again when the teacher assignment changes."""

import pytest

from audit.models import AuditEvent
from cases.errors import DomainError
from cases.models import Notification, SchoolGroup
from cases.selectors.task_owners import coordinators
from cases.services import imports
from cases.services import pupils as pupil_services
from cases.services import workflow as wf
from meldcode.models import Role
from tests.factories import CaseFactory, SchoolFactory, StudentFactory, add_role, member
from tests.pupil_data import as_csv


@pytest.fixture
def school_with_case(db):
    school = SchoolFactory()
    people = {
        "juf": member(Role.LEERKRACHT, school, email="juf@school.example"),
        "meester": member(Role.LEERKRACHT, school, email="meester@school.example"),
        "ib": member(Role.AANDACHTSFUNCTIONARIS, school, email="ib@school.example"),
        "directie": member(Role.DIRECTIE, school, email="dir@school.example"),
    }
    # A coordinator is a member of the zorgteam (C-6): juf and meester teach, and are OKA
    # too, so the rule about the pupil's own teacher is what decides.
    for name in ("juf", "meester"):
        add_role(people[name], Role.OKA, school=school)
    pupil = StudentFactory(school=school, pupil_number="501", first_name="Noah",
                           last_name="Jansen")
    case = CaseFactory(student=pupil)
    return school, people, pupil, case


def _import(school, *teachers, group="5b"):
    row = ["501", "Noah", "", "Jansen", "03-04-2017", group, ";".join(teachers)]
    return imports.import_run(actor=None, school=school,
                              data=as_csv([row], headers=["Leerlingnummer", "Roepnaam",
                                                          "Tussenvoegsel", "Achternaam",
                                                          "Geboortedatum", "Groep",
                                                          "Leerkracht e-mail"]))


def test_an_imported_teacher_is_never_the_coordinator(school_with_case):
    school, people, _pupil, case = school_with_case
    assert people["juf"] in wf.coordinator_candidates(case)  # nothing imported yet
    _import(school, "juf@school.example")
    assert people["juf"] not in wf.coordinator_candidates(case)
    assert people["meester"] in wf.coordinator_candidates(case)
    with pytest.raises(DomainError, match="nooit een eigen leerkracht"):
        wf.coordinator_set(actor=people["ib"], case=case, coordinator=people["juf"])
    wf.coordinator_set(actor=people["ib"], case=case, coordinator=people["meester"])


def test_a_teaching_af_is_neither_coordinator_nor_the_fallback(school_with_case):
    school, people, _pupil, case = school_with_case
    assert coordinators(case) == [people["ib"]]
    _import(school, "IB@school.example")  # e-mail matched without regard to case
    assert people["ib"] not in wf.coordinator_candidates(case)
    with pytest.raises(DomainError, match="nooit een eigen leerkracht"):
        wf.coordinator_set(actor=people["directie"], case=case, coordinator=people["ib"])
    # The deadlines go to another AF, or else to the directie.
    assert coordinators(case) == [people["directie"]]
    other_ib = member(Role.AANDACHTSFUNCTIONARIS, school)
    assert coordinators(case) == [other_ib]


def test_a_new_teacher_assignment_is_checked_again(school_with_case):
    school, people, _pupil, case = school_with_case
    wf.coordinator_set(actor=people["ib"], case=case, coordinator=people["meester"])
    _import(school, "juf@school.example")
    assert not Notification.objects.filter(kind="coordinator_own_teacher").exists()

    # The new school year (or a change in the administration): meester teaches the group.
    _import(school, "juf@school.example", "meester@school.example")
    notified = set(Notification.objects.filter(kind="coordinator_own_teacher", case=case)
                   .values_list("recipient__username", flat=True))
    assert notified == {people["ib"].username, people["directie"].username}
    event = AuditEvent.objects.get(action="case.coordinator.own_teacher")
    assert event.data["coordinator"] == people["meester"].pk
    case.refresh_from_db()
    assert case.coordinator == people["meester"]  # kept until someone chooses another


def test_the_af_sets_group_and_teachers_by_hand_where_there_is_no_import(school_with_case):
    school, people, pupil, case = school_with_case
    wf.coordinator_set(actor=people["ib"], case=case, coordinator=people["meester"])
    pupil_services.student_group_set(actor=people["ib"], student=pupil, group_name="5b",
                                     teachers=[people["meester"]])
    assert people["meester"] not in wf.coordinator_candidates(case)
    assert Notification.objects.filter(kind="coordinator_own_teacher", case=case,
                                       recipient=people["directie"]).exists()
    pupil.refresh_from_db()
    assert pupil.group == "5b"
    with pytest.raises(DomainError):  # only the AF
        pupil_services.student_group_set(actor=people["directie"], student=pupil,
                                         group_name="5b", teachers=[])


def test_an_imported_group_is_not_changed_by_hand(school_with_case):
    school, people, pupil, _case = school_with_case
    _import(school, "juf@school.example")
    with pytest.raises(DomainError, match="leerlingadministratie"):
        pupil_services.student_group_set(actor=people["ib"], student=pupil, group_name="5b",
                                         teachers=[people["meester"]])
    assert list(SchoolGroup.objects.get(school=school, name="5b").teachers.all()) == [
        people["juf"]]


def test_a_hand_made_group_becomes_the_import_s_when_the_school_imports(school_with_case):
    school, people, pupil, case = school_with_case
    pupil_services.student_group_set(actor=people["ib"], student=pupil, group_name="5b",
                                     teachers=[people["meester"]])
    _import(school, "juf@school.example")
    group = SchoolGroup.objects.get(school=school, name="5b")
    assert group.source == "import"
    assert list(group.teachers.all()) == [people["juf"]]
    assert people["meester"] in wf.coordinator_candidates(case)
