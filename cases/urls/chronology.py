"""URLs of the case chronology; views live in cases/views/chronology.py."""

from django.urls import path

from cases.views import chronology as views

urlpatterns = [
    path("casussen/<uuid:case_id>/chronologie/", views.case_chronology,
         name="case_chronology"),
    path("casussen/<uuid:case_id>/chronologie/afdrukken/", views.case_chronology_print,
         name="case_chronology_print"),
    path("casussen/<uuid:case_id>/dossier/<slug:kind>/<uuid:record_id>/", views.case_record,
         name="case_record"),
]
