"""One log line per request, and the request id on the response (and the 500 page)."""

import logging
import re
import time
import uuid

from django.db import DatabaseError

from meldcode.logging import request_id_var

logger = logging.getLogger("meldcode.request")

# An id from a proxy or load balancer is kept when it is a short plain token; anything
# else (long, spaces, markup, a name) is replaced, since it goes into logs and pages.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")

# URL parts that are secrets: a password link's token must not be readable in a log.
SECRET_URL_KWARGS = ("uidb64", "token")


def request_id_for(request) -> str:
    incoming = request.headers.get("X-Request-ID", "")
    if SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def loggable_path(request) -> str:
    """The path without its query string (a search may carry a pupil's name) and with
    the secret parts of a password link blanked."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name in SECRET_URL_KWARGS:
            value = match.kwargs.get(name)
            if value:
                path = path.replace(str(value), "***")
    return path


def user_id_of(request):
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except DatabaseError:  # the database is down; the line is still written
        return None


class RequestLogMiddleware:
    """Outermost middleware: it sees every response, the 500 page included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        token = request_id_var.set(request.request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            self._log(request, response, started)
            return response
        finally:
            request_id_var.reset(token)

    def _log(self, request, response, started):
        fields = {
            "user_id": user_id_of(request),
            "method": request.method,
            "path": loggable_path(request),
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000),
        }
        level = logging.WARNING if response.status_code >= 500 else logging.INFO
        logger.log(level, "%(method)s %(path)s %(status)s %(duration_ms)sms user=%(user_id)s",
                   fields, extra=fields)
