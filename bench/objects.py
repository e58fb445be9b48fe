"""One of each object the rest of the matrix's pages show, on the heaviest school.

Made after the bulk COPY (bench/fill.py), through the services the way a school makes them:
an observation with an attachment and a draft, a case closed as unfounded that the daily
retention run puts on the vernietigingslijst, an access request, a disclosure and a
document job on the case with the sent melding, a pupil import waiting for its preview, a
board version of a signal list, an inspection grant and the yearly evaluation. Their ids go
to the board info (bench/results/board-<database>.json) for bench/measure.py.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import Case, PhaseConclusion, Student
from cases.services import consent as consent_services
from cases.services import documents as document_services
from cases.services import imports as import_services
from cases.services.cases import case_open
from cases.services.observations import (
    ObservationInput,
    StatementInput,
    attachment_add,
    observation_draft_save,
    observation_submit,
)
from cases.services.workflow import conclusion_record
from inspection.services.evaluations import evaluation_save
from inspection.services.grants import inspection_grant_create
from meldcode.models import Role, User
from meldcode.workdays import add_months, as_local_date, school_year_of
from privacy.services import requests as access_services
from retention.models import DestructionItem, RetentionPolicy
from retention.services.schedule import retention_apply
from signals_catalog.models import Signal, SignalList
from signals_catalog.services import ordered_categories, signal_add
from tests.pupil_data import HEADERS, as_csv

BAND = "4-12"
NEW_SIGNAL = "Komt zonder jas naar school, ook als het koud is"
# A scanned letter as schools attach them: a PDF of a quarter megabyte (its bytes are
# noise; only the start is checked).
SCAN_BYTES = 256 * 1024
NEW_PUPILS = 5


def one_of_each(*, board, school, people: dict, pupils: list, melding: dict,
                rng: random.Random) -> dict:
    """`pupils`: pupils of `school` without a case (two are used); `melding`: what
    fill._melding_case made. Returns the ids for the board info."""
    af, directie = people["af"], people["directie"]
    on_board = {role: User.objects.get(username=f"{role}.bench")
                for role in (Role.BESTUUR, Role.BEHEERDER, Role.INSPECTEUR)}
    today = timezone.localdate()
    grant = inspection_grant_create(
        actor=on_board[Role.BESTUUR], board=board, inspector=on_board[Role.INSPECTEUR],
        schools=[school], purpose="Onderzoek naar de meldcode", valid_from=today,
        valid_until=today + timedelta(days=90), period_start=today - timedelta(days=90),
        period_end=today)
    evaluation = evaluation_save(
        actor=directie, school=school, school_year=school_year_of(today),
        evaluation="De meldcode is dit jaar in elke casus gevolgd; het zorgteam kwam op tijd "
                   "bijeen.",
        actions="Scholing over het gesprek met ouders voor het hele team.")
    first_conclusion = (PhaseConclusion.objects.filter(case=melding["case"])
                        .order_by("recorded_at").values_list("pk", flat=True).first())
    return {
        **_observations(pupils[0], people, rng),
        "destruction_item": _on_the_destruction_list(pupils[1], people, board),
        **_handed_over(melding, af, directie, today),
        "conclusion_id": str(first_conclusion),
        "pupil_import": str(_pupil_import(school, people, af).pk),
        **_board_signal_list(board, on_board[Role.BEHEERDER]),
        "inspection_grant": str(grant.pk),
        "school_year": evaluation.school_year,
    }


def _typed(situation: str) -> ObservationInput:
    return ObservationInput(observed_at=timezone.now() - timedelta(days=1), place="Klas",
                            situation=situation,
                            statements=[StatementInput(kind="feit", text="Had een blauwe "
                                                       "plek op de bovenarm.")])


def _opened(pupil, people):
    student = Student.objects.get(pk=pupil.pk)
    teacher = people["teachers"][student.group][0]
    return case_open(actor=teacher, student=student).case, teacher


def _observations(pupil, people, rng) -> dict:
    """A new case: an observation recorded with an attachment, and the teacher's draft."""
    case, teacher = _opened(pupil, people)
    with_file = observation_draft_save(actor=teacher, case=case,
                                       data=_typed("Met het verslag van de jeugdarts."))
    scan = SimpleUploadedFile("verslag-jeugdarts.pdf",
                              b"%PDF-1.4\n" + rng.randbytes(SCAN_BYTES - 9),
                              content_type="application/pdf")
    attachment = attachment_add(actor=teacher, observation=with_file, upload=scan)
    observation_submit(actor=teacher, observation=with_file)
    draft = observation_draft_save(actor=teacher, case=case,
                                   data=_typed("Nog aan te vullen na de gymles."))
    return {"files_case": str(case.pk), "attachment_id": str(attachment.pk),
            "draft_id": str(draft.pk), "teacher": teacher.username}


def _on_the_destruction_list(pupil, people, board) -> str:
    """A case closed in step 1 as unfounded, listed by the daily run on the day its term
    ends (the board's policy: months after closing)."""
    case, teacher = _opened(pupil, people)
    recorded = observation_draft_save(actor=teacher, case=case,
                                      data=_typed("Tijdens het buitenspelen."))
    observation_submit(actor=teacher, observation=recorded)
    conclusion_record(actor=people["af"], case=case,
                      outcome=PhaseConclusion.Outcome.ONGEGROND,
                      argumentation="De ouders lieten de verklaring van de huisarts zien.")
    case = Case.objects.get(pk=case.pk)
    policy = RetentionPolicy.for_board(board)
    retention_apply(today=add_months(as_local_date(case.closed_at), policy.unfounded_months))
    return str(DestructionItem.objects.get(case_id=case.pk).pk)


def _handed_over(melding: dict, af, directie, today) -> dict:
    """On the case with the sent melding: the parents' access request (approved, so its
    copy can be made), written information to Veilig Thuis, and the dossier requested."""
    case = melding["case"]
    request = access_services.access_request_record(
        actor=af, case=case, requester="ouder", carer=melding["carer"],
        identity_checked="Paspoort", received_on=today)
    access_services.access_request_prepare(actor=af, request=request)
    access_services.access_request_approve(actor=directie, request=request)
    disclosure = consent_services.disclosure_record(
        actor=af, case=case, recipient="veilig_thuis", document="Verslag van de melding",
        sent_on=today)
    job = document_services.document_request(actor=af, case=case, kind="dossier")
    return {"access_request": str(request.pk), "disclosure": str(disclosure.pk),
            "document_job": str(job.pk)}


def _pupil_import(school, people, af):
    """The school's pupils as its administration exports them, plus a few new ones."""
    columns = HEADERS[:7]
    mail = {group: ";".join(t.email for t in teachers)
            for group, teachers in people["teachers"].items()}
    rows = [[s.pupil_number, s.first_name, "", s.last_name, f"{s.date_of_birth:%d-%m-%Y}",
             s.group, mail[s.group]]
            for s in Student.objects.filter(school=school).order_by("pupil_number")]
    born = timezone.localdate().replace(month=3, day=14)
    born = born.replace(year=born.year - 5)
    for k in range(NEW_PUPILS):
        rows.append([f"9{k:05d}", "Sem", "de", "Vries", f"{born:%d-%m-%Y}", "1", mail["1"]])
    return import_services.import_upload(actor=af, school=school, filename="leerlingen.csv",
                                         data=as_csv(rows, headers=columns))


def _board_signal_list(board, beheerder) -> dict:
    """The board's own version of the 4-12 list: the national one with a signal added."""
    national = SignalList.objects.get(age_band__code=BAND, board__isnull=True, is_current=True)
    category = ordered_categories(national)[0]
    own = signal_add(actor=beheerder, board=board, category=category, text=NEW_SIGNAL)
    signal = Signal.objects.get(category__signal_list=own, text=NEW_SIGNAL)
    return {"catalog_band": BAND, "catalog_version": own.version, "catalog_signal": signal.pk}
