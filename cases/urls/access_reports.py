"""URL of the parents' access overview; view in cases/views/access_reports.py."""

from django.urls import path

from cases.views import access_reports as views

urlpatterns = [
    path("leerlingen/<uuid:student_id>/inzageoverzicht/", views.student_access_report,
         name="student_access_report"),
]
