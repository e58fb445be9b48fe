"""URLs for tasks (deadlines) and the board's deadline policy; views in cases/views/tasks.py."""

from django.urls import path

from cases.views import tasks as views_tasks

urlpatterns = [
    path("taken/", views_tasks.task_list, name="task_list"),
    path("taken/<uuid:task_id>/afronden/", views_tasks.task_complete, name="task_complete"),
    path("taken/<uuid:task_id>/heropenen/", views_tasks.task_reopen, name="task_reopen"),
    path("taken/<uuid:task_id>/toewijzen/", views_tasks.task_reassign, name="task_reassign"),
    path("termijnen/", views_tasks.deadline_policy_index, name="deadline_policy_index"),
    path("termijnen/<uuid:board_id>/", views_tasks.deadline_policy_edit,
         name="deadline_policy_edit"),
]
