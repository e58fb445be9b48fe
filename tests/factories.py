"""Factories that build domain-valid data: a case's people belong to its pupil's school."""

from datetime import date, timedelta

import factory
from django.contrib.auth.models import Permission
from django.utils import timezone

from cases.models import (
    Carer,
    Case,
    CaseUserObjectPermission,
    GroupPlacement,
    InjuryMark,
    Observation,
    Phase,
    SchoolGroup,
    Source,
    Statement,
    Student,
)
from cases.services import classification
from cases.services import workflow as wf
from decisions.afwegingskader import ONDERWIJS_2019, load
from decisions.services import reports as report_services
from decisions.services import weighing as weighing_services
from meldcode.models import BOARD_ROLES, Board, Membership, MembershipStatus, Role, School, User
from meldcode.permissions import forget_roles
from meldcode.services import beheer as services
from meldcode.services.beheer import RoleAssignment
from meldcode.workdays import local_today, school_year_of

PASSWORD = "test-wachtwoord-123"


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Stichting {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Basisschool {n}")
    vt_region = "Veilig Thuis Testregio"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@school.example")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    """A confirmed role (as every role in a running school is); `unconfirmed=True` for one
    that a beheerder just gave and nobody confirmed yet."""

    class Meta:
        model = Membership

    class Params:
        unconfirmed = factory.Trait(status=MembershipStatus.PENDING, decided_at=None)

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    board = factory.LazyAttribute(lambda m: m.school.board)
    role = Role.LEERKRACHT
    status = MembershipStatus.CONFIRMED
    decided_at = factory.LazyFunction(timezone.now)


def member(role: str, school: School | None = None, *, board: Board | None = None,
           confirmed: bool = True, **user_kw):
    """A user holding `role` at `school` (or, for board roles, at `board`)."""
    user = UserFactory(**user_kw)
    add_role(user, role, school=school, board=board, confirmed=confirmed)
    return user


def add_role(user, role, *, school=None, board=None, confirmed: bool = True):
    board = board or school.board
    MembershipFactory(user=user, board=board, school=None if role in BOARD_ROLES else school,
                      role=role, unconfirmed=not confirmed)
    forget_roles(user)
    return user


def invited_account(beheerder, school, **overrides):
    """A teacher account created (and invited) by the beheerder, through the service."""
    kwargs = {"username": "sanne.bakker", "first_name": "Sanne", "last_name": "Bakker",
              "email": "sanne@school.example",
              "roles": [RoleAssignment.at(Role.LEERKRACHT, school)]}
    kwargs.update(overrides)
    return services.user_create(actor=beheerder, **kwargs)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.SubFactory(SchoolFactory)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = date(2016, 5, 17)
    group = "groep 5"
    pupil_number = factory.Sequence(lambda n: f"{10000 + n}")


class CaseFactory(factory.django.DjangoModelFactory):
    """A case opened by a teacher of the pupil's school, who is on its team."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    student = factory.SubFactory(StudentFactory)
    school = factory.SelfAttribute("student.school")
    opened_by = factory.LazyAttribute(lambda c: member(Role.LEERKRACHT, c.student.school))
    phase = Phase.SIGNALEREN

    @factory.post_generation
    def team(obj, create, extracted, **kwargs):
        if not create:
            return
        grant_team(obj, obj.opened_by)
        for user in extracted or ():
            grant_team(obj, user)


def teach(student, *teachers, group: str = "", on=None, source=Source.IMPORT):
    """Make `teachers` the pupil's own teachers: teachers of the pupil's group in the school
    year of `on` (today by default)."""
    year = school_year_of(on or local_today())
    placement = GroupPlacement.objects.filter(student=student, school_year=year).first()
    if placement is None:
        name = group or student.group or f"groep-{student.pupil_number}"
        school_group, _ = SchoolGroup.objects.get_or_create(
            school=student.school, school_year=year, name=name, defaults={"source": source})
        placement = GroupPlacement.objects.create(student=student, group=school_group,
                                                  school_year=year, source=source)
    placement.group.teachers.add(*teachers)
    return placement.group


class CarerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carer

    name = factory.Faker("name", locale="nl_NL")
    relation = Carer.Relation.OUDER
    gezag = Carer.Gezag.JA
    gezag_checked = "Verklaring van de ouder"
    phone = "06-12345678"


def grant_team(case, user):
    permission = Permission.objects.get(content_type__app_label="cases", codename="view_case")
    CaseUserObjectPermission.objects.get_or_create(content_object=case, user=user,
                                                   permission=permission)


# --- Observations (step 1) -------------------------------------------------------------


class ObservationFactory(factory.django.DjangoModelFactory):
    """A submitted observation by the teacher who opened the case."""

    class Meta:
        model = "cases.Observation"

    case = factory.SubFactory(CaseFactory)
    author = factory.SelfAttribute("case.opened_by")
    status = "ingediend"
    place = "klaslokaal"
    situation = "Tijdens de gymles"
    submitted_at = factory.LazyFunction(timezone.now)


# --- Signal lists (signals_catalog) ----------------------------------------------------


def ensure_signal_lists():
    """Make sure the signal lists of the data migration are there (version 1, current).

    A transactional test (the browser tests) flushes every table afterwards, including the
    rows the data migration loaded; this loads them again, and does nothing when present.
    """
    import importlib

    from django.apps import apps

    migration = importlib.import_module("signals_catalog.migrations.0003_load_signal_lists")
    migration.load_signal_lists(apps)


def ensure_framework():
    """The afwegingskader of the data migration, loaded again after a flush (see above)."""
    from django.apps import apps

    return load(ONDERWIJS_2019, apps.get_model)


# --- Tasks (deadlines) -----------------------------------------------------------------


class TaskFactory(factory.django.DjangoModelFactory):
    """An open task on a case, owned by someone who can see it (the case's opener)."""

    class Meta:
        model = "cases.Task"

    case = factory.SubFactory(CaseFactory)
    kind = "fase1_termijn"
    title = "Signaleren afronden: conclusie fase 1 vastleggen"
    due_on = factory.LazyFunction(timezone.localdate)
    owner = factory.SelfAttribute("case.opened_by")
    source_event = "phase.entered"


# --- Chronology and werkaantekeningen --------------------------------------------------


class StatementFactory(factory.django.DjangoModelFactory):
    """A statement of an observation; a fact unless `kind="hypothese"`."""

    class Meta:
        model = "cases.Statement"

    observation = factory.SubFactory(ObservationFactory)
    kind = "feit"
    text = factory.Sequence(lambda n: f"Had een blauwe plek op de bovenarm ({n})")
    position = factory.Sequence(lambda n: n)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The parts of a submitted observation are frozen by a model guard; this stands for
        # a statement that was there when the observation was submitted.
        return model_class.objects.bulk_create([model_class(*args, **kwargs)])[0]


class FollowUpFactory(factory.django.DjangoModelFactory):
    """A follow-up note on a submitted observation, by its author unless told otherwise."""

    class Meta:
        model = "cases.ObservationFollowUp"

    observation = factory.SubFactory(ObservationFactory)
    statement = None
    kind = "correctie"
    text = factory.Sequence(lambda n: f"Aanvulling op de observatie ({n})")
    author = factory.SelfAttribute("observation.author")


class WorkNoteFactory(factory.django.DjangoModelFactory):
    """A private working note of the teacher who opened the case."""

    class Meta:
        model = "cases.WorkNote"

    case = factory.SubFactory(CaseFactory)
    author = factory.SelfAttribute("case.opened_by")
    text = factory.Sequence(lambda n: f"Privé werkaantekening {n}")


# --- Stappenplan (workflow) ------------------------------------------------------------


def walk_to(case, phase, *, actor):
    """Take `case` to `phase` the way a school would, through the workflow services: a
    submitted observation, conclusions, a zorgteam consultation and its plan van aanpak, a
    parent conversation, the weighing and a decision. `actor` is the school's AF (or directie)."""
    order = [Phase.SIGNALEREN, Phase.CONSULTATIE, Phase.GESPREK, Phase.WEGEN]
    today = timezone.localdate()
    case.refresh_from_db()
    if phase == case.phase:
        return case
    if case.phase == Phase.SIGNALEREN:
        if not Observation.objects.filter(case=case, status="ingediend").exists():
            ObservationFactory(case=case)
        wf.conclusion_record(actor=actor, case=case, outcome="twijfel_bevestiging",
                             argumentation="Meerdere signalen in korte tijd.")
    elif case.phase == Phase.CONSULTATIE:
        wf.consultation_record(actor=actor, case=case, kind="zorgteam",
                               participants="AF, OKA, jeugdarts", held_on=today,
                               advice="Gesprek met ouders voeren.")
        classification.plan_record(actor=actor, case=case, items=[
            ("Gesprek met de ouders voorbereiden", actor, today + timedelta(days=7))])
        wf.conclusion_record(actor=actor, case=case, outcome="twijfel_bevestiging",
                             argumentation="Het zorgteam deelt de zorg.")
    elif case.phase == Phase.GESPREK:
        wf.conversation_record(actor=actor, case=case, held_on=today,
                               school_participants=[actor], purpose_explained=True,
                               facts_described="Blauwe plekken op de armen.",
                               reaction_invited=True, reaction="Ouders herkennen het niet.",
                               summary="Over twee weken opnieuw spreken.")
        wf.conclusion_record(actor=actor, case=case, outcome="twijfel_bevestiging",
                             argumentation="De zorg blijft.")
        wf.weighing_start(actor=actor, case=case)
    elif case.phase == Phase.WEGEN and phase in (Phase.HULP, Phase.MELDING, Phase.MONITOREN):
        ensure_framework()  # a transactional test before may have flushed it
        directie = school_directie(case)
        if phase == Phase.HULP:
            weigh(case, {1: "B", 2: "A", 3: "B", 4: "B"}, answerer=actor, directie=directie)
            decide(case, "help", directie=directie, consulted=actor)
        else:
            weigh(case, {1: "B", 2: "B"}, answerer=actor, directie=directie)
            decide(case, "melding", directie=directie, consulted=actor)
    elif case.phase == Phase.MELDING and phase == Phase.MONITOREN:
        directie = school_directie(case)
        for report in case.reports.filter(sending__isnull=True):
            make_report(report, drafter=actor, directie=directie)
        wf.monitoring_start(actor=actor, case=case, note="Melding gedaan; leerling volgen.")
    elif case.phase == Phase.WEGEN and phase == Phase.GESLOTEN:
        ensure_framework()
        directie = school_directie(case)
        weigh(case, {1: "A"}, answerer=actor, directie=directie)
        decide(case, "close", directie=directie, consulted=actor)
    elif case.phase in order:
        raise AssertionError(f"walk_to cannot reach {phase} from {case.phase}")
    else:
        raise AssertionError(f"walk_to cannot leave {case.phase}")
    return walk_to(case, phase, actor=actor)


def school_directie(case):
    """The school's directie (made when the test has none): directie decides steps 4-5."""
    found = User.objects.filter(memberships__school_id=case.school_id,
                                memberships__role=Role.DIRECTIE).first()
    return found or member(Role.DIRECTIE, case.school)


def weigh(case, choices: dict, *, answerer, directie, doubt=False):
    """Answer afwegingen in order ({1: "B", 2: "A", ...}); directie confirms step 4 after
    the first answer, as the service demands."""
    today = timezone.localdate()
    for number, code in sorted(choices.items()):
        weighing_services.answer_record(
            actor=answerer, case=case, number=number, option_code=code,
            argumentation=f"Argumentatie bij afweging {number}.",
            is_doubt=doubt and number == 2 and code == "B",
            vt_contact="Mevr. de Wit (Veilig Thuis)",
            authority_informed_on=today if number == 1 else None,
            authority_informed_by="De directeur" if number == 1 else "")
        if number == 1:
            weighing_services.conclusion_confirm(actor=directie, case=case, consulted=answerer,
                                                 note="Conclusie na overleg.")


def decide(case, outcome, *, directie, consulted):
    return weighing_services.decision_confirm(actor=directie, case=case, outcome=outcome,
                                              consulted=consulted, note="Besluit na overleg.")


def make_report(report, *, drafter, directie):
    """Take a melding's draft to sent: a fact, submitted, approved, discussed, sent."""
    report_services.report_fact_add(actor=drafter, report=report, text="Blauwe plekken.",
                                    occurred_on=timezone.localdate())
    if report.approved_at is None:
        report_services.report_submit(actor=drafter, report=report)
        report_services.report_approve(actor=directie, report=report, confirmed=True)
    report_services.report_conversation_record(
        actor=drafter, report=report, held_on=timezone.localdate(), held_by="AF en directie",
        with_pupil=report.case.student.age_on(timezone.localdate()) >= 12,
        why_and_aim="Uitgelegd waarom we melden.", reaction="Ouders begrijpen het.",
        conclusion="Melding wordt gedaan.")
    report_services.report_send(actor=drafter, report=report, sent_at=timezone.now(),
                                channel="telefoon", vt_contact="Mevr. de Wit",
                                vt_reference="VT-2026-001")


# --- Observations (step 1): parts added before the observation is frozen ---------------


def freeze(*observations):
    """Submit observations whose parts a test attached while they were drafts.

    The database refuses parts on a submitted observation, so tests build them the way
    the submit service does: the draft first, then its parts, then frozen."""
    pks = [o.pk for o in observations]
    Observation.objects.filter(pk__in=pks, submitted_at__isnull=True).update(
        submitted_at=timezone.now())
    Observation.objects.filter(pk__in=pks).update(status=Observation.Status.SUBMITTED)
    for observation in observations:
        observation.status = Observation.Status.SUBMITTED
    return observations[0] if len(observations) == 1 else observations


def submitted_observation(case, *, author=None, statements=(), injuries=(), signals=(),
                          **fields):
    """A submitted observation built the legal way: parts first, then frozen."""
    observation = ObservationFactory(case=case, author=author or case.opened_by,
                                     status="concept", submitted_at=None, **fields)
    for position, (kind, text) in enumerate(statements):
        Statement.objects.create(observation=observation, kind=kind, text=text,
                                 position=position)
    for injury in injuries:
        InjuryMark.objects.create(observation=observation, **injury)
    observation.signals.add(*signals)
    freeze(observation)
    observation.refresh_from_db()
    return observation
