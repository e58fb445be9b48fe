"""URLs of the user's own werkaantekeningen; views live in cases/views/worknotes.py."""

from django.urls import path

from cases.views import worknotes as views

urlpatterns = [
    path("casussen/<uuid:case_id>/werkaantekeningen/", views.worknote_list,
         name="worknote_list"),
    path("casussen/<uuid:case_id>/werkaantekeningen/toevoegen/", views.worknote_add,
         name="worknote_add"),
    path("casussen/<uuid:case_id>/werkaantekeningen/<uuid:note_id>/wijzigen/",
         views.worknote_update, name="worknote_update"),
    path("casussen/<uuid:case_id>/werkaantekeningen/<uuid:note_id>/verwijderen/",
         views.worknote_delete, name="worknote_delete"),
]
