"""URLs for observations (step 1); views live in cases/views/observations.py."""

from django.urls import path

from cases.views import observations as views

urlpatterns = [
    path("casussen/<uuid:case_id>/observaties/nieuw/", views.observation_new,
         name="observation_new"),
    path("casussen/<uuid:case_id>/observaties/concept-opslaan/", views.observation_autosave,
         name="observation_autosave"),
    path("casussen/<uuid:case_id>/observaties/<uuid:observation_id>/", views.observation_detail,
         name="observation_detail"),
    path("casussen/<uuid:case_id>/observaties/<uuid:observation_id>/bewerken/",
         views.observation_edit, name="observation_edit"),
    path("casussen/<uuid:case_id>/observaties/<uuid:observation_id>/verwijderen/",
         views.observation_draft_delete, name="observation_draft_delete"),
    path("casussen/<uuid:case_id>/observaties/<uuid:observation_id>/vervolgnotitie/",
         views.observation_follow_up_add, name="observation_follow_up_add"),
    path("casussen/<uuid:case_id>/bijlagen/<uuid:attachment_id>/", views.attachment_download,
         name="attachment_download"),
    path("casussen/<uuid:case_id>/bijlagen/<uuid:attachment_id>/verwijderen/",
         views.attachment_remove, name="attachment_remove"),
]
