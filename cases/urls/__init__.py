"""The URLs of the leerlingdossier, one list per subdomain (as the views and templates)."""

from cases.urls import cases as case_urls
from cases.urls import chronology, observations, pupils, tasks, workflow, worknotes

urlpatterns = [
    *case_urls.urlpatterns,
    *observations.urlpatterns,
    *workflow.urlpatterns,
    *chronology.urlpatterns,
    *worknotes.urlpatterns,
    *tasks.urlpatterns,
    *pupils.urlpatterns,
]
