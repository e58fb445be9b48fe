"""Roles that existed before confirmation was required keep working: they count as
confirmed, without a confirmer (the school's directie never saw them; the beheer screens
and the case team say so). Their history rows are marked the same, since those versions
did grant access."""

from django.db import migrations
from django.utils import timezone


def confirm_existing(apps, schema_editor):
    Membership = apps.get_model("meldcode", "Membership")
    HistoricalMembership = apps.get_model("meldcode", "HistoricalMembership")
    Membership.objects.filter(status="wacht_op_bevestiging").update(
        status="bevestigd", decided_at=timezone.now())
    HistoricalMembership.objects.filter(status="wacht_op_bevestiging").update(
        status="bevestigd")


class Migration(migrations.Migration):

    dependencies = [
        ("meldcode", "0002_membership_confirmation"),
    ]

    operations = [
        migrations.RunPython(confirm_existing, migrations.RunPython.noop),
    ]
