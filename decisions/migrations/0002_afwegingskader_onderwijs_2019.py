"""The 2019 onderwijs afwegingskader of the AMOS meldcode, as the first framework version."""

from django.db import migrations

from decisions.afwegingskader import ONDERWIJS_2019, load


def forwards(apps, schema_editor):
    load(ONDERWIJS_2019, apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]
    # Backwards: the rows go with the tables when 0001 is reversed.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
