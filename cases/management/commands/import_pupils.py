"""Import pupils, groups and teachers from an export of the school's administration.

    python manage.py import_pupils --school "De Regenboog" leerlingen.csv --dry-run
    python manage.py import_pupils --school <uuid> export.xlsx --mapping group=Stamgroep

Prints what is added, changed and who left, and every row that cannot be read. Exits with
status 1 when rows cannot be read (their row numbers are printed); then nothing is written,
unless --skip-bad-rows is given.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cases.errors import DomainError
from cases.services import imports as services
from cases.services.import_files import FIELDS, normalise
from meldcode.models import School, User

BAR_WIDTH = 30


def _school(value: str) -> School:
    try:
        return School.objects.get(pk=value)
    except (School.DoesNotExist, ValidationError, ValueError):
        pass
    found = list(School.objects.filter(name__iexact=value))
    if len(found) != 1:
        raise CommandError(_("School „%(name)s” niet gevonden (of niet eenduidig).")
                           % {"name": value})
    return found[0]


def _mapping(pairs: list[str]) -> dict | None:
    if not pairs:
        return None
    by_key = {}
    for f in FIELDS:
        by_key[f.name] = f.name
        by_key[normalise(str(f.label))] = f.name
    result = {}
    for pair in pairs:
        key, sep, header = pair.partition("=")
        name = by_key.get(key.strip()) or by_key.get(normalise(key))
        if not sep or name is None:
            raise CommandError(_("Koppeling „%(pair)s” niet begrepen; gebruik veld=kolomkop, "
                                 "bijvoorbeeld group=Stamgroep.") % {"pair": pair})
        result[name] = header.strip()
    return result


class Command(BaseCommand):
    help = "Leerlingen, groepen en leerkrachten importeren uit de leerlingadministratie."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--school", required=True, help="naam of id van de school")
        parser.add_argument("--dry-run", action="store_true",
                            help="alleen laten zien wat er zou veranderen")
        parser.add_argument("--mapping", action="append", default=[], metavar="VELD=KOLOM",
                            help="een kolomkop van het bestand bij een veld (herhaalbaar); "
                                 "zonder: de opgeslagen koppeling van de school")
        parser.add_argument("--skip-bad-rows", action="store_true",
                            help="onleesbare rijen overslaan en de rest wel importeren")
        parser.add_argument("--as", dest="actor", default="",
                            help="gebruikersnaam die in de audit-trail komt")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        school = _school(options["school"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Bestand %(path)s niet gevonden.") % {"path": path})
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(_("Gebruiker %(name)s niet gevonden.")
                                   % {"name": options["actor"]})
        mapping = _mapping(options["mapping"])
        progress = services.no_progress if options["no_progress"] else self._progress
        data = path.read_bytes()
        try:
            if options["dry_run"]:
                plan = services.import_plan(school=school, data=data, mapping=mapping,
                                            progress=progress)
            else:
                plan = services.import_run(actor=actor, school=school, data=data,
                                           mapping=mapping,
                                           skip_bad_rows=options["skip_bad_rows"],
                                           progress=progress)
        except DomainError as error:
            raise CommandError(error.message) from error
        self._report(plan, written=not options["dry_run"] and (
            not plan.errors or options["skip_bad_rows"]))
        if plan.errors:
            lines = ", ".join(str(p.line) for p in plan.errors)
            raise CommandError(_("%(n)s rijen kunnen niet worden gelezen: rij %(lines)s.")
                               % {"n": len(plan.errors), "lines": lines})

    def _progress(self, stage: str, done: int, total: int) -> None:
        share = done / total if total else 1
        filled = int(share * BAR_WIDTH)
        sys.stderr.write(f"\r{stage:<10} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
                         f"{share:4.0%} {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def _report(self, plan, *, written: bool) -> None:
        c = plan.counts
        out = self.stdout.write
        out(_("Schooljaar %(year)s-%(next)s, %(rows)s rijen.")
            % {"year": plan.school_year, "next": plan.school_year + 1, "rows": c["rows"]})
        out(_("Toegevoegd: %(added)s, gewijzigd: %(changed)s, ongewijzigd: %(unchanged)s, "
              "vertrokken: %(left)s, groepen met nieuwe leerkrachten: %(groups_changed)s, "
              "ouders/verzorgers toegevoegd: %(carers_added)s.") % c)
        for student in plan.left:
            out(_("  vertrokken: %(number)s %(name)s") % {"number": student.pupil_number,
                                                          "name": student.full_name})
        if plan.left_withheld:
            out(_("Er zijn rijen zonder leerlingnummer: niemand wordt als vertrokken "
                  "gemarkeerd."))
        for email, lines in plan.unknown_teachers.items():
            out(_("  onbekende leerkracht %(email)s (rij %(lines)s): niet aangemaakt")
                % {"email": email, "lines": ", ".join(map(str, lines[:20]))})
        for problem in plan.errors:
            self.stderr.write(_("  rij %(line)s: %(reasons)s")
                              % {"line": problem.line, "reasons": "; ".join(problem.reasons)})
        if written:
            self.stdout.write(self.style.SUCCESS(_("De import is opgeslagen.")))
        else:
            self.stdout.write(_("Er is niets opgeslagen."))
