"""Nightly: report to the bestuur whoever opened far more dossiers in a day than usual.

The rule is in audit/selectors/access.py (`unusual_reading`): at least 20 different
dossiers on the day, and more than 3× the person's median over the 30 days before. Each
(board, person, day) is reported once: running the check again sends nothing twice.
Schedule it daily after midnight (it looks at yesterday by default).
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from audit.models import UnusualAccessReport
from audit.selectors.access import unusual_reading
from audit.services import audit
from meldcode.models import Role, User
from meldcode.permissions import role_holders
from meldcode.workdays import local_today


class Command(BaseCommand):
    help = "Meld opvallende inzage (veel meer dossiers dan gewoonlijk) aan het bestuur."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="de dag (JJJJ-MM-DD); standaard gisteren")

    def handle(self, *args, day=None, **options):
        try:
            when = date.fromisoformat(day) if day else local_today() - timedelta(days=1)
        except ValueError as error:
            raise CommandError(_("Geef de dag als JJJJ-MM-DD.")) from error
        reported = 0
        for found in unusual_reading(when):
            with transaction.atomic():
                report, created = UnusualAccessReport.objects.get_or_create(
                    board_id=found.board_id, user_id=found.user_id, day=found.day,
                    defaults={"cases_opened": found.cases_opened, "usual": found.usual})
                if not created:
                    continue
                audit("access.unusual_reported", subject=report, board=found.board_id,
                      data={"user": found.user_id, "day": found.day.isoformat(),
                            "cases": found.cases_opened, "usual": found.usual})
                transaction.on_commit(lambda report=report: _mail(report))
            reported += 1
        self.stdout.write(_("%(n)s melding(en) van opvallende inzage op %(day)s")
                          % {"n": reported, "day": when.isoformat()})


def _mail(report: UnusualAccessReport) -> None:
    recipients = sorted(set(
        role_holders(Role.BESTUUR, board_id=report.board_id)
        .exclude(email="").values_list("email", flat=True)))
    if not recipients:
        return
    person = User.objects.get(pk=report.user_id)
    link = settings.SITE_URL.rstrip("/") + reverse("access_log_search") + "?" + urlencode({
        "persoon": person.pk, "van": report.day.isoformat(), "tot": report.day.isoformat()})
    # No pupil names or dossier content: only who, when, how many, and where to look.
    body = _(
        "Op %(day)s opende %(person)s %(n)s verschillende dossiers in Meldcode; gewoonlijk "
        "zijn dat er %(usual)s per dag.\n\nDat kan een goede reden hebben. Bekijk de "
        "inzages in het inzagelog:\n%(link)s\n"
    ) % {"day": report.day.strftime("%d-%m-%Y"), "person": person.get_full_name()
         or person.username, "n": report.cases_opened,
         "usual": f"{report.usual:g}", "link": link}
    send_mail(_("Opvallende inzage in Meldcode"), body, settings.DEFAULT_FROM_EMAIL,
              recipients)
