"""Matrix rows for tasks (deadlines) and the board's deadline policy."""

from django.utils import timezone

from tests.factories import BoardFactory, TaskFactory
from tests.matrix.rows import Row, everyone


def _af_task(p):
    return {"task": TaskFactory(case=p.case, owner=p.af)}


def _teacher_task(p):
    return {"task": TaskFactory(case=p.case, owner=p.teacher_on_case)}


def _done_af_task(p):
    return {"task": TaskFactory(case=p.case, owner=p.af, completed_at=timezone.now(),
                                completed_by=p.af)}


def _other_board(p):
    return {"board": BoardFactory()}


# The task's case is visible to its team only; others must not learn that it exists.
OUTSIDE_CASE = {
    "teacher_not_on_case": 404, "oka": 404, "beheerder": 404, "bestuur": 404,
    "inspecteur": 404, "teacher_other_school": 404, "af_other_school": 404,
}
TASK = {"kwargs": lambda p: {"task_id": p.extra["task"].pk}}

POLICY_FORM = {
    "phase1_months": 1, "review_months": 2, "weigh_months": 1, "vt_decision_working_days": 5,
    "follow_months": 9, "teacher_watch_months": 4, "zorgteam_again_months": 6,
    "departure_working_days": 5,
}

ROWS = [
    Row("task_list", everyone(200)),
    Row("task_list", everyone(200), query="weergave=school", label="GET task_list (school)"),
    Row("task_complete", everyone(302, **OUTSIDE_CASE, teacher_on_case=403),
        method="post", setup=_af_task, label="POST task_complete (AF's task)", **TASK),
    Row("task_complete", everyone(302, **OUTSIDE_CASE), method="post", setup=_teacher_task,
        label="POST task_complete (teacher's task)", **TASK),
    Row("task_reopen", everyone(302, **OUTSIDE_CASE, teacher_on_case=403),
        method="post", setup=_done_af_task, **TASK),
    Row("task_reassign", everyone(302, **OUTSIDE_CASE, teacher_on_case=403),
        method="post", setup=_af_task, data=lambda p: {"owner": p.directie.pk}, **TASK),
    Row("deadline_policy_index", everyone(403, beheerder=302)),
    Row("deadline_policy_edit", everyone(403, beheerder=200),
        kwargs=lambda p: {"board_id": p.school.board.pk}),
    Row("deadline_policy_edit", everyone(403, beheerder=302), method="post",
        kwargs=lambda p: {"board_id": p.school.board.pk}, data=lambda p: POLICY_FORM),
    Row("deadline_policy_edit", everyone(403, beheerder=404), setup=_other_board,
        kwargs=lambda p: {"board_id": p.extra["board"].pk},
        label="GET deadline_policy_edit (other board)"),
]
