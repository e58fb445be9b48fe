#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldcode.settings")
    # A checkout with no configuration at all is a developer's: management commands then run
    # with development defaults. Servers (wsgi.py) never get this default, and any
    # configured deployment (SECRET_KEY set) keeps its own DEBUG value.
    if not (os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE")):
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
