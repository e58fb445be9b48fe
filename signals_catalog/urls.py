"""Mounted at beheer/signalen/ (meldcode/urls.py). Every page below the index is per board."""

from django.urls import path

from signals_catalog import views

urlpatterns = [
    path("", views.index, name="catalog_index"),
    path("<uuid:board_id>/", views.board_detail, name="catalog_board"),
    path("<uuid:board_id>/leeftijd/<slug:code>/", views.band_detail, name="catalog_band"),
    path("<uuid:board_id>/leeftijd/<slug:code>/versie/<int:version>/", views.version_detail,
         name="catalog_version"),
    path("<uuid:board_id>/leeftijd/<slug:code>/toevoegen/", views.signal_add,
         name="catalog_signal_add"),
    path("<uuid:board_id>/signaal/<int:signal_id>/", views.signal_edit,
         name="catalog_signal_edit"),
    path("<uuid:board_id>/signaal/<int:signal_id>/herformuleren/", views.signal_reword,
         name="catalog_signal_reword"),
    path("<uuid:board_id>/signaal/<int:signal_id>/intrekken/", views.signal_retire,
         name="catalog_signal_retire"),
]
