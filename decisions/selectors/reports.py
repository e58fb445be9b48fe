"""Read-side of the melding: its page, the case page's summary and directie's list."""

from django.db.models import Exists, OuterRef

from decisions.models import Report, VtFeedback


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
        "sending": getattr(report, "sending", None),
        "origin": origin,
    }


def with_state(queryset):
    """What `Report.state` needs, in the same query."""
    return queryset.select_related("sending").annotate(
        has_feedback=Exists(VtFeedback.objects.filter(report=OuterRef("pk"))))


def case_reports(case) -> list:
    return list(with_state(Report.objects.filter(case=case)).order_by("created_at"))


def awaiting_approval(user, school_ids) -> list:
    """Meldingen submitted for approval at the user's schools (directie's dashboard)."""
    return list(Report.objects.filter(case__school_id__in=school_ids, submitted_at__isnull=False,
                                      approved_at__isnull=True)
                .select_related("case", "case__student", "drafted_by")
                .order_by("submitted_at"))
