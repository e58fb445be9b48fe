"""Log configuration: one line per request, and no personal data in any line.

Kept apart from settings.py so the rules are in one place: the formatters (text or JSON,
`LOG_FORMAT`), the filter that stamps every record with the id of the request it was
written in, and the `LOGGING` dict settings.py takes. This module imports only the
standard library, because settings.py imports it.

What may be logged: request ids, user ids, methods, paths without their query string,
status codes, durations, action codes and record ids. Never a name, an e-mail address or
text from a dossier. E-mail addresses are masked in every line as a last defence, since
an SMTP error names the refused recipients in its message and traceback.
"""

import contextvars
import json
import logging
import re

# The request the current thread or task is serving; "-" outside a request.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id",
                                                                     default="-")

EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# The structured fields of the request line (meldcode/middleware/request_log.py), in JSON as keys.
REQUEST_FIELDS = ("user_id", "method", "path", "status", "duration_ms")

LOG_FORMATS = ("text", "json")


def mask_personal_data(text: str) -> str:
    return EMAIL_ADDRESS.sub("[e-mail]", text)


def request_id_of(record) -> str:
    """The id of the request a record was written in. Django logs a 4xx/5xx response
    (django.request) after the middleware has finished, with the request attached."""
    if hasattr(record, "request_id"):
        return record.request_id
    request_id = getattr(getattr(record, "request", None), "request_id", None)
    return request_id or request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request it was written in."""

    def filter(self, record):
        record.request_id = request_id_of(record)
        return True


class TextFormatter(logging.Formatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s [%(request_id)s] "
                                 "%(message)s")
        super().__init__(*args, **kwargs)

    def format(self, record):
        record.request_id = request_id_of(record)
        return mask_personal_data(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for a log collector."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": request_id_of(record),
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return mask_personal_data(json.dumps(entry, ensure_ascii=False, default=str))


def build_logging(*, log_format: str = "text", level: str = "INFO") -> dict:
    """The LOGGING setting. Raises ValueError on an unknown format (settings turn that
    into ImproperlyConfigured)."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, "
                         f"not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "meldcode.logging.RequestIdFilter"},
            "one_line_client_errors": {"()": "meldcode.log_filters.OneLineClientErrors"},
        },
        "formatters": {
            "text": {"()": "meldcode.logging.TextFormatter"},
            "json": {"()": "meldcode.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format,
                        "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own console handler would print the same records a second time,
            # unmasked; everything goes through the root handler instead.
            "django": {"handlers": [], "propagate": True},
            # A refused request (403, 404) is one line, not a traceback per attempt.
            "django.request": {"filters": ["one_line_client_errors"]},
            # At DEBUG these records are SQL with its parameters: names and dossier text.
            # Never, whatever LOG_LEVEL says.
            "django.db.backends": {"level": "INFO"},
            # At DEBUG a missing template variable is logged with the whole template
            # context: the pupil, the case, the observation texts.
            "django.template": {"level": "INFO"},
            # runserver's access line carries the query string (a search for a pupil's
            # name); the request line of meldcode.request replaces it.
            "django.server": {"handlers": [], "propagate": False},
            # WeasyPrint reports every rendering step at INFO; only its warnings matter.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
