"""The single way to write audit events and access-log entries.

Services call `audit()` inside their own transaction, so the event commits or rolls back
together with the change it describes. A later tamper-evident store replaces the body of
`audit()` without touching any caller.
"""

from __future__ import annotations

import uuid

from django.db import models

from audit.context import request_ip
from audit.models import AccessLog, AuditEvent
from audit.registry import ensure_known


def _subject_fields(subject) -> dict:
    if subject is None:
        return {"subject_type": "", "subject_id": ""}
    if isinstance(subject, models.Model):
        return {"subject_type": subject._meta.label_lower, "subject_id": str(subject.pk)}
    raise TypeError("audit subject must be a model instance or None")


def _case_id_of(subject, case) -> uuid.UUID | None:
    if case is not None:
        return case.pk
    if subject is not None and subject._meta.label_lower == "cases.case":
        return subject.pk
    return None


def _school_id_of(subject, case):
    """The school an event belongs to: the case's, else the subject's own school."""
    if case is not None:
        return case.school_id
    return getattr(subject, "school_id", None)


def audit(
    action: str,
    *,
    actor=None,
    subject=None,
    case=None,
    school=None,
    actor_role: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` to `subject`. The action code must be registered."""
    ensure_known(action)
    school_id = school.pk if school is not None else _school_id_of(subject, case)
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_role=actor_role,
        school_id=school_id,
        case_id=_case_id_of(subject, case),
        ip_address=request_ip.get(),
        data=data or {},
        **_subject_fields(subject),
    )


def access_log(*, user, what: str, case=None, student=None, roles=None) -> AccessLog:
    """Record that `user` read dossier content (`what`) of a case or pupil.

    The role is the one the user acts in on that case, as the permission policy found it
    when the case was fetched (`get_case_for_user`); for a read of a pupil without a case
    (their carers) the caller names the roles."""
    if student is None and case is not None:
        student = case.student
    role = ",".join(sorted(roles if roles is not None else getattr(case, "acting_roles", ())))
    return AccessLog.objects.create(
        user=user,
        role=role,
        what=what,
        case_id=case.pk if case is not None else None,
        student_id=student.pk if student is not None else None,
        ip_address=request_ip.get(),
    )
