"""The URLs of the leerlingdossier, one list per subdomain (as the views and templates)."""

from cases.urls import (
    access_reports,
    chronology,
    consent,
    documents,
    observations,
    pupils,
    tasks,
    timeline,
    workflow,
    worknotes,
)
from cases.urls import cases as case_urls

urlpatterns = [
    *case_urls.urlpatterns,
    *observations.urlpatterns,
    *workflow.urlpatterns,
    *chronology.urlpatterns,
    *worknotes.urlpatterns,
    *tasks.urlpatterns,
    *pupils.urlpatterns,
    *access_reports.urlpatterns,
    *timeline.urlpatterns,
    *consent.urlpatterns,
    *documents.urlpatterns,
]
