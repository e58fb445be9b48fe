"""The destruction gate for the guards added after 0002 (decisions_reportshare).

0002 rewrites the DELETE guards that exist when it runs, and skips those it rewrote
already, so running it again covers every guard added since. A migration that adds a new
guard on a dossier table later makes its own copy of this one, depending on it.
"""

import importlib

from django.db import migrations

gate = importlib.import_module("retention.migrations.0002_destruction_gate")


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0002_destruction_gate"),
        ("decisions", "0004_report_shares"),
        ("cases", "0028_task_kind_access_request"),
        ("privacy", "0001_access_requests"),
    ]
    operations = [migrations.RunPython(gate.install, migrations.RunPython.noop)]
