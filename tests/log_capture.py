"""Capture every log line of a test, and find personal data in it.

Used by the request-log tests and by every browser journey (tests/browser/conftest.py):
whatever a journey does, no pupil or user name, e-mail address or typed text may reach a
log line.
"""

import io
import logging
import re
from contextlib import contextmanager

from cases.models import Student
from meldcode.logging import JsonFormatter, RequestIdFilter, TextFormatter, build_logging
from meldcode.models import User

# The loggers the configuration keeps above DEBUG whatever LOG_LEVEL says, because their
# DEBUG records hold SQL parameters or template contexts.
PINNED = {name: config["level"] for name, config in build_logging(level="DEBUG")["loggers"].items()
          if "level" in config}
# The test's own tools, which log the test data they build; not part of the application.
TEST_TOOLS = ("factory", "faker")


def _level_for(name: str):
    if any(name == tool or name.startswith(f"{tool}.") for tool in TEST_TOOLS):
        return logging.WARNING
    return PINNED.get(name, logging.DEBUG)


@contextmanager
def every_log_line():
    """Every record of every logger at DEBUG (except the pinned ones, at their level, and
    the test tools), as the text and the JSON format write it. Yields a function returning
    the output."""
    stream = io.StringIO()
    handlers = []
    for formatter in (TextFormatter(), JsonFormatter()):
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
        handler.addFilter(RequestIdFilter())
        handlers.append(handler)
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    loggers += [logging.getLogger(name) for name in TEST_TOOLS]
    saved = [(lg, lg.level, lg.propagate, lg.disabled) for lg in loggers]
    root = logging.getLogger()
    root_level = root.level
    for lg in loggers:
        lg.setLevel(_level_for(lg.name))
        lg.propagate, lg.disabled = True, False
    root.setLevel(logging.DEBUG)
    for handler in handlers:
        root.addHandler(handler)
    try:
        yield stream.getvalue
    finally:
        for handler in handlers:
            root.removeHandler(handler)
        root.setLevel(root_level)
        for lg, level, propagate, disabled in saved:
            lg.setLevel(level)
            lg.propagate, lg.disabled = propagate, disabled


def _is_text(value: str) -> bool:
    # Dates, numbers and one-word codes a form was given are not personal data.
    return len(value) >= 4 and sum(c.isalpha() for c in value) >= 3


def personal_data_in(output: str, typed=()) -> list[str]:
    """Every pupil's and user's name and address in the database, and every text that was
    typed, that occurs in `output`."""
    # A typed text counts wherever it stands, except as a fixed word of a URL path: the
    # beheerder whose username is "beheer" does not leak through "/beheer/".
    leaks = [text for text in typed if _is_text(text) and re.search(
        rf"(?<![\w/]){re.escape(text)}(?!\w)", output, re.IGNORECASE)]
    for person in [*Student.objects.all(), *User.objects.all()]:
        for name in (person.first_name, person.last_name):
            if name and re.search(rf"\b{re.escape(name)}\b", output):
                leaks.append(name)
    leaks += [user.email for user in User.objects.exclude(email="") if user.email in output]
    return sorted(set(leaks))
