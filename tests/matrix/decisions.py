"""Matrix rows for steps 4-5: the afwegingskader, the help route, the melding and its
documents. A teacher on the case sees that a melding exists and its state, never the
draft's text (tests/test_report_views.py checks the text); the beheerder sees nothing."""

from datetime import timedelta

from django.utils import timezone

from cases.models import Case, Phase
from decisions.services import reports as report_services
from decisions.services.weighing import answer_record
from tests.factories import make_report, walk_to, weigh
from tests.matrix.rows import Row, everyone

OUTSIDE = {
    "teacher_not_on_case": 404, "oka": 404, "beheerder": 404, "bestuur": 404,
    "inspecteur": 404, "teacher_other_school": 404, "af_other_school": 404,
}
AF_D = everyone(200, **OUTSIDE, teacher_on_case=403)


def _case(p):
    return {"case_id": p.case.pk}


def _phase(phase):
    def setup(p):
        Case.objects.filter(pk=p.case.pk).update(phase=phase)
        return {}
    return setup


def _weighing(p):
    walk_to(p.case, Phase.WEGEN, actor=p.af)
    return {}


def _q1_answered(p):
    walk_to(p.case, Phase.WEGEN, actor=p.af)
    weigh(p.case, {1: "B"}, answerer=p.af, directie=p.directie)
    return {}


def _q2_melding(p):
    walk_to(p.case, Phase.WEGEN, actor=p.af)
    weigh(p.case, {1: "B", 2: "B"}, answerer=p.af, directie=p.directie)
    return {}


def _in_help(p):
    walk_to(p.case, Phase.HULP, actor=p.af)
    return {}


def _draft(p):
    walk_to(p.case, Phase.MELDING, actor=p.af)
    return {"report": p.case.reports.get()}


def _submitted(p):
    extra = _draft(p)
    report = extra["report"]
    report_services.report_fact_add(actor=p.af, report=report, text="Blauwe plek.")
    report_services.report_submit(actor=p.af, report=report)
    return extra


def _sent(p):
    walk_to(p.case, Phase.MELDING, actor=p.af)
    report = p.case.reports.get()
    make_report(report, drafter=p.af, directie=p.directie)
    return {"report": report}


def _report(p):
    return {"report_id": p.extra["report"].pk}


def _report_action(action):
    return lambda p: {"report_id": p.extra["report"].pk, "action": action}


def _help(page):
    return lambda p: {"case_id": p.case.pk, "page": page}


def _acute_data(p):
    called = timezone.localtime(timezone.now() - timedelta(minutes=30))
    return {"called_at": called.strftime("%Y-%m-%dT%H:%M"), "called_by": p.af.pk,
            "vt_contact": "De Wit", "vt_reference": "VT-1", "reason": "Direct gevaar"}


def _plan_data(p):
    return {"help_description": "Opvoedondersteuning", "provided_by": "Wijkteam",
            "casemanager": p.af.pk,
            "termijn": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "expected_results": "Veilig thuis", "tasks": "OKA: gesprekken", "accepted": "on",
            "parents_informed": "Directie en AF spraken de ouders"}


ONLY_DIRECTIE = everyone(403, **OUTSIDE, directie=200)
ONLY_AF = everyone(403, **OUTSIDE, af=200)

ROWS = [
    Row("weighing_detail", AF_D, kwargs=_case, setup=_weighing, label="GET weighing_detail"),
    Row("weighing_answer", everyone(302, **OUTSIDE, teacher_on_case=403), method="post",
        kwargs=_case, setup=_weighing, label="POST weighing_answer (afweging 1)",
        data=lambda p: {"option_code": "B", "argumentation": "Sterk vermoeden",
                        "authority_informed_on": timezone.localdate().isoformat(),
                        "authority_informed_by": "Directeur"}),
    Row("weighing_confirm", everyone(403, **OUTSIDE, directie=302), method="post",
        kwargs=_case, setup=lambda p: _answer_q1(p),
        data=lambda p: {"consulted": p.af.pk, "note": "Na overleg"},
        label="POST weighing_confirm (stap 4)"),
    Row("weighing_decide", everyone(403, **OUTSIDE, directie=302), method="post",
        kwargs=_case, setup=_q2_melding,
        data=lambda p: {"outcome": "melding", "consulted": p.af.pk, "note": "Melden"},
        label="POST weighing_decide (melding)"),
    Row("weighing_redo", everyone(302, **OUTSIDE, teacher_on_case=403),
        method="post", kwargs=_case, setup=_q1_answered,
        data=lambda p: {"reason": "Nieuwe informatie"}, label="POST weighing_redo"),
    Row("weighing_observation_form", AF_D, kwargs=_case, setup=_phase(Phase.WEGEN),
        label="GET weighing_observation_form"),
    Row("weighing_observation", everyone(302, **OUTSIDE, teacher_on_case=403), method="post",
        kwargs=_case, setup=_phase(Phase.WEGEN),
        data=lambda p: {"observer": p.teacher_on_case.pk, "what": "Binnenkomst",
                        "until": (timezone.localdate() + timedelta(days=14)).isoformat()},
        label="POST weighing_observation"),
    Row("report_recurrence_form", ONLY_DIRECTIE, kwargs=_case, setup=_phase(Phase.MONITOREN),
        label="GET report_recurrence_form"),
    Row("report_recurrence", everyone(403, **OUTSIDE, directie=302), method="post",
        kwargs=_case, setup=_phase(Phase.MONITOREN),
        data=lambda p: {"consulted": p.af.pk, "note": "Opnieuw letsel"},
        label="POST report_recurrence"),
    Row("acute_melding_form", AF_D, kwargs=_case, label="GET acute_melding_form"),
    Row("acute_melding", everyone(302, **OUTSIDE, teacher_on_case=403), method="post",
        kwargs=_case, data=_acute_data, label="POST acute_melding"),
    Row("help_plan_form", ONLY_AF, kwargs=_case, setup=_phase(Phase.HULP),
        label="GET help_plan_form"),
    Row("help_result_form", ONLY_AF, kwargs=_case, setup=_phase(Phase.HULP),
        label="GET help_result_form"),
    Row("help_close_form", AF_D, kwargs=_case, setup=_phase(Phase.HULP),
        label="GET help_close_form"),
    Row("help_action", everyone(403, **OUTSIDE, af=302), method="post", kwargs=_help("plan"),
        setup=_in_help, data=_plan_data, label="POST help_action (plan)"),
    Row("report_detail", everyone(200, **OUTSIDE), kwargs=_report, setup=_draft,
        label="GET report_detail (the teacher sees only the state)"),
    Row("report_action", everyone(403, **OUTSIDE, af=302), method="post",
        kwargs=_report_action("opslaan"), setup=_draft,
        data=lambda p: {"melder_name": "AF", "family": "Gezin"}, label="POST report opslaan"),
    Row("report_action", everyone(403, **OUTSIDE, directie=302), method="post",
        kwargs=_report_action("goedkeuren"), setup=_submitted,
        data=lambda p: {"confirmed": "on"}, label="POST report goedkeuren"),
    Row("report_pdf", AF_D, kwargs=_report, setup=_draft, label="GET report_pdf"),
    Row("report_letter_pdf", ONLY_DIRECTIE, kwargs=_report, setup=_sent,
        label="GET report_letter_pdf"),
    Row("weighing_pdf", AF_D, kwargs=_case, setup=_weighing, label="GET weighing_pdf"),
    # The whole dossier: the AF and directie hand it over, after password and code.
    Row("case_dossier_pdf", AF_D, kwargs=_case, setup=_draft, recent_auth=True,
        label="GET case_dossier_pdf"),
    Row("case_dossier_pdf", everyone(302, **OUTSIDE, teacher_on_case=403), kwargs=_case,
        label="GET case_dossier_pdf (not confirmed)"),
]


def _answer_q1(p):
    """Afweging 1 answered, not yet confirmed by directie."""
    walk_to(p.case, Phase.WEGEN, actor=p.af)
    answer_record(actor=p.af, case=p.case, number=1, option_code="B", argumentation="a",
                  authority_informed_on=timezone.localdate(), authority_informed_by="D")
    return {}
