"""Walk the audit and access-log chains and report the first broken link of each.

Exits non-zero when a chain is broken, so a scheduler or monitoring can alert on it.
Streams the records (constant memory), so it runs on stores of millions of rows.
"""

import json
import time
import uuid

from django.core.management.base import BaseCommand, CommandError

from audit.services.chain import chains, check_exported_head, verify
from meldcode.models import Board


class Command(BaseCommand):
    help = "Controleer de hashketens van het auditlog en het inzagelog."

    def add_arguments(self, parser):
        parser.add_argument("--board", help="alleen de ketens van dit bestuur (naam of id)")
        parser.add_argument("--heads", help="een eerder bestand van export_audit_head: elke "
                                            "kop daarin moet nog in de keten staan")
        parser.add_argument("--chunk-size", type=int, default=10000)

    def handle(self, *args, board=None, heads=None, chunk_size=10000, **options):
        board_id = self._board_id(board) if board else None
        started = time.monotonic()
        problems = []
        total = 0
        for head in chains(board_id):
            count, broken = verify(head, chunk_size=chunk_size)
            total += count
            name = f"{head.log}/{head.board.name if head.board else 'globaal'}"
            if broken is None:
                self.stdout.write(f"{name}: {count} regels, keten intact "
                                  f"(kop {head.sequence} {head.hash[:12]}…)")
                continue
            when = broken.occurred_at or "?"
            problems.append(f"{name}: BREUK bij volgnummer {broken.sequence} ({when}): "
                            f"{broken.problem}")
        if heads:
            problems += self._compare(heads, board_id)
        self.stdout.write(f"{total} regels gecontroleerd in {time.monotonic() - started:.1f} s")
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} keten(s) gebroken")

    def _board_id(self, value):
        board = Board.objects.filter(name=value).first()
        if board is None:
            try:
                board = Board.objects.filter(pk=uuid.UUID(value)).first()
            except ValueError:
                board = None
        if board is None:
            raise CommandError(f"onbekend bestuur: {value}")
        return board.pk

    def _compare(self, path, board_id):
        problems = []
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    continue
                head = json.loads(line)
                if board_id and head["board"] != str(board_id):
                    continue
                problem = check_exported_head(head["log"], head["board"], head["sequence"],
                                              head["hash"])
                if problem:
                    problems.append(f"geëxporteerde kop van {head['exported_at']}: {problem}")
        return problems
