"""URL of the case timeline; view in cases/views/timeline.py."""

from django.urls import path

from cases.views import timeline as views

urlpatterns = [
    path("casussen/<uuid:case_id>/tijdlijn/", views.case_timeline_view, name="case_timeline"),
]
