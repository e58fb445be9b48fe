"""URLs of documents made outside the request; views live in cases/views/documents.py."""

from django.urls import path

from cases.views import documents as views

urlpatterns = [
    path("casussen/<uuid:case_id>/documenten/<slug:kind>/aanvragen/", views.document_request,
         name="document_request"),
    path("documenten/<uuid:job_id>/", views.document_job, name="document_job"),
    path("documenten/<uuid:job_id>/downloaden/", views.document_download,
         name="document_download"),
]
