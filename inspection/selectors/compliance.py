"""Did the school follow the meldcode? The compliance summary over its pseudonymised cases."""

from __future__ import annotations

from dataclasses import dataclass

from inspection.selectors.cases import CaseRow


@dataclass(frozen=True)
class Share:
    done: int
    of: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.of) if self.of else None


@dataclass(frozen=True)
class Compliance:
    cases: int
    steps_in_order: Share  # cases whose every step was recorded before the next began
    deadlines_met: Share  # deadlines due (done or overdue) that were met on time
    four_eyes: Share  # meldingen approved by someone other than who drafted them
    parents_informed: Share  # meldingen discussed with the parents before they were made
    parents_exception: int  # meldingen made without that, with a recorded exception
    monitoring_kept: Share  # monitoring periods ended after the full follow period
    reopened: int


def compliance_of(rows: list[CaseRow]) -> Compliance:
    stepped = [r for r in rows if any(s.in_order is not None for s in r.steps)]
    deadlines = [d for r in rows for d in r.deadlines]
    meldingen = [m for r in rows for m in r.meldingen]
    monitored = [r for r in rows if r.monitoring_kept is not None]
    return Compliance(
        cases=len(rows),
        steps_in_order=Share(sum(r.steps_in_order for r in stepped), len(stepped)),
        deadlines_met=Share(sum(d.met for d in deadlines), len(deadlines)),
        four_eyes=Share(sum(m.four_eyes for m in meldingen), len(meldingen)),
        parents_informed=Share(sum(m.parents == "informed" for m in meldingen),
                               len(meldingen)),
        parents_exception=sum(m.parents == "exception" for m in meldingen),
        monitoring_kept=Share(sum(bool(r.monitoring_kept) for r in monitored), len(monitored)),
        reopened=sum(bool(r.reopenings) for r in rows),
    )
