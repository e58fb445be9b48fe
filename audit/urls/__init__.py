"""URLs of the access log for the bestuur; views in audit/views/access.py."""

from django.urls import path

from audit.views import access as views

urlpatterns = [
    path("", views.access_log_search, name="access_log_search"),
    path("export/", views.access_log_export, name="access_log_export"),
]
