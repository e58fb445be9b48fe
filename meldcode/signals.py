"""A completed login starts the session clocks and leaves a record of where it happened."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from meldcode.middleware.sessions import stamp_login
from meldcode.services import sessions


@receiver(user_logged_in)
def _session_started(sender, request, user, **kwargs):
    stamp_login(request.session)
    if request.session.session_key is None:
        request.session.save()
    sessions.session_record(user=user, session_key=request.session.session_key,
                            user_agent=request.META.get("HTTP_USER_AGENT", ""))


@receiver(user_logged_out)
def _session_ended(sender, request, user, **kwargs):
    sessions.session_forget(request.session.session_key)
