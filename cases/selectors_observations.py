"""Read-side queries for observations: the case page panel, the detail page, the form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from cases.models import InjuryMark, Observation, ObservationFollowUp, Statement
from signals_catalog.services import signals_for


def signal_categories_for(student, on_date: date) -> list:
    """The catalog categories (each with `.signals_for_age`) offered on `on_date`."""
    return signals_for(student, on_date)


def _with_content(qs):
    follow_ups = ObservationFollowUp.objects.select_related("author", "statement")
    return qs.select_related("author").prefetch_related(
        Prefetch("statements", queryset=Statement.objects.order_by("position")),
        Prefetch("follow_ups", queryset=follow_ups),
        "signals__category",
        # Marks are numbered in the order they were entered, on the map and in the table.
        Prefetch("injuries", queryset=InjuryMark.objects.order_by("pk")),
        "attachments",
    )


def annotate_outcomes(observation: Observation) -> Observation:
    """Give every hypothesis `.outcome`: its latest confirm/refute follow-up, if any."""
    latest = {}
    for follow_up in observation.follow_ups.all():
        if follow_up.is_outcome and follow_up.statement_id:
            latest[follow_up.statement_id] = follow_up
    for statement in observation.statements.all():
        statement.outcome = latest.get(statement.pk)
    return observation


@dataclass
class CasePanel:
    submitted: list
    drafts: list
    has_disclosure: bool


def case_panel(case, user) -> CasePanel:
    """What the observations panel of the case page shows to `user`."""
    rows = list(
        _with_content(Observation.objects.filter(case=case).visible_to(user))
        .order_by("-observed_at")
    )
    submitted = [annotate_outcomes(o) for o in rows if o.is_submitted]
    drafts = [o for o in rows if not o.is_submitted]
    # The flag is for the whole team, also while the author's draft is unfinished.
    has_disclosure = any(o.is_disclosure for o in submitted) or Observation.objects.filter(
        case=case, origin=Observation.Origin.DISCLOSURE
    ).exists()
    return CasePanel(submitted=submitted, drafts=drafts, has_disclosure=has_disclosure)


def own_drafts(case, user, *, besides: Observation | None = None) -> list[Observation]:
    """The user's drafts on this case, newest first, except the one being edited."""
    drafts = Observation.objects.filter(case=case).drafts_of(user)
    if besides is not None:
        drafts = drafts.exclude(pk=besides.pk)
    return list(drafts.order_by("-updated_at"))


def observation_with_content(case, observation_id):
    return annotate_outcomes(
        _with_content(Observation.objects.filter(case=case)).get(pk=observation_id)
    )
