"""Give the versions published so far to the board of their publisher.

Until now the lists were global: any beheerder published versions every board used. A
version with a publisher now belongs to the board where that person is beheerder (the
first such board by name); a version without one (the meldcode's own, from 0003) stays
national. A publisher who is no longer beheerder anywhere leaves the version national:
there is no board to give it to, and dropping it would lose what observations recorded.

Afterwards each band has its highest national version current, and each board only its
highest version of the band: the board's schools keep the text they used last.
"""

from django.db import migrations
from django.db.migrations.exceptions import IrreversibleError
from django.db.models import Max

BEHEERDER = "beheerder"


def _make_highest_current(SignalList):
    # Clear first: the partial unique indexes are checked per statement.
    SignalList.objects.update(is_current=False)
    highest = (SignalList.objects.values("board_id", "age_band_id")
               .annotate(top=Max("version")).order_by())
    for row in highest:
        SignalList.objects.filter(board_id=row["board_id"], age_band_id=row["age_band_id"],
                                  version=row["top"]).update(is_current=True)


def assign_boards(apps, schema_editor):
    SignalList = apps.get_model("signals_catalog", "SignalList")
    Membership = apps.get_model("meldcode", "Membership")

    publishers = set(SignalList.objects.filter(published_by__isnull=False, board__isnull=True)
                     .values_list("published_by_id", flat=True))
    for user_id in publishers:
        board_id = (Membership.objects.filter(user_id=user_id, role=BEHEERDER,
                                              school__isnull=True)
                    .order_by("board__name").values_list("board_id", flat=True).first())
        if board_id is not None:
            SignalList.objects.filter(published_by_id=user_id, board__isnull=True).update(
                board_id=board_id)
    _make_highest_current(SignalList)


def make_national(apps, schema_editor):
    """Back to one global chain per band: possible only while no two boards share a number."""
    SignalList = apps.get_model("signals_catalog", "SignalList")
    numbers = SignalList.objects.values("age_band_id", "version").distinct().count()
    if numbers != SignalList.objects.count():
        raise IrreversibleError(
            "Two signal lists of one age band share a version number (versions of different "
            "boards); the global numbering cannot be restored."
        )
    SignalList.objects.update(is_current=False)
    SignalList.objects.update(board=None)
    _make_highest_current(SignalList)


class Migration(migrations.Migration):

    dependencies = [
        ("signals_catalog", "0004_signallist_board"),
        ("meldcode", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(assign_boards, make_national),
    ]
