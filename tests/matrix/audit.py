"""Matrix rows for the audit views: the access log, the parents' access overview and the
case timeline."""

from tests.matrix.core import NOT_FOUND_OUTSIDE_TEAM
from tests.matrix.rows import Row, everyone

# The bestuur reviews its board's access log; nobody else.
BESTUUR_ONLY = everyone(403, bestuur=200)

# The AF of the pupil's school; other staff of that school are in scope but not allowed.
PUPIL_REPORT = everyone(403, af=200, beheerder=404, bestuur=404, inspecteur=404,
                        teacher_other_school=404, af_other_school=404)

# The case history: AF and directie; the teacher on the team sees the case, not its history.
HISTORY = everyone(200, **NOT_FOUND_OUTSIDE_TEAM, oka=404, teacher_on_case=403)


def _student(p):
    return {"student_id": p.case.student.pk}


def _case(p):
    return {"case_id": p.case.pk}


ROWS = [
    Row("access_log_search", BESTUUR_ONLY),
    Row("access_log_search", BESTUUR_ONLY, query="soort=refused&van=2026-01-01",
        label="GET access_log_search (filtered)"),
    Row("access_log_export", BESTUUR_ONLY),
    Row("student_access_report", PUPIL_REPORT, kwargs=_student),
    Row("student_access_report", PUPIL_REPORT, kwargs=_student, query="formaat=csv",
        label="GET student_access_report (csv)"),
    Row("student_access_report", PUPIL_REPORT, kwargs=_student, query="formaat=pdf",
        label="GET student_access_report (pdf)"),
    Row("case_timeline", HISTORY, kwargs=_case),
    Row("case_timeline", HISTORY, kwargs=_case, query="soort=casus&na=garbage",
        label="GET case_timeline (filtered)"),
]
