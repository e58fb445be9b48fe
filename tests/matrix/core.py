"""Matrix rows for the foundation: dashboard, accounts, pupils, cases, team, beheer."""

from tests.factories import StudentFactory, grant_team
from tests.matrix.rows import Row, everyone


def _kompas_student(p):
    return {"kompas_student": StudentFactory(school=p.other_school)}


def _oka_on_team(p):
    grant_team(p.case, p.oka)
    return {}


NOT_FOUND_OUTSIDE_TEAM = {
    "teacher_not_on_case": 404, "beheerder": 404, "bestuur": 404, "inspecteur": 404,
    "teacher_other_school": 404, "af_other_school": 404,
}

ROWS = [
    Row("dashboard", everyone(200)),
    # For the load balancer: no login, and the same answer (no data) for everyone.
    Row("health", everyone(200, anonymous=200)),
    Row("password_change", everyone(200)),
    Row("password_change_done", everyone(200)),
    Row("notification_list", everyone(200)),
    # A teacher's own class list: whoever may report a concern (empty without a group).
    Row("class_list", everyone(200, beheerder=403, bestuur=403, inspecteur=403)),
    Row("student_search", everyone(200, beheerder=403, bestuur=403, inspecteur=403),
        query="q=Noah"),
    Row("case_open", everyone(302, beheerder=404, bestuur=404, inspecteur=404,
                              teacher_other_school=404, af_other_school=404),
        method="post", kwargs=lambda p: {"student_id": p.case.student.pk},
        label="POST case_open (own school)"),
    Row("case_open",
        everyone(404, anonymous=302, teacher_other_school=302, af_other_school=302),
        method="post", kwargs=lambda p: {"student_id": p.extra["kompas_student"].pk},
        setup=_kompas_student, label="POST case_open (other school)"),
    Row("case_list", everyone(200, teacher_on_case=403, teacher_not_on_case=403, oka=403,
                              beheerder=403, inspecteur=403, teacher_other_school=403)),
    Row("case_detail", everyone(200, **NOT_FOUND_OUTSIDE_TEAM, oka=404),
        kwargs=lambda p: {"case_id": p.case.pk}),
    Row("case_team_add", everyone(302, **NOT_FOUND_OUTSIDE_TEAM, oka=404, teacher_on_case=403,
                                  directie=403),
        method="post", kwargs=lambda p: {"case_id": p.case.pk},
        data=lambda p: {"member": p.oka.pk}),
    Row("case_team_remove", everyone(302, **NOT_FOUND_OUTSIDE_TEAM, oka=403,
                                     teacher_on_case=403, directie=403),
        method="post", kwargs=lambda p: {"case_id": p.case.pk, "user_id": p.oka.pk},
        setup=_oka_on_team),
    Row("beheer_index", everyone(403, beheerder=200)),
]
