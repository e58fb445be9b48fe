"""Read-side queries for observations: the case page panel, the detail page, the form, and
the chronology sources of step 1 (observations and follow-ups).

Only submitted observations belong to the dossier; drafts are the author's work in
progress and never appear in the chronology. Each source runs a fixed number of queries
for a case, however many observations it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Attachment, InjuryMark, Observation, ObservationFollowUp, Statement
from cases.selectors.chronology import Entry, register_source, windowed
from meldcode.workdays import moment_label
from signals_catalog.services import signals_for


def signal_categories_for(student, on_date: date) -> list:
    """The catalog categories (each with `.signals_for_age`) offered on `on_date`."""
    return signals_for(student, on_date)


COMMON_SIGNALS = 8


def common_signals(school, categories) -> list:
    """The signals of this list chosen most often in the school's recorded observations,
    most often first: the form offers them first, the rest folded by category. One query."""
    offered = {s.pk: s for c in categories for s in c.signals_for_age}
    if not offered:
        return []
    through = Observation.signals.through
    rows = (through.objects.filter(signal_id__in=list(offered),
                                   observation__case__school_id=school.pk,
                                   observation__status=Observation.Status.SUBMITTED)
            .values("signal_id").annotate(n=Count("id")).order_by("-n", "signal_id")
            [:COMMON_SIGNALS])
    return [offered[row["signal_id"]] for row in rows]


def arrange_signals(categories, common, selected: set[str]) -> None:
    """Give every category `.rest` (its signals not offered first) and `.selected_count`
    (a folded category with a choice in it opens)."""
    first = {s.pk for s in common}
    for category in categories:
        category.rest = [s for s in category.signals_for_age if s.pk not in first]
        category.selected_count = sum(str(s.pk) in selected for s in category.rest)


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
    # All submitted observations; the panel shows only the latest (the chronology has all).
    total: int = 0


# The case page shows the latest observations only: it costs the same with 20 or 500.
CASE_PAGE_OBSERVATIONS = 10


def case_panel(case, user) -> CasePanel:
    """What the observations panel of the case page shows to `user`."""
    submitted_qs = Observation.objects.filter(case=case, status=Observation.Status.SUBMITTED)
    submitted = [annotate_outcomes(o) for o in
                 _with_content(submitted_qs).order_by("-observed_at", "-pk")
                 [:CASE_PAGE_OBSERVATIONS]]
    drafts = list(Observation.objects.filter(case=case).drafts_of(user)
                  .order_by("-observed_at"))
    total = submitted_qs.count()
    # The flag is for the whole team, also while the author's draft is unfinished.
    has_disclosure = any(o.is_disclosure for o in submitted) or Observation.objects.filter(
        case=case, origin=Observation.Origin.DISCLOSURE
    ).exists()
    return CasePanel(submitted=submitted, drafts=drafts, has_disclosure=has_disclosure,
                     total=total)


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


# --- Chronology sources ------------------------------------------------------------------


def observation_anchor(observation_id) -> str:
    return f"observatie-{observation_id}"


def _moment(value) -> str:
    return moment_label(value)


def _observation_label(observation) -> str:
    return _("Observatie van %(moment)s door %(author)s") % {
        "moment": _moment(observation.observed_at), "author": observation.author,
    }


def _observation_details(observation) -> tuple[tuple[str, str], ...]:
    details: list[tuple[str, str]] = []
    if observation.place:
        details.append((_("Plaats"), observation.place))
    if observation.present:
        details.append((_("Aanwezig"), observation.present))
    details.append((_("Hoe is de zorg ontstaan"), observation.get_origin_display()))
    if observation.origin != Observation.Origin.OWN and (
        observation.source_name or observation.source_role
    ):
        source = ", ".join(v for v in (observation.source_name, observation.source_role) if v)
        details.append((_("Bron"), source))
    signals = [signal.text for signal in observation.signals.all()]
    if signals:
        details.append((_("Signalen uit de lijst"), "; ".join(signals)))
    if observation.free_signals:
        details.append((_("Andere signalen"), observation.free_signals))
    injuries = [
        f"{injury.get_kind_display()} – {injury.get_region_display()} "
        f"({injury.get_side_display().lower()})"
        for injury in observation.injuries.all()
    ]
    if injuries:
        details.append((_("Letsel"), "; ".join(injuries)))
    if observation.diagnosis:
        by = ", ".join(v for v in (observation.diagnosis_by_name,
                                   observation.diagnosis_by_role) if v)
        details.append((_("Diagnose"), f"{observation.diagnosis} ({by})" if by else
                        observation.diagnosis))
    if observation.attachment_count:
        # Only the number: original file names may identify the pupil.
        details.append((_("Bijlagen"), str(observation.attachment_count)))
    return tuple(details)


@register_source("observation", gettext_lazy("Observaties"),
                 models=(Observation, Statement, InjuryMark, Attachment), index=())
def observation_entries(case, window=None) -> list[Entry]:
    observations = (
        Observation.objects.filter(case=case, status=Observation.Status.SUBMITTED)
        .select_related("author")
        # Ordered prefetches: the models' default orderings join the observation table
        # again, which for a big case turns each prefetch into a scan of the whole table.
        .prefetch_related(
            Prefetch("statements", queryset=Statement.objects.order_by("observation_id",
                                                                       "position")),
            "signals",
            Prefetch("injuries", queryset=InjuryMark.objects.order_by("pk")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at")),
        )
    )
    observations = windowed(observations, window, when="observed_at", author="author")
    entries = []
    for observation in observations:
        statements = list(observation.statements.all())
        observation.attachment_count = len(observation.attachments.all())
        entries.append(Entry(
            when=observation.observed_at,
            kind="observation",
            author=observation.author,
            title=_("Observatie"),
            summary=observation.situation,
            hypotheses=tuple(s.text for s in statements if s.is_hypothesis),
            facts=tuple(s.text for s in statements if not s.is_hypothesis),
            details=_observation_details(observation),
            anchor=observation_anchor(observation.pk),
            url=reverse("observation_detail", kwargs={"case_id": observation.case_id,
                                                      "observation_id": observation.pk}),
            attachments=tuple(a.download_name for a in observation.attachments.all()),
            obj=observation,
        ))
    return entries


@register_source("observation_followup", gettext_lazy("Vervolgnotities bij observaties"),
                 models=(ObservationFollowUp,), index=())
def follow_up_entries(case, window=None) -> list[Entry]:
    follow_ups = (
        ObservationFollowUp.objects.filter(
            observation__case=case, observation__status=Observation.Status.SUBMITTED
        )
        .select_related("author", "observation__author", "statement")
    )
    follow_ups = windowed(follow_ups, window, when="created_at", author="author")
    entries = []
    for follow_up in follow_ups:
        statement: Statement | None = follow_up.statement
        hypotheses: tuple[str, ...] = ()
        details: tuple[tuple[str, str], ...] = ()
        if statement is not None and statement.is_hypothesis:
            hypotheses = (statement.text,)
        elif statement is not None:
            details = ((_("Betreft de uitspraak"), statement.text),)
        entries.append(Entry(
            when=follow_up.created_at,
            kind="observation_followup",
            author=follow_up.author,
            title=follow_up.get_kind_display(),
            summary=follow_up.text,
            hypotheses=hypotheses,
            details=details,
            anchor=f"vervolgnotitie-{follow_up.pk}",
            refers_to=observation_anchor(follow_up.observation_id),
            refers_to_label=_observation_label(follow_up.observation),
            obj=follow_up,
        ))
    return entries
