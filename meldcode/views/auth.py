"""Account views: logging out, changing one's password, and setting it from an e-mailed
link (logging in, in two steps, is in meldcode/views/two_factor.py).

Both changes are audited in the same transaction as the change, and end the person's
other sessions: whoever knew the old password is logged out everywhere.
"""

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import reverse_lazy

from audit.services import audit
from meldcode.redirects import LocalNextMixin
from meldcode.services import sessions


class Logout(LocalNextMixin, auth_views.LogoutView):
    pass


class PasswordChange(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    @transaction.atomic
    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)  # gives this session a new key
        new_key = self.request.session.session_key
        sessions.session_rekey(old_key=old_key, new_key=new_key)
        audit("auth.password_changed", actor=self.request.user, subject=self.request.user)
        sessions.sessions_end_others(user=self.request.user, keep=new_key,
                                     reason="password_changed")
        return response


class PasswordSetConfirm(auth_views.PasswordResetConfirmView):
    """Where the invitation and "wachtwoord vergeten" links land; the change is audited."""

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        audit("auth.password_set", actor=form.user, subject=form.user)
        sessions.sessions_end_others(user=form.user, keep=None, reason="password_set")
        return response
