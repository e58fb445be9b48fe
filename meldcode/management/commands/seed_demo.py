"""Demo data: one board, two schools, a user for every role, ~30 pupils, some cases.

Idempotent: running it twice changes nothing. Demo passwords are for local use only.
"""

import os
from datetime import date, timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from cases.models import Case, GroupPlacement, Phase, SchoolGroup, Source, Statement, Student
from cases.services import classification
from cases.services import workflow as workflow
from cases.services.cases import case_open
from cases.services.observations import (
    InjuryInput,
    ObservationInput,
    StatementInput,
    observation_draft_save,
    observation_submit,
)
from inspection.models import InspectionGrant
from inspection.services.grants import inspection_grant_create
from meldcode import permissions
from meldcode.models import (
    ROLES_NEEDING_CONFIRMATION,
    Board,
    Membership,
    MembershipStatus,
    Role,
    School,
    User,
)
from meldcode.services.confirmation import first_bestuur_confirm, membership_confirm
from meldcode.workdays import school_year_bounds, school_year_of
from signals_catalog.services import signals_for

DEMO_PASSWORD = "meldcode-demo"

VT_REGION = "Veilig Thuis Amsterdam-Amstelland"
SCHOOLS = [
    {"name": "Basisschool De Regenboog", "brin": "01AB", "vt_region": VT_REGION,
     "wijkagent": "Wijkagent R. de Boer, 0900-8844", "oka_contact": "S. Smit (OKA), 020-1234567"},
    {"name": "Basisschool Het Kompas", "brin": "02CD", "vt_region": VT_REGION,
     "wijkagent": "Wijkagent M. Yilmaz, 0900-8844", "oka_contact": "K. Dekker (OKA), 020-7654321"},
]

# username, first, last, role, school index (None for board roles)
USERS = [
    ("leerkracht", "Fatima", "el Amrani", Role.LEERKRACHT, 0),
    ("leerkracht2", "Pieter", "de Vries", Role.LEERKRACHT, 0),
    ("af", "Anneke", "Bakker", Role.AANDACHTSFUNCTIONARIS, 0),
    ("directie", "Hans", "Visser", Role.DIRECTIE, 0),
    ("oka", "Sanne", "Smit", Role.OKA, 0),
    ("beheerder", "Bram", "Jacobs", Role.BEHEERDER, None),
    ("bestuur", "Marijke", "van Dijk", Role.BESTUUR, None),
    ("inspecteur", "Joost", "Hendriks", Role.INSPECTEUR, None),
    ("leerkracht.kompas", "Lotte", "Mulder", Role.LEERKRACHT, 1),
    ("af.kompas", "Yusuf", "Demir", Role.AANDACHTSFUNCTIONARIS, 1),
]

FIRST_NAMES = ["Noah", "Emma", "Liam", "Julia", "Lucas", "Mila", "Finn", "Tess", "Sem", "Sophie",
               "Daan", "Zoë", "Levi", "Nora", "Milan", "Saar", "Luuk", "Evi", "Adam", "Anna",
               "Mees", "Yara", "Sam", "Lynn", "Bram", "Fenna", "Jesse", "Lotte", "Ayoub", "Amira",
               "Ravi", "Ilse"]
LAST_NAMES = ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
              "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
              "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
              "de Graaf", "van der Meer", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel",
              "Kaya", "Ramdin"]

DEMO_CASE_PHASES = [Phase.SIGNALEREN, Phase.SIGNALEREN, Phase.CONSULTATIE, Phase.GESPREK,
                    Phase.WEGEN]


class Command(BaseCommand):
    help = "Laad demogegevens (idempotent); met --reset eerst alles wissen (alleen DEBUG)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true",
            help="Wis de hele database en bouw haar opnieuw op voor de demo. Alleen met "
                 "DEBUG=1: een dossier, de audittrail en het toegangslog wissen mag nooit "
                 "in productie.")

    def handle(self, *args, reset=False, **options):
        if reset:
            reset_database(self.stdout)
        self.seed()

    # Demo accounts have made-up addresses; nothing is mailed while seeding.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    @transaction.atomic
    def seed(self):
        board, _ = Board.objects.get_or_create(name="Stichting Voorbeeldscholen")
        schools = []
        for data in SCHOOLS:
            school, _ = School.objects.get_or_create(board=board, name=data["name"],
                                                     defaults=data)
            schools.append(school)

        users, memberships = {}, []
        for username, first, last, role, school_index in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last,
                          "email": f"{username}@voorbeeldscholen.example"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            school = schools[school_index] if school_index is not None else None
            # As the beheer service does: a role that opens no dossier counts at once.
            at_once = ({} if role in ROLES_NEEDING_CONFIRMATION else
                       {"status": MembershipStatus.CONFIRMED, "decided_at": timezone.now()})
            membership, _ = Membership.objects.get_or_create(
                user=user, board=board, school=school, role=role, defaults=at_once)
            users[username] = user
            memberships.append(membership)
        confirm_demo_roles(memberships)

        today = timezone.localdate()
        students = []
        for i in range(32):
            school = schools[0] if i < 26 else schools[1]
            group_number = 1 + i % 8
            age = 4 + group_number - 1
            born = date(today.year - age, 1 + (i * 5) % 12, 1 + (i * 7) % 28)
            student, _ = Student.objects.get_or_create(
                school=school, pupil_number=f"{1000 + i}",
                defaults={"first_name": FIRST_NAMES[i], "last_name": LAST_NAMES[i],
                          "date_of_birth": born, "group": f"groep {group_number}"},
            )
            teacher = users["leerkracht"] if school == schools[0] and group_number <= 4 else (
                users["leerkracht2"] if school == schools[0] else users["leerkracht.kompas"])
            # As an import from the administration would: the group of this school year.
            group, _ = SchoolGroup.objects.get_or_create(
                school=school, school_year=school_year_of(today), name=student.group,
                defaults={"source": Source.IMPORT})
            group.teachers.add(teacher)
            GroupPlacement.objects.get_or_create(student=student, school_year=group.school_year,
                                                 defaults={"group": group})
            students.append(student)

        for student, phase in zip(students[:len(DEMO_CASE_PHASES)], DEMO_CASE_PHASES,
                                  strict=True):
            if Case.objects.filter(student=student).exists():
                continue
            result = case_open(actor=users["leerkracht"], student=student)
            demo_observation(result.case, users["leerkracht"])
            if phase != Phase.SIGNALEREN:
                walk_demo_case(result.case, phase, teacher=users["leerkracht"], af=users["af"],
                               oka=users["oka"])
        kompas_student = students[-1]
        if not Case.objects.filter(student=kompas_student).exists():
            case_open(actor=users["leerkracht.kompas"], student=kompas_student)

        demo_inspection_grant(board, schools[0], users)

        self.stdout.write(self.style.SUCCESS(
            f"Demogegevens klaar: {len(schools)} scholen, {len(users)} gebruikers, "
            f"{len(students)} leerlingen. Wachtwoord voor alle demo-accounts: {DEMO_PASSWORD}"
        ))


def demo_inspection_grant(board, school, users):
    """The demo inspecteur has a current grant for De Regenboog (this school year), given by
    the bestuur through the service; a new one only once the previous one has run out."""
    inspector = users["inspecteur"]
    if InspectionGrant.objects.current().filter(inspector=inspector).exists():
        return
    today = timezone.localdate()
    start, _end = school_year_bounds(school_year_of(today))
    inspection_grant_create(
        actor=users["bestuur"], board=board, inspector=inspector, schools=[school],
        purpose="Demo: onderzoek naar de werking van de meldcode", valid_from=today,
        valid_until=today + timedelta(days=90), period_start=start, period_end=today)


def reset_database(out) -> None:
    """Start the demo afresh. The audit trail, the access log and the stappenplan records
    refuse UPDATE, DELETE and TRUNCATE (that is their point), so nothing is deleted row by
    row: the tables go, and the migrations build them again (with the signal lists and the
    afwegingskader they load)."""
    if not settings.DEBUG:
        raise CommandError("--reset wist alle gegevens en kan alleen met DEBUG=1 (demo en "
                           "ontwikkeling), nooit in productie.")
    vendor = connection.vendor
    if vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        connection.close()
        if name not in ("", ":memory:") and os.path.exists(name):
            os.remove(name)
    elif vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = "
                           "current_schema()")
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:
                cursor.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')
    else:
        raise CommandError(f"--reset kent de database {vendor!r} niet.")
    out.write("Database gewist; de migraties bouwen haar opnieuw op.")
    call_command("migrate", interactive=False, verbosity=0)


def confirm_demo_roles(memberships):
    """Confirm the demo roles the way a board would: the bestuur first (at the command
    line, as the first bestuur of a board is), then it confirms the first directie, then
    the directie (or, at a school without one, the bestuur) confirms the rest."""
    order = {Role.BESTUUR: 0, Role.DIRECTIE: 1}
    for membership in sorted(memberships, key=lambda m: order.get(m.role, 2)):
        membership.refresh_from_db()
        if not membership.is_pending:
            continue
        confirmer = permissions.confirmers_of(membership).first()
        if confirmer is None and membership.role == Role.BESTUUR:
            first_bestuur_confirm(membership=membership, via="seed_demo")
        else:
            membership_confirm(actor=confirmer, membership=membership)


def demo_observation(case, teacher):
    """A submitted observation, logged through the same services as the form."""
    observed_at = timezone.now() - timedelta(days=20)
    categories = signals_for(case.student, observed_at)
    listed = [signal for category in categories for signal in category.signals_for_age]
    draft = observation_draft_save(actor=teacher, case=case, data=ObservationInput(
        observed_at=observed_at, place="Klaslokaal", situation="Bij binnenkomst in de ochtend",
        present="Leerkracht en klasgenoten", signals=listed[:2],
        statements=[
            StatementInput(kind=Statement.Kind.FACT, text="Blauwe plekken op beide bovenarmen."),
            StatementInput(kind=Statement.Kind.HYPOTHESIS, text="Mogelijk stevig vastgepakt."),
        ],
        injuries=[InjuryInput(side="voor", region="linkerarm", kind="blauwe_plek",
                              size="ca. 3 cm", description="Geelgroen, enkele dagen oud")],
    ))
    return observation_submit(actor=teacher, observation=draft)


def walk_demo_case(case, phase, *, teacher, af, oka):
    """Take a demo case to `phase` through the stappenplan services, step by step, as a
    school would: a submitted observation, conclusions, a zorgteam consultation with its
    plan van aanpak and a conversation with the parents."""
    today = timezone.localdate()
    workflow.conclusion_record(actor=af, case=case, outcome="twijfel_bevestiging",
                               argumentation="Herhaalde signalen in korte tijd.")
    if phase == Phase.CONSULTATIE:
        return
    workflow.coordinator_set(actor=af, case=case, coordinator=oka)
    workflow.consultation_record(
        actor=af, case=case, kind="zorgteam", participants="AF, OKA, jeugdarts",
        held_on=today - timedelta(days=10), advice="Gesprek met de ouders voeren.",
        action_points="AF en OKA plannen het gesprek.", time_limit=today + timedelta(days=21))
    classification.plan_record(actor=af, case=case, items=[
        ("Gesprek met de ouders plannen", oka, today + timedelta(days=7)),
        ("Leerling observeren in de klas", af, today + timedelta(days=14))])
    workflow.conclusion_record(actor=af, case=case, outcome="twijfel_bevestiging",
                               argumentation="Het zorgteam deelt de zorg.")
    if phase == Phase.GESPREK:
        return
    workflow.conversation_record(
        actor=af, case=case, held_on=today - timedelta(days=3), school_participants=[af, oka],
        other_participants="Moeder", purpose_explained=True,
        facts_described="De blauwe plekken en het stille gedrag in de klas.",
        reaction_invited=True, reaction="Moeder herkent het stille gedrag, niet de plekken.",
        summary="Over twee weken opnieuw in gesprek.", report_signed=True)
    workflow.conclusion_record(actor=af, case=case, outcome="twijfel_bevestiging",
                               argumentation="De zorg blijft na het gesprek.")
    workflow.weighing_start(actor=af, case=case)
