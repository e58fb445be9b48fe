"""Sessions end after SESSION_IDLE_SECONDS without a request and SESSION_ABSOLUTE_SECONDS
after the login, whatever the browser does with its cookie."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from audit.services import audit

STARTED = "meldcode_started"
SEEN = "meldcode_seen"
# Writing the session on every request costs a query; a minute is precise enough.
SEEN_RESOLUTION = 60


def stamp_login(session) -> None:
    """Called when a login completes: the absolute and idle clocks start now."""
    now = int(time.time())
    session[STARTED] = now
    session[SEEN] = now


def _expired(session, now: int) -> str:
    started, seen = session.get(STARTED), session.get(SEEN)
    if started is None or seen is None:
        # A session from before these limits, or one never completed: log in again.
        return "unknown"
    if now - started >= settings.SESSION_ABSOLUTE_SECONDS:
        return "absolute"
    if now - seen >= settings.SESSION_IDLE_SECONDS:
        return "idle"
    return ""


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            reason = _expired(session, now)
            if reason:
                user = request.user
                logout(request)
                audit("auth.session_expired", subject=user, data={"limit": reason})
                messages.info(request, _("U bent automatisch uitgelogd omdat uw sessie is "
                                         "verlopen. Log opnieuw in."))
                if request.method == "GET":
                    return redirect_to_login(request.get_full_path())
                return redirect(settings.LOGIN_URL)
            if now - session[SEEN] >= SEEN_RESOLUTION:
                session[SEEN] = now
        return self.get_response(request)
