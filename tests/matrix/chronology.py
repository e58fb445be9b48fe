"""Matrix rows for the chronology and work notes."""

from cases.models import Phase, PhaseConclusion
from decisions.models import Answer
from tests.factories import WorkNoteFactory, walk_to, weigh
from tests.matrix.core import NOT_FOUND_OUTSIDE_TEAM
from tests.matrix.rows import Row, everyone

# Everyone who may view the case: the AF, directie and the teacher on the case team.
CASE_VIEWERS = everyone(200, **NOT_FOUND_OUTSIDE_TEAM, oka=404)


def _teachers_note(p):
    return {"note": WorkNoteFactory(case=p.case, author=p.teacher_on_case)}


def _case(p):
    return {"case_id": p.case.pk}


def _note(p):
    return {"case_id": p.case.pk, "note_id": p.extra["note"].pk}


def _conclusion(p):
    return {"record": PhaseConclusion.objects.create(
        case=p.case, recorded_by=p.af, phase=Phase.SIGNALEREN, outcome="twijfel_bevestiging",
        argumentation="Meerdere signalen.")}


def _answer(p):
    walk_to(p.case, Phase.WEGEN, actor=p.af)
    weigh(p.case, {1: "B"}, answerer=p.af, directie=p.directie)
    return {"record": Answer.objects.get(weighing__case=p.case)}


def _record(kind):
    return lambda p: {"case_id": p.case.pk, "kind": kind, "record_id": p.extra["record"].pk}


# A note is its author's alone: everyone else gets 404, the team's AF and directie too.
AUTHOR_ONLY = everyone(404, anonymous=302, teacher_on_case=302)

ROWS = [
    Row("case_chronology", CASE_VIEWERS, kwargs=_case),
    Row("case_chronology", CASE_VIEWERS, kwargs=_case, query="soort=observation",
        label="GET case_chronology (filtered)"),
    Row("case_chronology_print", CASE_VIEWERS, kwargs=_case, recent_auth=True),
    # Viewers confirm password and code first; outsiders still get 404.
    Row("case_chronology_print", everyone(302, **NOT_FOUND_OUTSIDE_TEAM, oka=404),
        kwargs=_case, label="GET case_chronology_print (not confirmed)"),
    # Every record on its own page: whoever reads the chronology (as today), nobody else.
    Row("case_record", CASE_VIEWERS, kwargs=_record("conclusion"), setup=_conclusion,
        label="GET case_record (conclusion)"),
    Row("case_record", CASE_VIEWERS, kwargs=_record("weighing"), setup=_answer,
        label="GET case_record (weighing answer)"),
    Row("worknote_list", CASE_VIEWERS, kwargs=_case),
    Row("worknote_add", everyone(302, **NOT_FOUND_OUTSIDE_TEAM, oka=404),
        method="post", kwargs=_case, data=lambda p: {"text": "Eigen aantekening"}),
    Row("worknote_update", AUTHOR_ONLY, method="post", kwargs=_note, setup=_teachers_note,
        data=lambda p: {"text": "Gewijzigde aantekening"}),
    Row("worknote_delete", AUTHOR_ONLY, method="post", kwargs=_note, setup=_teachers_note),
]
