"""The anonymised meldcode figures of a school or a board over a period (000 stap 6,
004 "evaluatie"): counts only, never names or dates of birth.

Small counts identify children in a small school, so every count from 1 to 4 is shown as
"<5" (primary suppression), and where a hidden count could be worked out from a total and
the other counts, the next smallest count is hidden too ("×", secondary suppression). On
a board's page the same holds across its schools: a board count is hidden when it would
give away the one hidden count of a school. Every figure is counted in a fixed number of
grouped queries, whatever the size of the audit trail or the number of cases.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.selectors.trail import period_q
from cases.models import (
    AcuteReport,
    Case,
    CaseReopening,
    Consultation,
    MeldplichtRecord,
    Observation,
    Phase,
    PhaseConclusion,
    PhaseTransition,
    Task,
)
from decisions.models import Report
from inspection.selectors.cases import cases_in_period

SMALL = 5
HIDDEN = "×"
SMALL_LABEL = "<5"

SOURCES = [(Observation.Origin.OWN, _("Eigen waarneming")),
           (Observation.Origin.TOLD, _("Van een derde")),
           (Observation.Origin.DISCLOSURE, _("Onthulling door het kind")),
           ("onbekend", _("Nog geen observatie"))]
AGE_BANDS = [(0, 4, _("0–3 jaar")), (4, 6, _("4–5 jaar")), (6, 8, _("6–7 jaar")),
             (8, 10, _("8–9 jaar")), (10, 12, _("10–11 jaar")), (12, 200, _("12 jaar en ouder"))]
OUTCOMES = [("ongegrond", _("Ongegrond")), ("geen_bevestiging", _("Geen bevestiging")),
            ("hulp", _("Hulp in gang gezet")), ("acuut", _("Acuut onveilig")),
            ("meldplicht", _("Meldplicht (medewerker)"))]
NORMS = [("A", _("Meldnorm A")), ("B", _("Meldnorm B")), ("C", _("Meldnorm C"))]
MEASURED_PHASES = [Phase.SIGNALEREN, Phase.CONSULTATIE, Phase.GESPREK, Phase.WEGEN,
                   Phase.HULP, Phase.MELDING, Phase.MONITOREN]


# --- Counting ---------------------------------------------------------------------------


def _band(age: int) -> int:
    return next(i for i, (low, high, _label) in enumerate(AGE_BANDS) if low <= age < high)


def _age(born: date, day: date) -> int:
    return day.year - born.year - int((day.month, day.day) < (born.month, born.day))


def raw_counts(school_ids, start: date, end: date) -> dict:
    """{school_id: Counter of metric keys} and {school_id: {phase: [days]}}."""
    counts: dict = defaultdict(Counter)
    period = period_q(start, end, "opened_at")
    opened = list(Case.objects.filter(period, school_id__in=school_ids)
                  .values_list("id", "school_id", "opened_at", "student__date_of_birth"))
    school_of = {case_id: school_id for case_id, school_id, _o, _b in opened}
    for _case_id, school_id, opened_at, born in opened:
        counts[school_id]["opened"] += 1
        counts[school_id][f"age.{_band(_age(born, timezone.localtime(opened_at).date()))}"] += 1
    first_origin = {}
    for case_id, origin in (Observation.objects
                            .filter(case_id__in=list(school_of),
                                    status=Observation.Status.SUBMITTED)
                            .order_by("case_id", "observed_at", "id")
                            .values_list("case_id", "origin")):
        first_origin.setdefault(case_id, origin)
    for case_id, school_id in school_of.items():
        counts[school_id][f"source.{first_origin.get(case_id, 'onbekend')}"] += 1

    def grouped(qs, key, school_field="case__school_id", distinct="case_id"):
        for school_id, n in (qs.filter(**{f"{school_field}__in": school_ids})
                             .values_list(school_field).annotate(n=Count(distinct,
                                                                         distinct=True))
                             .order_by()):
            counts[school_id][key] += n

    for outcome in ("ongegrond", "geen_bevestiging"):
        grouped(PhaseConclusion.objects.filter(period_q(start, end, "recorded_at"),
                                               outcome=outcome), f"outcome.{outcome}")
    grouped(PhaseTransition.objects.filter(period_q(start, end, "recorded_at"),
                                           to_phase=Phase.HULP), "outcome.hulp")
    grouped(AcuteReport.objects.filter(period_q(start, end, "recorded_at")), "outcome.acuut")
    grouped(MeldplichtRecord.objects.filter(period_q(start, end, "recorded_at")),
            "outcome.meldplicht")
    for school_id, norm, n in (Report.objects.filter(period_q(start, end, "approved_at"),
                                                     case__school_id__in=school_ids)
                               .values_list("case__school_id", "norm").annotate(n=Count("id"))
                               .order_by()):
        counts[school_id][f"norm.{norm}"] += n
    grouped(Consultation.objects.filter(period_q(start, end, "recorded_at"),
                                        kind=Consultation.Kind.VEILIG_THUIS),
            "vt.advice", distinct="id")
    grouped(CaseReopening.objects.filter(period_q(start, end, "recorded_at")), "reopenings",
            distinct="id")
    today = timezone.localdate()
    # Counted by the database, case by case (the (case, due_on) index): a large board has
    # hundreds of thousands of deadlines, and a join from the tasks read all of the board's
    # in the period. Met: done on or before the day it was due (the local date).
    due = Task.objects.filter(case=OuterRef("pk"), due_on__gte=start,
                              due_on__lte=min(end, today - timedelta(days=1)))
    for school_id, met, total in (Case.objects.filter(school_id__in=school_ids).annotate(
            met=_count_of(due.filter(completed_at__date__lte=F("due_on"))),
            total=_count_of(due)).filter(total__gt=0)
            .values_list("school_id", "met", "total")):
        for key, n in (("deadlines.met", met), ("deadlines.missed", total - met)):
            if n:
                counts[school_id][key] += n
    return counts, _phase_days(school_ids, start, end)


def _count_of(rows):
    """The number of `rows` (a queryset on one outer case) as a correlated subquery."""
    counted = rows.order_by().values("case").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _phase_days(school_ids, start: date, end: date) -> dict:
    """Days spent in each phase, for every stay in a phase that ended in the period."""
    days: dict = defaultdict(lambda: defaultdict(list))
    in_period = cases_in_period(school_ids, start, end)
    entered = {case_id: (school_id, opened_at) for case_id, school_id, opened_at
               in in_period.values_list("id", "school_id", "opened_at")}
    since: dict = {}
    for case_id, from_phase, recorded_at in (PhaseTransition.objects
                                             .filter(case__in=in_period.values("id"))
                                             .order_by("case_id", "recorded_at", "id")
                                             .values_list("case_id", "from_phase",
                                                          "recorded_at")):
        school_id, opened_at = entered[case_id]
        began = since.get(case_id, opened_at)
        since[case_id] = recorded_at
        left_on = timezone.localtime(recorded_at).date()
        if start <= left_on <= end and from_phase in MEASURED_PHASES:
            days[school_id][from_phase].append((recorded_at - began).total_seconds() / 86400)
    return days


# --- Showing, with suppression ------------------------------------------------------------


@dataclass
class Cell:
    key: str
    label: str
    value: int
    hidden: bool = False  # secondary suppression

    @property
    def small(self) -> bool:
        return 0 < self.value < SMALL

    @property
    def shown(self) -> str:
        if self.small:
            return SMALL_LABEL
        if self.hidden:
            return HIDDEN
        return str(self.value)

    @property
    def suppressed(self) -> bool:
        return self.small or self.hidden


@dataclass
class Group:
    key: str
    title: str
    cells: list[Cell]
    total: Cell | None = None
    bars: list = field(default_factory=list)  # (cell, width) for the chart

    def protect(self) -> None:
        """Secondary suppression: with exactly one hidden count among cells that add up to a
        shown total, hide the next smallest one as well (a 0 too: it would tell)."""
        if self.total is None:
            return
        if self.total.suppressed:
            for cell in self.cells:
                cell.hidden = True
            return
        hidden = [c for c in self.cells if c.suppressed]
        if len(hidden) == 1:
            visible = sorted((c for c in self.cells if not c.suppressed), key=lambda c: c.value)
            if visible:
                visible[0].hidden = True


@dataclass
class Median:
    phase: str
    label: str
    count: int
    days: float | None  # None when too few stays to show


@dataclass
class Figures:
    title: str
    start: date
    end: date
    opened: Cell
    groups: list[Group]
    medians: list[Median]


def _cells(keys, counts, prefix) -> list[Cell]:
    return [Cell(f"{prefix}.{k}", str(label), counts.get(f"{prefix}.{k}", 0))
            for k, label in keys]


def _hide_across(cell: Cell, per_school: list[Counter]) -> None:
    """A board count gives away a school's hidden count when it is the only one hidden."""
    small = [c for c in per_school if 0 < c.get(cell.key, 0) < SMALL]
    if len(small) == 1 and len(per_school) > 1:
        cell.hidden = True


def build_figures(title: str, counts: Counter, phase_days: dict, start: date, end: date, *,
                  per_school: list[Counter] | None = None,
                  schools: list | None = None) -> Figures:
    opened = Cell("opened", str(_("Casussen geopend")), counts.get("opened", 0))
    source = Group("source", str(_("Nieuwe casussen naar bron")),
                   [Cell(f"source.{k}", str(label), counts.get(f"source.{k}", 0))
                    for k, label in SOURCES], total=opened)
    age = Group("age", str(_("Nieuwe casussen naar leeftijd bij opening")),
                [Cell(f"age.{i}", str(label), counts.get(f"age.{i}", 0))
                 for i, (_l, _h, label) in enumerate(AGE_BANDS)], total=opened)
    outcome = Group("outcome", str(_("Uitkomsten")), _cells(OUTCOMES, counts, "outcome"))
    meldingen = Cell("melding", str(_("Meldingen bij Veilig Thuis")),
                     sum(counts.get(f"norm.{k}", 0) for k, _l in NORMS))
    norm = Group("norm", str(_("Meldingen naar meldnorm")), _cells(NORMS, counts, "norm"),
                 total=meldingen)
    vt_melding = Cell("melding", str(_("Melding")), meldingen.value)
    vt = Group("vt", str(_("Veilig Thuis: advies of melding")),
               [Cell("vt.advice", str(_("Advies gevraagd")), counts.get("vt.advice", 0)),
                vt_melding])
    due = Cell("deadlines", str(_("Termijnen verstreken")),
               counts.get("deadlines.met", 0) + counts.get("deadlines.missed", 0))
    deadlines = Group("deadlines", str(_("Termijnen")),
                      [Cell("deadlines.met", str(_("Op tijd")), counts.get("deadlines.met", 0)),
                       Cell("deadlines.missed", str(_("Te laat of niet")),
                            counts.get("deadlines.missed", 0))], total=due)
    reopen = Group("reopenings", str(_("Heropend na nieuwe signalen")),
                   [Cell("reopenings", str(_("Heropeningen")), counts.get("reopenings", 0))])
    groups = [source, age, outcome, norm, vt, deadlines, reopen]
    if per_school is not None and schools is not None:
        schools_group = Group("schools", str(_("Nieuwe casussen per school")),
                              [Cell(f"school.{s.pk}", s.name, c.get("opened", 0))
                               for s, c in zip(schools, per_school, strict=True)],
                              total=opened)
        groups.insert(0, schools_group)
        for group in groups:
            for cell in [*group.cells, *([group.total] if group.total else [])]:
                if not cell.key.startswith("school."):
                    _hide_across(cell, per_school)
    for group in groups:
        group.protect()
    # The one melding count appears twice; it must read the same in both places.
    vt_melding.hidden = meldingen.hidden
    for group in groups:
        _bars(group)
    medians = []
    for phase in MEASURED_PHASES:
        stays = phase_days.get(phase, [])
        medians.append(Median(phase, str(Phase(phase).label), len(stays),
                              round(statistics.median(stays), 1) if len(stays) >= SMALL
                              else None))
    return Figures(title, start, end, opened, groups, medians)


BAR_WIDTH = 240


def _bars(group: Group) -> None:
    """Bar widths for the chart; a hidden count draws no bar (its length would tell)."""
    largest = max((c.value for c in group.cells if not c.suppressed), default=0)
    group.bars = [(c, 0 if c.suppressed or not largest else round(BAR_WIDTH * c.value / largest))
                  for c in group.cells]


def school_figures(school, start: date, end: date) -> Figures:
    counts, days = raw_counts([school.pk], start, end)
    return build_figures(school.name, counts.get(school.pk, Counter()),
                         days.get(school.pk, {}), start, end)


def board_figures(board, schools: list, start: date, end: date) -> Figures:
    counts, days = raw_counts([s.pk for s in schools], start, end)
    total: Counter = Counter()
    for s in schools:
        total.update(counts.get(s.pk, Counter()))
    merged: dict = defaultdict(list)
    for s in schools:
        for phase, stays in days.get(s.pk, {}).items():
            merged[phase].extend(stays)
    return build_figures(board.name, total, merged, start, end,
                         per_school=[counts.get(s.pk, Counter()) for s in schools],
                         schools=schools)


def figures_rows(figures: Figures) -> list[list[str]]:
    """The figures as CSV rows: suppressed exactly as on screen."""
    rows = [["onderdeel", "categorie", "aantal"],
            [str(_("Totaal")), figures.opened.label, figures.opened.shown]]
    for group in figures.groups:
        for cell in group.cells:
            rows.append([group.title, cell.label, cell.shown])
        if group.total is not None and group.total is not figures.opened:
            rows.append([group.title, group.total.label, group.total.shown])
    for m in figures.medians:
        rows.append([str(_("Mediaan dagen per fase")), m.label,
                     SMALL_LABEL if m.days is None and m.count else
                     ("" if m.days is None else str(m.days).replace(".", ","))])
    return rows
