"""Daily (cron): put the dossiers whose bewaartermijn ended on the vernietigingslijst and
destroy the work notes whose term ended (retention/services/schedule.py). The lines it
prints name case references and dates only. `--dry-run` prints the same and changes
nothing. Running it twice the same day does nothing the second time."""

from django.core.management.base import BaseCommand
from django.utils import formats

from meldcode.workdays import local_today
from retention.services.schedule import retention_apply, retention_plan


class Command(BaseCommand):
    help = "Zet dossiers met een verstreken bewaartermijn op de vernietigingslijst."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="alleen tonen wat er zou gebeuren; niets wijzigen")

    def handle(self, *args, dry_run=False, **options):
        today = local_today()
        report = retention_plan(today) if dry_run else retention_apply(today=today)
        prefix = "[proef] " if dry_run else ""
        for due in report.listed:
            self.stdout.write(
                f"{prefix}op de vernietigingslijst: casus {str(due.case.pk)[:8].upper()} "
                f"({due.case.school.name}), {due.record_class}, termijn verstreken op "
                f"{formats.date_format(due.due_on, 'j F Y')}")
        for item in report.withdrawn:
            self.stdout.write(f"{prefix}van de lijst (heropend): casus {item.reference}")
        for item in report.reviewed:
            self.stdout.write(f"{prefix}bewaarreden verlopen, weer te vernietigen: "
                              f"casus {item.reference}")
        for case, count in report.work_notes.items():
            self.stdout.write(f"{prefix}werkaantekeningen vernietigd: casus {case.reference} "
                              f"({count})")
        if not report.changed:
            self.stdout.write(f"{prefix}niets te doen")
