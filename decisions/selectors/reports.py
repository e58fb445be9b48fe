"""Read-side of the melding: its page, the case page's summary and directie's list."""

from django.db.models import Exists, OuterRef, Q

from cases import permissions
from cases.models import CaseExclusion, CaseUserObjectPermission
from decisions.models import Report, ReportShare, VtFeedback
from meldcode.models import Role

# Who reads a melding's text by their role: the AF and OKA who draft it, directie who
# approves it (decisions/services/reports.py SENDERS).
_READERS = frozenset({Role.AANDACHTSFUNCTIONARIS, Role.OKA, Role.DIRECTIE})


def report_detail(report) -> dict:
    origin = None
    if report.answer_id:
        answer = report.answer
        origin = {"answer": answer, "weighing": answer.weighing}
    return {
        "facts": list(report.facts.select_related("observation")),
        "conversations": list(report.conversations.select_related("recorded_by")),
        "exemptions": list(report.exemptions.select_related("recorded_by")),
        "feedback": list(report.feedback.select_related("recorded_by")),
        "addenda": list(report.addenda.select_related("recorded_by")),
        "shares": list(report.shares.select_related("member", "recorded_by")),
        "sending": getattr(report, "sending", None),
        "origin": origin,
    }


def with_state(queryset):
    """What `Report.state` needs, in the same query."""
    return queryset.select_related("sending").annotate(
        has_feedback=Exists(VtFeedback.objects.filter(report=OuterRef("pk"))))


def case_reports(case) -> list:
    return list(with_state(Report.objects.filter(case=case)).order_by("created_at"))


def reports_in_progress(cases) -> dict[str, list]:
    """Meldingen of `cases` (a queryset from the permission policy) that wait for someone:
    directie's approval, an acute melding still to be acknowledged, or Veilig Thuis'
    feedback after sending. One query; the start page shows them per role."""
    rows = (with_state(Report.objects.filter(case__in=cases))
            .filter(Q(approved_at__isnull=True, submitted_at__isnull=False)
                    | Q(approved_at__isnull=True, acute_report__isnull=False)
                    | Q(sending__isnull=False, has_feedback=False))
            .select_related("case", "case__student", "drafted_by")
            .order_by("submitted_at", "created_at")[:60])
    result = {"approval": [], "acute": [], "feedback": []}
    for report in rows:
        if report.approved_at is None:
            result["acute" if report.acute_report_id else "approval"].append(report)
        else:
            result["feedback"].append(report)
    return result


def is_shared_with(report, user) -> bool:
    """The AF shared the melding's text with this teacher on the case team."""
    return ReportShare.objects.filter(report=report, member_id=user.pk).exists()


def share_candidates(case):
    """Teachers on the case team who do not read the melding by their role, in one
    query (the exclusion list keeps its people out here too)."""
    granted = CaseUserObjectPermission.objects.filter(
        content_object=case, permission__codename=permissions.TEAM_PERMISSION).values("user_id")
    readers = permissions.role_holders(*_READERS, school_id=case.school_id).values("pk")
    excluded = CaseExclusion.objects.filter(case=case).values("person_id")
    return (permissions.role_holders(Role.LEERKRACHT, school_id=case.school_id)
            .filter(pk__in=granted).exclude(pk__in=readers).exclude(pk__in=excluded)
            .order_by("last_name", "first_name"))
