"""Confirming who you are again (password and code) before sensitive actions.

`reauth_needed` (or the decorator `require_recent_auth`) guards a view: exports and PDFs
of dossier content, approving a melding, changing roles. Without a confirmation in the
last REAUTH_VALID_SECONDS a GET is sent to the confirmation page and comes back after; a
POST goes back to the page it came from, so the person can submit again once confirmed.
"""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

REAUTH_AT = "meldcode_reauth_at"


def has_recent_auth(request) -> bool:
    confirmed_at = request.session.get(REAUTH_AT)
    return (confirmed_at is not None
            and time.time() - confirmed_at < settings.REAUTH_VALID_SECONDS)


def mark_recent_auth(request) -> None:
    request.session[REAUTH_AT] = int(time.time())


def safe_next(request, candidate, fallback=None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return resolve_url(fallback or settings.LOGIN_REDIRECT_URL)


def reauth_url(next_url: str) -> str:
    return f"{reverse('reauth')}?{urlencode({'next': next_url})}"


def reauth_needed(request, *, back_to: str | None = None):
    """None when the user confirmed recently; otherwise the redirect to confirm first.

    Call it after the object was fetched through the permission policy, so someone out of
    scope still gets 404/403 rather than a confirmation page. `back_to` is where a refused
    POST returns (default: the page it came from)."""
    if has_recent_auth(request):
        return None
    if request.method in ("GET", "HEAD"):
        return redirect(reauth_url(request.get_full_path()))
    messages.info(request, _("Bevestig eerst uw wachtwoord en code. Daarna kunt u het "
                             "opnieuw proberen."))
    return redirect(reauth_url(back_to or safe_next(request, request.META.get("HTTP_REFERER"))))


def require_recent_auth(view):
    """The decorator form of `reauth_needed`, for views whose scope check comes later."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        return reauth_needed(request) or view(request, *args, **kwargs)

    return guarded
