"""Mounted at beheer/signalen/ (meldcode/urls.py)."""

from django.urls import path

from signals_catalog import views

urlpatterns = [
    path("", views.index, name="catalog_index"),
    path("leeftijd/<slug:code>/", views.band_detail, name="catalog_band"),
    path("leeftijd/<slug:code>/versie/<int:version>/", views.version_detail,
         name="catalog_version"),
    path("leeftijd/<slug:code>/toevoegen/", views.signal_add, name="catalog_signal_add"),
    path("signaal/<int:signal_id>/", views.signal_edit, name="catalog_signal_edit"),
    path("signaal/<int:signal_id>/herformuleren/", views.signal_reword,
         name="catalog_signal_reword"),
    path("signaal/<int:signal_id>/intrekken/", views.signal_retire,
         name="catalog_signal_retire"),
]
