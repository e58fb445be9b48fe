"""Logging filters, configured in settings.LOGGING.

Loaded while logging is set up, before the apps: no model imports here."""

import logging

from django.db import DatabaseError


def _user_id(request) -> str:
    user = getattr(request, "user", None)
    try:
        if user is not None and user.is_authenticated:
            return str(user.pk)
    except DatabaseError:
        # Logging must never turn a refused request into a server error.
        return "?"
    return "-"


class OneLineClientErrors(logging.Filter):
    """Turn django.request's record of a 4xx into one line: status, method, path, user id.

    A 403 is the permission policy's everyday answer; Django logs each with the full
    traceback of PermissionDenied. The path carries only UUIDs; the query string (a search
    may hold a pupil's name) and user names stay out. 5xx records pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if request is None or status is None or not 400 <= status < 500:
            return True
        record.msg = "%s %s %s user=%s"
        record.args = (status, request.method,
                       request.path.encode("unicode_escape").decode("ascii"),
                       _user_id(request))
        record.exc_info = None
        record.exc_text = None
        return True
