"""Reading a weighing: the path through the afwegingskader and what it leads to.

The outcome is computed from the answers, never stored or typed in: `walk()` follows the
answers from question 1 along each option's consequence, and says which question is next,
which meldingen (with their norm) and which help the answers call for. The same function
serves every framework version, because where an answer leads is data of that version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cases.models import Phase
from decisions.models import (
    Framework,
    HelpPlan,
    Leads,
    ObservationPeriod,
    Report,
    Weighing,
    WeighingDecision,
)


@dataclass(frozen=True)
class Step:
    question: object
    answer: object | None
    option: object | None
    # This answer calls for a melding of its own (not one already made at question 2).
    new_melding: bool = False


@dataclass(frozen=True)
class Path:
    steps: tuple[Step, ...]
    next_question: object | None
    close: object | None = None  # the answer that closes (1 A)
    help: object | None = None  # the answer that starts help (4 B)
    close_help: object | None = None  # the answer that closes the help (5 B)
    meldingen: tuple[tuple[object, str], ...] = ()  # (answer, norm) of each new melding
    with_vt: bool = False  # a melding was made: the next answers are given with VT
    consequences: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return self.next_question is None


def walk(questions: dict[int, object], answers: dict[int, object]) -> Path:
    """Follow `answers` ({number: answer with .option}) through `questions` ({number:
    question with .options}) from the lowest number on."""
    steps: list[Step] = []
    found: dict = {"meldingen": []}
    consequences: list[str] = []
    number = min(questions) if questions else None
    seen = set()
    next_question = None
    while number is not None and number not in seen:
        seen.add(number)
        question = questions[number]
        answer = answers.get(number)
        if answer is None:
            next_question = question
            break
        option = answer.option
        new_melding = False
        if option.leads == Leads.MELDING:
            # After a melding, "melden" at question 3 or 4 is the melding already made
            # (the afwegingen are answered with Veilig Thuis); norm C is always a new one.
            new_melding = not found["meldingen"] or option.norm == "C"
            if new_melding:
                found["meldingen"].append((answer, option.norm))
                consequences.append(f"melding_{option.norm}")
        elif option.leads == Leads.CLOSE:
            found["close"] = answer
            consequences.append("close")
        elif option.leads == Leads.HELP:
            found["help"] = answer
            consequences.append("help")
        elif option.leads == Leads.CLOSE_HELP:
            found["close_help"] = answer
            consequences.append("close_help")
        steps.append(Step(question=question, answer=answer, option=option,
                          new_melding=new_melding))
        number = option.next_number
        if number is not None and number not in questions:
            number = None
    return Path(steps=tuple(steps), next_question=next_question, close=found.get("close"),
                help=found.get("help"), close_help=found.get("close_help"),
                meldingen=tuple(found["meldingen"]), with_vt=bool(found["meldingen"]),
                consequences=tuple(consequences))


def framework_questions(framework) -> dict[int, object]:
    questions = framework.questions.prefetch_related("options")
    return {q.number: q for q in questions}


def current_framework(code: str = "onderwijs-amos"):
    """The newest version of the framework, the one a new weighing uses."""
    return Framework.objects.filter(code=code).order_by("-version").first()


def cycle_start(case):
    last_reopen = case.reopenings.order_by("-recorded_at").values_list(
        "recorded_at", flat=True).first()
    return last_reopen or case.opened_at


def current_weighing(case, since=None):
    """The weighing of this cycle that no later one superseded (None before the first).

    An extra observation period ends a weighing too: step 3 is run again and a new weighing
    follows (000, fase 4 twijfel)."""
    since = since or cycle_start(case)
    period = (ObservationPeriod.objects.filter(case=case, recorded_at__gte=since)
              .order_by("-recorded_at").values_list("recorded_at", flat=True).first())
    since = max(since, period) if period else since
    return (Weighing.objects.filter(case=case, started_at__gte=since,
                                    superseded_by__isnull=True)
            .select_related("framework").order_by("-started_at").first())


def weighing_history(case):
    return (Weighing.objects.filter(case=case).select_related("framework", "started_by")
            .order_by("started_at"))


def answers_of(weighing) -> dict[int, object]:
    answers = (weighing.answers.select_related("question", "option", "answered_by")
               .prefetch_related("consultations"))
    return {a.question.number: a for a in answers}


def path_of(weighing) -> Path:
    return walk(framework_questions(weighing.framework), answers_of(weighing))


def decisions_of(weighing):
    return list(weighing.decisions.select_related("decided_by", "consulted")
                .order_by("decided_at"))


def pending_outcomes(weighing, path: Path, decisions=None) -> frozenset:
    """The consequences of the path that no decision or record has acted on yet."""
    decisions = decisions_of(weighing) if decisions is None else decisions
    decided = {(d.step, d.outcome, d.norm) for d in decisions}
    pending = set()
    if path.close is not None and (5, "close", "") not in decided:
        pending.add("close")
    if path.help is not None and (5, "help", "") not in decided:
        pending.add("help")
    reported = set(Report.objects.filter(answer__weighing=weighing)
                   .values_list("answer_id", flat=True))
    if any(answer.pk not in reported for answer, _norm in path.meldingen):
        pending.add("melding")
    if path.close_help is not None and not weighing.case.transitions.filter(
            action="close_help", recorded_at__gte=path.close_help.answered_at).exists():
        pending.add("close_help")
    return frozenset(pending)


def next_melding(weighing, path: Path):
    """The (answer, norm) of the first melding the path calls for that has no record yet."""
    reported = set(Report.objects.filter(answer__weighing=weighing)
                   .values_list("answer_id", flat=True))
    for answer, norm in path.meldingen:
        if answer.pk not in reported:
            return answer, norm
    return None


def step4_confirmed(decisions) -> bool:
    return any(d.step == WeighingDecision.Step.CONCLUSION for d in decisions)


def weighing_facts(case, since) -> dict:
    """The fact provider of cases/workflow.py (registered in DecisionsConfig.ready)."""
    if case.phase not in (Phase.WEGEN, Phase.HULP, Phase.MELDING, Phase.MONITOREN):
        return {}
    weighing = current_weighing(case, since)
    facts = {
        "melding_unsent": Report.objects.filter(case=case, created_at__gte=since,
                                                sending__isnull=True).exists(),
        "help_open": HelpPlan.objects.filter(case=case, recorded_at__gte=since,
                                             result__isnull=True).exists(),
    }
    if weighing is not None:
        path, decisions = path_of(weighing), decisions_of(weighing)
        facts["pending"] = pending_outcomes(weighing, path, decisions)
        # The page that asked for the facts shows the same weighing: keep what was read on
        # the case object for it (`shown_weighing`); the guards above always read afresh.
        case._shown_weighing = (weighing, path, decisions)
    return facts


def shown_weighing(case):
    """(weighing, path, decisions) for display, reusing what the facts just read."""
    cached = getattr(case, "_shown_weighing", None)
    if cached is not None:
        return cached
    weighing = current_weighing(case)
    if weighing is None:
        return None
    return weighing, path_of(weighing), decisions_of(weighing)
