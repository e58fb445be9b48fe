"""Dossier content for an inspecteur whose grant explicitly includes it: the texts of the
stappenplan records, in order. Never the pupil's name, date of birth or group, which no
record here carries; the view logs every read of it as a read of content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cases.models import Consultation, Evaluation, Observation, PhaseConclusion, PhaseDecision


@dataclass(frozen=True)
class ContentRecord:
    when: datetime
    kind: str
    text: str


def case_content(case) -> list[ContentRecord]:
    records = []
    for o in Observation.objects.filter(case=case, status=Observation.Status.SUBMITTED):
        records.append(ContentRecord(o.observed_at, str(Observation._meta.verbose_name),
                                     o.situation))
    for c in PhaseConclusion.objects.filter(case=case):
        records.append(ContentRecord(c.recorded_at, c.get_outcome_display(), c.argumentation))
    for c in Consultation.objects.filter(case=case):
        records.append(ContentRecord(c.recorded_at, c.get_kind_display(), c.advice))
    for d in PhaseDecision.objects.filter(case=case):
        records.append(ContentRecord(d.recorded_at, str(PhaseDecision._meta.verbose_name),
                                     d.note))
    for e in Evaluation.objects.filter(case=case):
        records.append(ContentRecord(e.recorded_at, str(Evaluation._meta.verbose_name),
                                     e.outcome))
    return sorted((r for r in records if r.text), key=lambda r: r.when)
