from django.urls import path

from meldcode.views import sessions as views_sessions
from meldcode.views import two_factor as views_two_factor

urlpatterns = [
    path("inloggen/code/", views_two_factor.verify, name="two_factor_verify"),
    path("inloggen/app-instellen/", views_two_factor.enrol, name="two_factor_enrol"),
    path("bevestigen/", views_two_factor.reauth, name="reauth"),
    path("account/beveiliging/", views_sessions.account_security, name="account_security"),
    path("account/sessies/<int:session_id>/beeindigen/", views_sessions.session_end,
         name="session_end"),
    path("account/herstelcodes/", views_two_factor.recovery_codes_renew,
         name="recovery_codes_renew"),
]
