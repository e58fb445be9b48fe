from django.urls import path

from meldcode.views import beheer as views_beheer
from meldcode.views import two_factor as views_two_factor

urlpatterns = [
    path("", views_beheer.index, name="beheer_index"),
    path("gebruikers/", views_beheer.user_list, name="beheer_user_list"),
    path("gebruikers/nieuw/", views_beheer.user_create, name="beheer_user_create"),
    path("gebruikers/<uuid:user_id>/", views_beheer.user_edit, name="beheer_user_edit"),
    path("gebruikers/<uuid:user_id>/uitnodigen/", views_beheer.user_invite,
         name="beheer_user_invite"),
    path("gebruikers/<uuid:user_id>/rollen/toevoegen/", views_beheer.membership_add,
         name="beheer_membership_add"),
    path("gebruikers/<uuid:user_id>/rollen/<int:membership_id>/intrekken/",
         views_beheer.membership_remove, name="beheer_membership_remove"),
    path("gebruikers/<uuid:user_id>/tweede-inlogstap/herstellen/",
         views_two_factor.beheer_two_factor_reset, name="beheer_user_two_factor_reset"),
    path("scholen/", views_beheer.school_list, name="beheer_school_list"),
    path("scholen/nieuw/", views_beheer.school_create, name="beheer_school_create"),
    path("scholen/<uuid:school_id>/", views_beheer.school_edit, name="beheer_school_edit"),
]
