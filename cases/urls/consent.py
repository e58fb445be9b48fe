"""URLs for consent and written information to third parties; views in cases/views/consent.py."""

from django.urls import path

from cases.views import consent as views

urlpatterns = [
    path("casussen/<uuid:case_id>/toestemming/", views.consent_list, name="consent_list"),
    path("casussen/<uuid:case_id>/toestemming/nieuw/", views.consent_add, name="consent_add"),
    path("casussen/<uuid:case_id>/toestemming/<uuid:consent_id>/intrekken/",
         views.consent_withdraw, name="consent_withdraw"),
    path("casussen/<uuid:case_id>/verstrekkingen/nieuw/", views.disclosure_add,
         name="disclosure_add"),
]
