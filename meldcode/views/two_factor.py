"""Logging in in two steps, setting up the app, and confirming who you are again.

The password step does not log anyone in: it remembers, in the anonymous session and for
LOGIN_CODE_STEP_SECONDS, whose password was right. Only the code step calls Django's
`login()`, so `last_login`, the login audit event and the session record all mark a
complete login, and the login limits (which count failures since `last_login`) cannot be
reset by entering the password again.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import audit
from meldcode import permissions
from meldcode.errors import DomainError
from meldcode.forms.auth import LoginForm
from meldcode.forms.two_factor import EnrolmentForm, LoginCodeForm, ReauthForm
from meldcode.models import User
from meldcode.reauth import mark_recent_auth, reauth_needed, safe_next
from meldcode.redirects import LocalNextMixin
from meldcode.services import two_factor as services

PENDING = "meldcode_login_pending"


class PasswordStepLogin(LocalNextMixin, auth_views.LoginView):
    # `next` is kept only when it is a path on this site (meldcode/redirects.py); the
    # password check runs under the login limits' lock (meldcode/forms/auth.py).
    authentication_form = LoginForm

    def form_valid(self, form):
        user = form.get_user()
        if self.request.user.is_authenticated:
            # Someone else logs in at this browser: the earlier person is logged out first.
            auth_logout(self.request)
        # A new key: nothing set before the password step carries into the login.
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk, "backend": user.backend, "at": int(time.time()),
            "next": self.get_redirect_url(),
        }
        audit("auth.password_accepted", subject=user)
        if services.has_second_factor(user):
            return redirect("two_factor_verify")
        return redirect("two_factor_enrol")


def _candidate(request):
    """Whose second factor is asked: the pending login, or an unverified session's user."""
    if request.user.is_authenticated:
        user = User.objects.get(pk=request.user.pk)
        return user, request.session.get(BACKEND_SESSION_KEY), ""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > settings.LOGIN_CODE_STEP_SECONDS:
        return None, None, ""
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending["backend"], pending.get("next", "")


def _complete_login(request, user, backend, device):
    request.session.pop(PENDING, None)
    user.otp_device = device  # django-otp stores it in the session on user_logged_in
    auth_login(request, user, backend=backend)


def _back_to_login(request):
    if request.session.pop(PENDING, None) is not None:
        messages.info(request, _("De tijd om de code in te vullen is verstreken. Log opnieuw "
                                 "in."))
    return redirect("login")


def _already_verified(request):
    return request.user.is_authenticated and request.user.is_verified()


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if _already_verified(request):
        return redirect(settings.LOGIN_REDIRECT_URL)
    user, backend, next_url = _candidate(request)
    if user is None:
        return _back_to_login(request)
    if not services.has_second_factor(user):
        return redirect("two_factor_enrol")
    form = LoginCodeForm(request.POST or None, user=user)
    if form.is_valid():
        _complete_login(request, user, backend, form.device)
        return redirect(safe_next(request, next_url))
    return render(request, "registration/two_factor_verify.html",
                  {"form": form, "candidate": user})


@login_not_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    if _already_verified(request):
        return redirect(settings.LOGIN_REDIRECT_URL)
    user, backend, next_url = _candidate(request)
    if user is None:
        return _back_to_login(request)
    if services.has_second_factor(user):
        return redirect("two_factor_verify")
    device = services.totp_enrolment_begin(user=user)
    form = EnrolmentForm(request.POST or None, user=user)
    if form.is_valid():
        device.refresh_from_db()
        _complete_login(request, user, backend, device)
        # Shown in this response only: the codes are not kept anywhere readable.
        return render(request, "registration/recovery_codes.html",
                      {"codes": form.recovery_codes, "next": safe_next(request, next_url),
                       "first_time": True})
    return render(request, "registration/two_factor_enrol.html", {
        "form": form, "qr_svg": services.totp_qr_svg(device),
        "secret": services.totp_secret(device),
    })


@require_http_methods(["GET", "POST"])
def reauth(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = ReauthForm(request.POST or None, request=request)
    if form.is_valid():
        mark_recent_auth(request)
        audit("auth.reauthenticated", actor=request.user, subject=request.user)
        return redirect(next_url)
    return render(request, "registration/reauth.html", {"form": form, "next": next_url})


@require_POST
def recovery_codes_renew(request):
    # New codes are a second factor of their own: not for whoever found an open session.
    back = reverse("account_security")
    if (confirm_first := reauth_needed(request, back_to=back)) is not None:
        return confirm_first
    try:
        codes = services.recovery_codes_renew(user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("account_security")
    return render(request, "registration/recovery_codes.html",
                  {"codes": codes, "next": reverse("account_security"), "first_time": False})


@require_POST
def beheer_two_factor_reset(request, user_id):
    target = permissions.get_user_for_manager(request.user, user_id)
    back = reverse("beheer_user_edit", kwargs={"user_id": target.uuid})
    if (confirm_first := reauth_needed(request, back_to=back)) is not None:
        return confirm_first
    try:
        services.two_factor_reset(actor=request.user, user=target)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De tweede inlogstap van %(name)s is opnieuw ingesteld. "
                                    "Bij de volgende keer inloggen stelt de persoon een nieuwe "
                                    "app in.") % {"name": target})
    return redirect("beheer_user_edit", user_id=target.uuid)
