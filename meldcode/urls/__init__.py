from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from meldcode.forms.auth import PasswordResetRequestForm
from meldcode.views import auth as auth_account_views
from meldcode.views import dashboard, health
from meldcode.views import roles as role_views
from meldcode.views import two_factor as two_factor_views
from signals_catalog import views as signals_catalog_views

# Rendered without the database, with the request id (meldcode/views/errors.py).
handler500 = "meldcode.views.errors.server_error"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("gezondheid/", health.health, name="health"),
    path("inloggen/", two_factor_views.PasswordStepLogin.as_view(), name="login"),
    path("", include("meldcode.urls.account")),
    path("uitloggen/", auth_account_views.Logout.as_view(), name="logout"),
    path("wachtwoord/", auth_account_views.PasswordChange.as_view(), name="password_change"),
    path("wachtwoord/gewijzigd/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    # Setting a password by e-mailed link: "wachtwoord vergeten" and new accounts' invitation.
    path("wachtwoord/vergeten/", login_not_required(auth_views.PasswordResetView.as_view(
        form_class=PasswordResetRequestForm,
        email_template_name="registration/password_reset_email.txt",
    )), name="password_reset"),
    path("wachtwoord/vergeten/verstuurd/",
         login_not_required(auth_views.PasswordResetDoneView.as_view()),
         name="password_reset_done"),
    path("wachtwoord/instellen/<uidb64>/<token>/",
         login_not_required(auth_account_views.PasswordSetConfirm.as_view()),
         name="password_reset_confirm"),
    path("wachtwoord/ingesteld/",
         login_not_required(auth_views.PasswordResetCompleteView.as_view()),
         name="password_reset_complete"),
    # Confirming the roles a beheerder gave (directie, or bestuur).
    path("rollen/bevestigen/", role_views.confirmation_list, name="role_confirmation_list"),
    path("rollen/<int:membership_id>/bevestigen/", role_views.role_confirm,
         name="role_confirm"),
    path("rollen/<int:membership_id>/weigeren/", role_views.role_refuse, name="role_refuse"),
    path("", include("cases.urls")),
    path("inzagelog/", include("audit.urls")),
    path("", include("decisions.urls")),
    path("", include("inspection.urls")),
    path("vernietiging/", include("retention.urls")),
    path("", include("privacy.urls")),
    path("beheer/signalen/", include("signals_catalog.urls")),
    path("signalenlijsten/", signals_catalog_views.signal_lists, name="signal_lists"),
    path("beheer/", include("meldcode.urls.beheer")),
]
