"""URLs for the chronology and work notes; views live in cases/views_chronology.py."""

from django.urls import path

from cases import views_chronology as views

urlpatterns = [
    path("casussen/<uuid:case_id>/chronologie/", views.case_chronology,
         name="case_chronology"),
    path("casussen/<uuid:case_id>/chronologie/afdrukken/", views.case_chronology_print,
         name="case_chronology_print"),
    path("casussen/<uuid:case_id>/werkaantekeningen/", views.worknote_list,
         name="worknote_list"),
    path("casussen/<uuid:case_id>/werkaantekeningen/toevoegen/", views.worknote_add,
         name="worknote_add"),
    path("casussen/<uuid:case_id>/werkaantekeningen/<uuid:note_id>/wijzigen/",
         views.worknote_update, name="worknote_update"),
    path("casussen/<uuid:case_id>/werkaantekeningen/<uuid:note_id>/verwijderen/",
         views.worknote_delete, name="worknote_delete"),
]
