"""URLs of the stappenplan pages; views live in cases/views/workflow.py."""

from django.urls import path

from cases.views import workflow as views

urlpatterns = [
    path("casussen/<uuid:case_id>/stappenplan/<slug:action>/", views.workflow_action_form,
         name="case_workflow_form"),
    path("casussen/<uuid:case_id>/stappenplan/<slug:action>/uitvoeren/", views.workflow_action,
         name="case_workflow_action"),
]
