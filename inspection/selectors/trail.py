"""The audit trail of a grant's schools as the inspecteur reads it: Dutch sentences, roles,
case codes; staff names only when the grant includes them; never the event's data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from audit.registry import known_actions, sentence_for
from audit.selectors.timeline import role_label
from audit.selectors.trail import TrailFilter, trail
from inspection.selectors.cases import case_code


def action_groups() -> list[str]:
    """The prefixes of the registered action codes ("case.", "report." …), for the filter."""
    return sorted({code.split(".")[0] + "." for code in known_actions() if "." in code})


@dataclass(frozen=True)
class TrailRow:
    when: datetime
    school: str
    sentence: str
    action: str
    role: str
    actor: str
    case: str


def grant_trail(grant, *, school_ids, start: date, end: date, action: str = "",
                role: str = ""):
    """The events of the grant's schools, within both the grant's period and the filter."""
    start = max(start or grant.period_start, grant.period_start)
    end = min(end or grant.period_end, grant.period_end)
    return trail(TrailFilter(school_ids=frozenset(school_ids),
                             actions=(action,) if action else (), actor_role=role,
                             start=start, end=end)).select_related("school")


def trail_rows(events, *, with_names: bool) -> list[TrailRow]:
    return [TrailRow(when=e.occurred_at, school=e.school.name if e.school else "",
                     sentence=sentence_for(e.action), action=e.action,
                     role=role_label([c for c in e.actor_role.split(",") if c]),
                     actor=str(e.actor) if with_names and e.actor else "",
                     case=case_code(e.case_id) if e.case_id else "")
            for e in events]

