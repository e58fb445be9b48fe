"""Daily digest of due and overdue tasks, one mail per owner (run from cron once a day).

The mail names no pupil and copies nothing from the dossier: only task kinds, due dates,
case references and a link. Tasks reminded today are skipped, so a second run the same day
sends nothing.
"""

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from audit.services import audit
from cases import permissions
from cases.models import Task
from meldcode.workdays import day_label, local_today


def _line(task, today) -> str:
    state = _("verlopen") if task.due_on < today else _("vandaag")
    return _("- %(kind)s – casus %(ref)s – uiterlijk %(due)s (%(state)s)") % {
        "kind": task.get_kind_display(), "ref": task.case.reference,
        "due": day_label(task.due_on), "state": state,
    }


def digest(tasks, today) -> tuple[str, str]:
    overdue = sum(1 for t in tasks if t.due_on < today)
    subject = ngettext("Meldcode: %(n)d taak vraagt uw aandacht",
                       "Meldcode: %(n)d taken vragen uw aandacht", len(tasks)) % {"n": len(tasks)}
    link = settings.SITE_URL.rstrip("/") + reverse("task_list")
    body = "\n".join([
        _("Goedendag,"),
        "",
        ngettext("Er staat %(n)d taak uit de meldcode voor u klaar, waarvan %(overdue)d "
                 "verlopen:",
                 "Er staan %(n)d taken uit de meldcode voor u klaar, waarvan %(overdue)d "
                 "verlopen:", len(tasks)) % {"n": len(tasks), "overdue": overdue},
        "",
        *(_line(t, today) for t in tasks),
        "",
        _("Bekijk en rond ze af na inloggen via:"),
        link,
        "",
        _("Om privacyredenen staan in deze e-mail geen namen of inhoud."),
    ])
    return subject, body


class Command(BaseCommand):
    help = "Mail every task owner one digest of their due and overdue tasks (once a day)."

    def handle(self, *args, **options):
        today = local_today()
        pending = (
            Task.objects.filter(completed_at__isnull=True, due_on__lte=today)
            .exclude(last_reminded_on=today)
            .select_related("owner", "case")
            .order_by("owner_id", "due_on")
        )
        by_owner = defaultdict(list)
        for task in pending:
            by_owner[task.owner_id].append(task)
        sent = 0
        with override(settings.LANGUAGE_CODE):
            for tasks in by_owner.values():
                sent += self._remind(tasks[0].owner, tasks, today)
        self.stdout.write(f"{sent} reminder mail(s) sent")

    def _remind(self, owner, tasks, today) -> int:
        if not owner.is_active or not owner.email:
            return 0
        # Only cases the owner may still see; a lost need to know ends the reminders too.
        visible = set(permissions.visible_cases(owner).filter(
            pk__in={t.case_id for t in tasks}).values_list("pk", flat=True))
        tasks = [t for t in tasks if t.case_id in visible]
        if not tasks:
            return 0
        with transaction.atomic():
            locked = list(Task.objects.select_for_update().filter(
                pk__in=[t.pk for t in tasks], completed_at__isnull=True)
                .exclude(last_reminded_on=today))
            if not locked:
                return 0
            ids = {t.pk for t in locked}
            tasks = [t for t in tasks if t.pk in ids]
            subject, body = digest(tasks, today)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
            Task.objects.filter(pk__in=ids).update(last_reminded_on=today)
            audit("task.reminders_sent", actor=None, subject=owner,
                  data={"tasks": len(tasks),
                        "overdue": sum(1 for t in tasks if t.due_on < today)})
        return 1
