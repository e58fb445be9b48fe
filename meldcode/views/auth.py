"""Account views: logging in and out, changing one's password, and setting it from an
e-mailed link.

Both changes are audited in the same transaction as the change.
"""

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import reverse_lazy

from audit.services import audit
from meldcode.forms.auth import LoginForm
from meldcode.redirects import LocalNextMixin


class Login(LocalNextMixin, auth_views.LoginView):
    authentication_form = LoginForm


class Logout(LocalNextMixin, auth_views.LogoutView):
    pass


class PasswordChange(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        audit("auth.password_changed", actor=self.request.user, subject=self.request.user)
        return response


class PasswordSetConfirm(auth_views.PasswordResetConfirmView):
    """Where the invitation and "wachtwoord vergeten" links land; the change is audited."""

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        audit("auth.password_set", actor=form.user, subject=form.user)
        return response
