"""URLs for pupils, cases, the case team and notifications; views in cases/views/cases.py."""

from django.urls import path

from cases.views import cases as views

urlpatterns = [
    path("leerlingen/", views.student_search, name="student_search"),
    path("leerlingen/mijn-groep/", views.class_list, name="class_list"),
    path("leerlingen/<uuid:student_id>/zorg-melden/", views.case_open, name="case_open"),
    path("casussen/", views.case_list, name="case_list"),
    path("casussen/<uuid:case_id>/", views.case_detail, name="case_detail"),
    path("casussen/<uuid:case_id>/team/toevoegen/", views.case_team_add, name="case_team_add"),
    path("casussen/<uuid:case_id>/team/<int:user_id>/verwijderen/", views.case_team_remove,
         name="case_team_remove"),
    path("berichten/", views.notification_list, name="notification_list"),
]
