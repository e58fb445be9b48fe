"""Confirm the first bestuur of a board, for whoever runs the server.

A bestuur role is confirmed by another member of the bestuur; the first one has nobody in
the product above them. The beheerder gives the role in the beheer screens, then:

    python manage.py confirm_first_bestuur --board "Stichting Voorbeeld" --username m.dijk
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.errors import DomainError
from meldcode.models import Membership, MembershipStatus, Role
from meldcode.services.confirmation import first_bestuur_confirm


class Command(BaseCommand):
    help = gettext_lazy("Bevestig de bestuursrol van het eerste bestuurslid van een bestuur. "
                        "Latere bestuursrollen bevestigt het bestuur zelf in Meldcode.")

    def add_arguments(self, parser):
        parser.add_argument("--board", required=True, help="naam van het bestuur")
        parser.add_argument("--username", required=True,
                            help="gebruikersnaam van het bestuurslid")

    def handle(self, *args, **options):
        membership = (Membership.objects
                      .filter(board__name=options["board"], user__username=options["username"],
                              role=Role.BESTUUR, status=MembershipStatus.PENDING).first())
        if membership is None:
            raise CommandError(_("Geen bestuursrol die op bevestiging wacht voor deze persoon "
                                 "bij dit bestuur. Laat de beheerder de rol eerst toekennen."))
        try:
            first_bestuur_confirm(membership=membership, via="confirm_first_bestuur")
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(
            _("De bestuursrol van %(username)s bij %(board)s is bevestigd.")
            % {"username": options["username"], "board": options["board"]}))
