"""Print the current head of every chain, with a time stamp, to keep outside the database.

One JSON object per line. An earlier export checked with `verify_audit --heads FILE`
shows that nobody rewrote the chains since: each exported head must still be a link of
today's chain."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.services.chain import chains


class Command(BaseCommand):
    help = "Druk de koppen van de auditketens af (om buiten de database te bewaren)."

    def handle(self, *args, **options):
        now = timezone.now().isoformat()
        for head in chains():
            self.stdout.write(json.dumps({
                "exported_at": now,
                "log": head.log,
                "board": str(head.board_id) if head.board_id else "global",
                "board_name": head.board.name if head.board else "",
                "sequence": head.sequence,
                "hash": head.hash,
            }, ensure_ascii=False))
