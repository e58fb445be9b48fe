"""The single way to write audit events and access-log entries.

Services call `audit()` inside their own transaction, so the event commits or rolls back
together with the change it describes; the event is chained (audit/services/chain.py) in
the same statement.

Access-log entries of a web request are collected while the request runs and written once,
by `audit.middleware`, when the response is known (`write_request_access`): one insert per
request, with the outcome. Outside a request `access_log()` writes at once.
"""

from __future__ import annotations

import functools
import uuid

from django.db import models

from audit.context import PendingAccess, request_access, request_ip
from audit.models import AccessKind, AccessLog, AccessOutcome, AuditEvent
from audit.registry import ensure_known
from meldcode.permissions import grants


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
    board=None,
    actor_role: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` to `subject`. The action code must be registered.

    The event joins the chain of the board of its school (or `board`, a Board or its id);
    without either, the global chain."""
    ensure_known(action)
    school_id = school.pk if school is not None else _school_id_of(subject, case)
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_role=actor_role,
        school_id=school_id,
        board_id=getattr(board, "pk", board) if school_id is None else None,
        case_id=_case_id_of(subject, case),
        ip_address=request_ip.get(),
        data=data or {},
        **_subject_fields(subject),
    )


# --- Access log ------------------------------------------------------------------------


def _general_role(user) -> str:
    return ",".join(sorted({g.role for g in grants(user)}))[:80]


def _single(values: set):
    return next(iter(values)) if len(values) == 1 else None


def _entry(user, what, kind, *, case=None, student=None, role=None) -> AccessLog:
    if student is None and case is not None:
        student_id = case.student_id
    else:
        student_id = student.pk if student is not None else None
    holder = case if case is not None else student
    if holder is not None:
        school_id = holder.school_id
        school = holder._state.fields_cache.get("school")  # loaded by the policy
        board_id = school.board_id if school is not None else None
    else:
        # A list or search page: the user's own school and board, when there is just one.
        held = grants(user)
        school_id = _single({g.school_id for g in held if g.school_id})
        board_id = _single({g.board_id for g in held})
    if role is None:
        acting = getattr(case, "acting_roles", None)
        role = ",".join(sorted(acting)) if acting else _general_role(user)
    return AccessLog(user=user, role=role, kind=kind, what=what[:80],
                     case_id=case.pk if case is not None else None, student_id=student_id,
                     school_id=school_id, board_id=board_id, ip_address=request_ip.get())


def access_log(*, user, what: str, kind: str = AccessKind.READ, case=None,
               student=None, roles=None) -> AccessLog:
    """Record that `user` read (or printed, exported, searched …) dossier content.

    The role is the one the user acts in on that case, as the permission policy found it
    when the case was fetched (`get_case_for_user`); for a read of a pupil without a case
    (their carers) the caller names the roles; for list pages, the user's roles."""
    role = ",".join(sorted(roles)) if roles is not None else None
    entry = _entry(user, what, kind, case=case, student=student, role=role)
    pending = request_access.get()
    if pending is not None:
        pending.entry = entry
    else:
        entry.save()
    return entry


def access_seen(user, *, case=None, student=None) -> None:
    """The policy handed `case` (or `student`) to this request: the request is logged as a
    read of it even when the view declares nothing more (`access_log`)."""
    pending = request_access.get()
    if pending is not None and user.is_authenticated:
        pending.seen = (case, student)


def access_refused(user, outcome: str, *, case=None, student=None, case_id=None,
                   student_id=None) -> None:
    """The policy refused this request a case or pupil (404 outside scope, 403 in scope)."""
    pending = request_access.get()
    if pending is not None and user.is_authenticated:
        pending.refused = (outcome, case, student, case_id, student_id)


def logged_access(what: str, kind: str = AccessKind.LIST):
    """View decorator for pages that show dossier content of many cases (lists, search):
    one entry per request, whatever the number of rows."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated:
                access_log(user=request.user, what=what, kind=kind)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


# The URL parameters that make a refused URL a dossier URL.
_DOSSIER_KWARGS = ("case_id", "student_id", "observation_id", "attachment_id", "task_id")


def _as_uuid(value):
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def write_request_access(request, response, pending: PendingAccess) -> None:
    """Write the request's one access-log entry, if it touched dossier content."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    status = response.status_code
    match = getattr(request, "resolver_match", None)
    url_name = (match.url_name if match is not None else "") or request.path
    kwargs = match.kwargs if match is not None else {}
    touched = pending.entry or pending.seen or pending.refused
    if status in (403, 404) or (pending.refused and not (pending.entry or pending.seen)):
        if not touched and not any(key in kwargs for key in _DOSSIER_KWARGS):
            return
        entry = _refusal(user, url_name, status, pending, kwargs)
    elif pending.entry is not None:
        entry = pending.entry
        if status >= 500:
            entry.outcome = AccessOutcome.ERROR
    elif pending.seen is not None:
        case, student = pending.seen
        kind = AccessKind.READ if request.method in ("GET", "HEAD") else AccessKind.UPDATE
        entry = _entry(user, url_name, kind, case=case, student=student)
        if status >= 500:
            entry.outcome = AccessOutcome.ERROR
    else:
        return
    entry.save()


def _refusal(user, url_name, status, pending: PendingAccess, kwargs) -> AccessLog:
    if pending.refused is not None:
        outcome, case, student, case_id, student_id = pending.refused
    else:
        outcome = AccessOutcome.FORBIDDEN if status == 403 else AccessOutcome.NOT_FOUND
        case, student = pending.seen or (None, None)
        case_id, student_id = kwargs.get("case_id"), kwargs.get("student_id")
    if case is not None or student is not None:
        entry = _entry(user, url_name, AccessKind.REFUSED, case=case, student=student,
                       role=_general_role(user))
    else:
        entry = _entry(user, url_name, AccessKind.REFUSED, role=_general_role(user))
        entry.case_id, entry.student_id = _as_uuid(case_id), _as_uuid(student_id)
    if pending.entry is not None:
        entry.what = pending.entry.what
    entry.outcome = outcome
    return entry
