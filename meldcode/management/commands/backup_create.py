from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meldcode.backup.create import backup_create
from meldcode.backup.errors import BackupError


class Command(BaseCommand):
    help = ("Maak een back-up (database, bijlagen, manifest met controlegetallen) in een "
            "nieuwe map met datum en tijd onder DIR; versleuteld met age als "
            "BACKUP_AGE_RECIPIENT is gezet.")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--database", default="default")

    def handle(self, *args, directory, database, **options):
        try:
            folder = backup_create(directory, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
