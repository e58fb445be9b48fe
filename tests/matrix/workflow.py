"""Matrix rows for the stappenplan pages, and for who sees a case after the meldplicht switch.

In the personas fixture the case is opened by `teacher_on_case` (the reporter), who is also
one of the pupil's own teachers.
"""


from django.utils import timezone

from cases.models import Case, Conversation, Phase, PhaseConclusion
from cases.services import meldplicht as mp
from tests.factories import ObservationFactory
from tests.matrix.core import NOT_FOUND_OUTSIDE_TEAM
from tests.matrix.rows import Row, everyone

OUTSIDE = {
    "teacher_not_on_case": 404, "oka": 404, "beheerder": 404, "bestuur": 404,
    "inspecteur": 404, "teacher_other_school": 404, "af_other_school": 404,
}
# On a meldplicht case: only the reporter, directie and bestuur see it.
MELDPLICHT_HIDDEN = {
    "teacher_not_on_case": 404, "oka": 404, "af": 404, "beheerder": 404, "inspecteur": 404,
    "teacher_other_school": 404, "af_other_school": 404,
}


def _case(p):
    return {"case_id": p.case.pk}


def _form(action):
    return lambda p: {"case_id": p.case.pk, "action": action}


def _observed(p):
    ObservationFactory(case=p.case)
    return {}


def _ready_to_weigh(p):
    # Permission rows only need the state; the walk through the services is tested elsewhere.
    Case.objects.filter(pk=p.case.pk).update(phase=Phase.GESPREK)
    Conversation.objects.create(case=p.case, phase=Phase.GESPREK, held_on=timezone.localdate(),
                                facts_described="f", reaction="r", summary="s",
                                recorded_by=p.af)
    PhaseConclusion.objects.create(case=p.case, phase=Phase.GESPREK,
                                   outcome="twijfel_bevestiging", argumentation="a",
                                   recorded_by=p.af)
    return {}


def _closed(p):
    Case.objects.filter(pk=p.case.pk).update(phase=Phase.GESLOTEN, closed_at=timezone.now())
    return {}


def _meldplicht_by_reporter(p):
    mp.meldplicht_switch(actor=p.teacher_on_case, case=p.case, reason="Stagiair verdacht")
    return {}


def _meldplicht_reported_by_af(p):
    # The AF reported; the teacher is on the team only by a grant.
    p.case.opened_by = p.af
    p.case.save(update_fields=["opened_by"])
    mp.meldplicht_switch(actor=p.directie, case=p.case, reason="Medewerker verdacht")
    return {}


def _af_excluded(p):
    mp.case_exclusion_add(actor=p.directie, case=p.case, person=p.af, reason="Familie")
    return {}


def _directie_suspected(p):
    mp.meldplicht_switch(actor=p.teacher_on_case, case=p.case, reason="De directeur",
                         suspect=p.directie)
    return {}


def _meldplicht_data(p):
    today = timezone.localdate().isoformat()
    return {"inspector_contact_on": today, "inspector_notes": "Gebeld",
            "redelijk_vermoeden": "nee", "aangifte": "nee", "aangifte_on": today,
            "aangifte_reasoning": "Geen strafbaar feit"}


ROWS = [
    # The exclusion list keeps a named person out whatever their role (here the AF).
    Row("case_detail", everyone(200, **NOT_FOUND_OUTSIDE_TEAM, oka=404, af=404),
        kwargs=lambda p: {"case_id": p.case.pk}, setup=_af_excluded,
        label="GET case_detail (the AF is on the exclusion list)"),
    Row("case_workflow_form", everyone(200, **NOT_FOUND_OUTSIDE_TEAM, oka=404, af=404,
                                       teacher_on_case=403),
        kwargs=_form("exclude_person"), setup=_af_excluded,
        label="GET exclude_person (the AF is on the exclusion list)"),
    # The directie is the suspect: only the reporter and the bestuur see the case.
    Row("case_detail", everyone(404, anonymous=302, teacher_on_case=200, bestuur=200),
        kwargs=lambda p: {"case_id": p.case.pk}, setup=_directie_suspected,
        label="GET case_detail (meldplicht, the directie is suspected)"),
    Row("case_workflow_form", everyone(200, **OUTSIDE), kwargs=_form("conclude_doubt"),
        setup=_observed, label="GET conclude_doubt (step 1)"),
    Row("case_workflow_form", everyone(200, **OUTSIDE, teacher_on_case=403),
        kwargs=_form("set_coordinator"), label="GET set_coordinator"),
    Row("case_workflow_form", everyone(200, **OUTSIDE, teacher_on_case=403),
        kwargs=_form("reopen"), label="GET reopen on an open case (explains why not)"),
    Row("case_workflow_form", everyone(404), kwargs=_form("bestaat_niet"),
        label="GET unknown action"),
    Row("case_workflow_action", everyone(302, **OUTSIDE), method="post",
        kwargs=lambda p: {"case_id": p.case.pk, "action": "conclude_doubt"},
        data=lambda p: {"argumentation": "Meerdere signalen"}, setup=_observed,
        label="POST conclude_doubt (step 1)"),
    Row("case_workflow_action", everyone(302, **OUTSIDE, teacher_on_case=403), method="post",
        kwargs=lambda p: {"case_id": p.case.pk, "action": "set_coordinator"},
        data=lambda p: {"coordinator": p.directie.pk}, label="POST set_coordinator"),
    Row("case_workflow_action", everyone(302, **OUTSIDE, teacher_on_case=403), method="post",
        kwargs=lambda p: {"case_id": p.case.pk, "action": "start_weighing"},
        setup=_ready_to_weigh, label="POST start_weighing"),
    Row("case_workflow_action", everyone(302, **OUTSIDE), method="post",
        kwargs=lambda p: {"case_id": p.case.pk, "action": "switch_meldplicht"},
        data=lambda p: {"kind": "zedendelict", "reason": "Medewerker verdacht"},
        label="POST switch_meldplicht"),
    Row("case_workflow_action", everyone(302, **OUTSIDE, teacher_on_case=403), method="post",
        kwargs=lambda p: {"case_id": p.case.pk, "action": "reopen"}, setup=_closed,
        data=lambda p: {"reason": "Nieuwe signalen"}, label="POST reopen"),
    # Meldplicht: the reporter keeps the case, the AF and the team lose it, bestuur gains it.
    Row("case_detail", everyone(200, **MELDPLICHT_HIDDEN), kwargs=_case,
        setup=_meldplicht_by_reporter, label="case_detail after meldplicht (teacher reported)"),
    Row("case_detail", everyone(200, **{**MELDPLICHT_HIDDEN, "teacher_on_case": 404, "af": 200}),
        kwargs=_case, setup=_meldplicht_reported_by_af,
        label="case_detail after meldplicht (AF reported)"),
    Row("case_workflow_form", everyone(403, **MELDPLICHT_HIDDEN, bestuur=200),
        kwargs=_form("record_meldplicht"), setup=_meldplicht_by_reporter,
        label="GET record_meldplicht"),
    Row("case_workflow_action", everyone(403, **MELDPLICHT_HIDDEN, bestuur=302),
        method="post", kwargs=lambda p: {"case_id": p.case.pk, "action": "record_meldplicht"},
        data=_meldplicht_data, setup=_meldplicht_by_reporter, label="POST record_meldplicht"),
    Row("case_workflow_form", everyone(200, **MELDPLICHT_HIDDEN, bestuur=403,
                                       teacher_on_case=403),
        kwargs=_form("record_consultation"), setup=_meldplicht_by_reporter,
        label="GET record_consultation on a meldplicht case (explains why not)"),
]
