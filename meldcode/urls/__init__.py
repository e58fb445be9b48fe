from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from meldcode.forms.auth import LoginForm, PasswordResetRequestForm
from meldcode.views import auth as auth_account_views
from meldcode.views import dashboard
from signals_catalog import views as signals_catalog_views

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("inloggen/", auth_views.LoginView.as_view(authentication_form=LoginForm),
         name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
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
    path("", include("cases.urls")),
    path("", include("decisions.urls")),
    path("beheer/signalen/", include("signals_catalog.urls")),
    path("signalenlijsten/", signals_catalog_views.signal_lists, name="signal_lists"),
    path("beheer/", include("meldcode.urls.beheer")),
    path("django-admin/", admin.site.urls),
]
