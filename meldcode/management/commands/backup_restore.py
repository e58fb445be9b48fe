from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meldcode.backup.errors import BackupError
from meldcode.backup.restore import backup_restore


class Command(BaseCommand):
    help = ("Zet een back-up terug in een lege database en lege bijlagenmap, en controleer "
            "daarna aantallen, bijlagen en audittrail; stopt met een fout bij elk verschil.")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--database", default="default")

    def handle(self, *args, directory, database, **options):
        try:
            backup_restore(directory, using=database, report=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
