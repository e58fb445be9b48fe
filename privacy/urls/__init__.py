"""URLs of the right of access; views in privacy/views/requests.py."""

from django.urls import path

from privacy.views import disclosures
from privacy.views import requests as views

urlpatterns = [
    path("casussen/<uuid:case_id>/inzage/", views.access_request_list,
         name="access_request_list"),
    path("casussen/<uuid:case_id>/inzage/nieuw/", views.access_request_add,
         name="access_request_add"),
    path("casussen/<uuid:case_id>/inzage/<uuid:request_id>/", views.access_request_detail,
         name="access_request_detail"),
    path("casussen/<uuid:case_id>/inzage/<uuid:request_id>/verlengen/",
         views.access_request_extend, name="access_request_extend"),
    path("casussen/<uuid:case_id>/inzage/<uuid:request_id>/uitzonderen/",
         views.access_request_withhold, name="access_request_withhold"),
    path("casussen/<uuid:case_id>/inzage/<uuid:request_id>/werkaantekeningen/",
         views.access_request_worknotes, name="access_request_worknotes"),
    path("casussen/<uuid:case_id>/inzage/<uuid:request_id>/voorbereid/",
         views.access_request_prepare, name="access_request_prepare"),
    path("casussen/<uuid:case_id>/inzage/<uuid:request_id>/goedkeuren/",
         views.access_request_approve, name="access_request_approve"),
    path("casussen/<uuid:case_id>/inzage/<uuid:request_id>/verstrekt/",
         views.access_request_deliver, name="access_request_deliver"),
    path("casussen/<uuid:case_id>/inzage/<uuid:request_id>/kopie.pdf",
         views.access_request_export, name="access_request_export"),
    path("casussen/<uuid:case_id>/inzage/<uuid:request_id>/reactie/",
         views.access_response_add, name="access_response_add"),
    path("casussen/<uuid:case_id>/verstrekkingen/<uuid:disclosure_id>/dossier.pdf",
         disclosures.disclosure_pdf, name="disclosure_pdf"),
]
