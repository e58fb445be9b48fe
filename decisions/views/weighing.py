"""The weighing page: the decision path so far, the next question as a guided form (the
definitions at hand, the consequence of each answer shown before saving), and directie's
confirmation and decisions. Every form posts to its own POST-only view."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import workflow
from cases.errors import DomainError
from cases.models import Consultation, Observation
from cases.services.workflow import school_staff
from decisions.forms import weighing as f
from decisions.selectors import weighing as sel
from decisions.services import weighing as services
from decisions.services.routes import recurrence_report
from decisions.views.common import case_for, consult_candidates

LINKABLE = [Consultation.Kind.VEILIG_THUIS, Consultation.Kind.JEUGDARTS]
OUTCOME_LABELS = {"close": workflow.ACTIONS["decide_close"].label,
                  "help": workflow.ACTIONS["decide_help"].label,
                  "melding": workflow.ACTIONS["decide_report"].label}
OUTCOME_ACTIONS = services.DECISION_ACTIONS


def weighing_context(user, case, *, forms=None) -> dict:
    forms = forms or {}
    weighing = sel.current_weighing(case)
    framework = weighing.framework if weighing else sel.current_framework()
    questions = sel.framework_questions(framework)
    answers = sel.answers_of(weighing) if weighing else {}
    path = sel.walk(questions, answers)
    decisions = sel.decisions_of(weighing) if weighing else []
    roles = workflow.user_roles(user, case)
    facts = workflow.load_facts(case)
    may = {action: workflow.refusal(user, case, action, facts, roles=roles) is None
           for action in ("weigh", "confirm_conclusion", "redo_weighing",
                          *OUTCOME_ACTIONS.values())}
    question = path.next_question
    confirmed = sel.step4_confirmed(decisions)
    context = {
        "case": case, "weighing": weighing, "framework": framework, "path": path,
        "decisions": decisions, "question": None, "step4_confirmed": confirmed,
        "history": [w for w in sel.weighing_history(case) if weighing is None or w != weighing],
    }
    answerable = question is not None and question.number < 5 and may["weigh"] and (
        question.number == 1 or confirmed)
    if answerable:
        context["question"] = question
        context["answer_form"] = forms.get("answer") or f.AnswerForm(
            question=question, with_vt=path.with_vt,
            consultations=Consultation.objects.filter(case=case, kind__in=LINKABLE),
            initial=_prefill(case, question))
        if question.shows_definitions:
            context["definitions"] = list(framework.definitions.all())
    if path.steps and not confirmed and may["confirm_conclusion"]:
        context["confirm_form"] = forms.get("confirm") or f.ConsultedForm(
            candidates=consult_candidates(case))
    decide = []
    for outcome, action in OUTCOME_ACTIONS.items():
        if confirmed and may[action]:
            form = forms.get(f"decide_{outcome}") or f.DecisionForm(
                candidates=consult_candidates(case), initial={"outcome": outcome})
            decide.append({"outcome": outcome, "label": OUTCOME_LABELS[outcome], "form": form})
    context["decide"] = decide
    if weighing and may["redo_weighing"]:
        context["redo_form"] = forms.get("redo") or f.RedoForm()
    return context


def _prefill(case, question) -> dict:
    """A child's disclosure in this case makes afweging 2 start at "ja of twijfel"
    (004 bijlage 3, disclosure); whoever answers may change it, with argumentation."""
    doubt = next((o for o in question.options.all() if o.includes_doubt), None)
    if doubt is None or not Observation.objects.filter(
            case=case, status=Observation.Status.SUBMITTED,
            origin=Observation.Origin.DISCLOSURE).exists():
        return {}
    return {"option_code": doubt.code, "is_doubt": True}


def weighing_detail(request, case_id):
    case = case_for(request, case_id, what="case.weighing")
    return render(request, "decisions/weighing/detail.html", weighing_context(request.user, case))


def _done(request, case, message):
    messages.success(request, message)
    return redirect("weighing_detail", case_id=case.pk)


def _again(request, case, key, form, status=200):
    context = weighing_context(request.user, case, forms={key: form})
    return render(request, "decisions/weighing/detail.html", context, status=status)


@require_POST
def weighing_answer(request, case_id):
    case = case_for(request, case_id, what="case.weighing")
    weighing = sel.current_weighing(case)
    framework = weighing.framework if weighing else sel.current_framework()
    path = sel.path_of(weighing) if weighing else sel.walk(sel.framework_questions(framework),
                                                           {})
    question = path.next_question
    if question is None:
        messages.error(request, _("Alle afwegingen van deze weging zijn beantwoord."))
        return redirect("weighing_detail", case_id=case.pk)
    form = f.AnswerForm(request.POST, question=question, with_vt=path.with_vt,
                        consultations=Consultation.objects.filter(case=case, kind__in=LINKABLE))
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.setdefault("consultations", [])
        try:
            services.answer_record(actor=request.user, case=case, number=question.number,
                                   **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, case, _("Het antwoord is vastgelegd."))
    return _again(request, case, "answer", form)


@require_POST
def weighing_confirm(request, case_id):
    case = case_for(request, case_id, what="case.weighing", roles=workflow.DIRECTIE_ONLY)
    form = f.ConsultedForm(request.POST, candidates=consult_candidates(case))
    if form.is_valid():
        try:
            services.conclusion_confirm(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, case, _("De conclusie van stap 4 is bevestigd."))
    return _again(request, case, "confirm", form)


@require_POST
def weighing_decide(request, case_id):
    case = case_for(request, case_id, what="case.weighing", roles=workflow.DIRECTIE_ONLY)
    form = f.DecisionForm(request.POST, candidates=consult_candidates(case))
    outcome = request.POST.get("outcome", "")
    if form.is_valid():
        try:
            services.decision_confirm(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Het besluit is vastgelegd."))
            return redirect("case_detail", case_id=case.pk)
    return _again(request, case, f"decide_{outcome}", form)


@require_POST
def weighing_redo(request, case_id):
    case = case_for(request, case_id, what="case.weighing", roles=workflow.AF_DIRECTIE)
    form = f.RedoForm(request.POST)
    if form.is_valid():
        try:
            services.weighing_redo(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, case, _("Er is een nieuwe weging begonnen; de vorige blijft "
                                          "bewaard."))
    return _again(request, case, "redo", form)


# --- Simple form pages: extra observation period, new unsafety during monitoring -------


def _form_page(request, case, *, title, intro, form, post_url, status=200):
    return render(request, "decisions/form.html", {
        "case": case, "title": title, "intro": intro, "form": form, "post_url": post_url,
        "reason": None}, status=status)


OBSERVATION_TITLE = workflow.ACTIONS["extra_observation"].label


def _observation_page(request, case, form):
    return _form_page(
        request, case, title=OBSERVATION_TITLE, form=form, post_url="weighing_observation",
        intro=_("Twijfel bij stap 4: leg vast wie wat observeert en tot wanneer. De casus gaat "
                "terug naar stap 3; daarna volgt een nieuwe weging."))


def observation_form(request, case_id):
    case = case_for(request, case_id, what="case.weighing", roles=workflow.AF_DIRECTIE)
    return _observation_page(request, case, f.ObservationPeriodForm(staff=school_staff(case)))


@require_POST
def observation_record(request, case_id):
    case = case_for(request, case_id, what="case.weighing", roles=workflow.AF_DIRECTIE)
    form = f.ObservationPeriodForm(request.POST, staff=school_staff(case))
    if form.is_valid():
        try:
            services.observation_period_record(actor=request.user, case=case,
                                               **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("De extra observatieperiode is vastgelegd."))
            return redirect("case_detail", case_id=case.pk)
    return _observation_page(request, case, form)


def _recurrence_page(request, case, form):
    return _form_page(
        request, case, title=workflow.ACTIONS["report_recurrence"].label, form=form,
        post_url="report_recurrence",
        intro=_("Stopt de onveiligheid niet of herhaalt zij zich tijdens het monitoren? Dan "
                "meldt de school bij Veilig Thuis (meldnorm C). De directie besluit na overleg "
                "met de aandachtsfunctionaris of OKA."))


def recurrence_form(request, case_id):
    case = case_for(request, case_id, what="case.weighing", roles=workflow.DIRECTIE_ONLY)
    return _recurrence_page(request, case, f.ConsultedForm(candidates=consult_candidates(case)))


@require_POST
def recurrence_record(request, case_id):
    case = case_for(request, case_id, what="case.weighing", roles=workflow.DIRECTIE_ONLY)
    form = f.ConsultedForm(request.POST, candidates=consult_candidates(case))
    if form.is_valid():
        try:
            report = recurrence_report(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Het besluit is vastgelegd; stel nu de melding op."))
            return redirect("report_detail", report_id=report.pk)
    return _recurrence_page(request, case, form)
