"""The first functioneel beheerder of a board, for whoever runs the server.

There is no Django admin: from this account on, people, roles and schools are managed in
the product's own (audited) beheer screens.

    python manage.py create_beheerder --board "Stichting Voorbeeld" --username j.jansen \\
        --email j.jansen@voorbeeld.nl [--first-name Jan --last-name Jansen] [--password]

Missing values are asked for, unless --no-input is given.
"""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.errors import DomainError
from meldcode.services import beheer as services

QUESTIONS = (
    ("board", gettext_lazy("Naam van het bestuur: "), True),
    ("username", gettext_lazy("Gebruikersnaam: "), True),
    ("email", gettext_lazy("E-mailadres: "), True),
    ("first_name", gettext_lazy("Voornaam (mag leeg): "), False),
    ("last_name", gettext_lazy("Achternaam (mag leeg): "), False),
)


class Command(BaseCommand):
    help = gettext_lazy(
        "Maak de (eerste) functioneel beheerder van een bestuur aan. Het bestuur wordt "
        "aangemaakt als het nog niet bestaat. De beheerder krijgt een e-mail met een link om "
        "zelf een wachtwoord in te stellen; de link staat ook in de uitvoer.")

    def add_arguments(self, parser):
        parser.add_argument("--board", help="naam van het bestuur (bevoegd gezag)")
        parser.add_argument("--username", help="gebruikersnaam van de beheerder")
        parser.add_argument("--email", help="e-mailadres; daarheen gaat de uitnodiging")
        parser.add_argument("--first-name", dest="first_name")
        parser.add_argument("--last-name", dest="last_name")
        parser.add_argument("--password", action="store_true",
                            help="typ nu een wachtwoord in plaats van een uitnodiging te mailen")
        parser.add_argument("--no-input", "--noinput", action="store_true", dest="no_input",
                            help="stel geen vragen; ontbrekende gegevens geven een fout")

    def handle(self, *args, **options):
        values = self._values(options)
        password = self._password() if options["password"] else None
        try:
            result = services.board_beheerder_create(
                board_name=values["board"], username=values["username"],
                email=values["email"], first_name=values["first_name"],
                last_name=values["last_name"], password=password)
        except DomainError as error:
            raise CommandError(error.message) from error
        user = result.user
        if result.board_created:
            self.stdout.write(_("Bestuur aangemaakt: %(board)s") % {"board": result.board.name})
        self.stdout.write(self.style.SUCCESS(
            _("Functioneel beheerder %(username)s aangemaakt voor %(board)s.")
            % {"username": user.username, "board": result.board.name}))
        if password is None:
            self.stdout.write(
                _("Er is een e-mail verstuurd naar %(email)s met een link om een wachtwoord in "
                  "te stellen. Komt die niet aan, geef dan deze link door (werkt één keer):")
                % {"email": user.email})
            self.stdout.write(services.set_password_url(user))
        else:
            self.stdout.write(_("Het wachtwoord is ingesteld; de beheerder kan nu inloggen."))

    def _values(self, options) -> dict:
        values = {}
        for name, question, required in QUESTIONS:
            value = (options.get(name) or "").strip()
            if not value and not options["no_input"]:
                value = input(str(question)).strip()
            if required and not value:
                raise CommandError(_("Ontbrekend: --%(option)s.")
                                   % {"option": name.replace("_", "-")})
            values[name] = value
        return values

    def _password(self) -> str:
        first = getpass.getpass(_("Wachtwoord: "))
        if first != getpass.getpass(_("Wachtwoord (nogmaals): ")):
            raise CommandError(_("De wachtwoorden zijn niet gelijk."))
        return first
