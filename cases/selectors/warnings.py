"""Advice that does not block a stappenplan record: who should have been there, and what
must come first. Read-only; the services return these sentences for the page to show."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import permissions
from cases.models import Case, Consultation, Observation
from cases.models.workflow import OutsiderFunction
from cases.selectors.facts import cycle_start
from meldcode.models import Membership, Role


def zorgteam_roles(case: Case, users) -> dict[int, set[str]]:
    """The zorgteam roles (AF, OKA, directie) each of `users` holds at the case's school."""
    found: dict[int, set[str]] = {}
    for user_id, role in (Membership.objects.filter(
            school_id=case.school_id, user__in=users, role__in=list(permissions.ZORGTEAM_ROLES))
            .values_list("user_id", "role")):
        found.setdefault(user_id, set()).add(role)
    return found


def consultation_warnings(consultation: Consultation) -> list[str]:
    """A zorgteam / ZBO meeting has "in ieder geval jeugdarts en OKA" (004
    handelingsprotocol stap 2): warn, without blocking, when the participants lack them."""
    if consultation.kind != Consultation.Kind.ZORGTEAM:
        return []
    functions = {o["function"] for o in consultation.outsiders}
    held = set().union(*zorgteam_roles(consultation.case,
                                       consultation.staff_participants.all()).values())
    warnings = []
    if OutsiderFunction.JEUGDARTS not in functions:
        warnings.append(_("Bij dit zorgteamoverleg was geen jeugdarts: bespreek de leerling "
                          "in het zorgbreedteoverleg in ieder geval met de jeugdarts en de "
                          "OKA."))
    if Role.OKA not in held and OutsiderFunction.OKA not in functions:
        warnings.append(_("Bij dit zorgteamoverleg was geen ouder- en kindadviseur (OKA): "
                          "bespreek de leerling in het zorgbreedteoverleg in ieder geval met "
                          "de jeugdarts en de OKA."))
    return warnings


def conversation_warnings(*, with_parents: bool, with_pupil: bool, school_count: int,
                          zorgteam_present: bool = True, unprepared_disclosure: bool = False):
    warnings = []
    if unprepared_disclosure:
        warnings.append(str(DISCLOSURE_WARNING))
    if with_parents and school_count < 2:
        warnings.append(_("Een gesprek met ouders voert u bij voorkeur met twee mensen "
                          "namens school."))
    if with_parents and not zorgteam_present:
        # 000 aanbevelingen stap 3: "met de leerkracht en een lid van het zorgteam".
        warnings.append(_("Bij een gesprek met ouders is bij voorkeur een lid van het "
                          "zorgteam (aandachtsfunctionaris, OKA of directie) aanwezig."))
    if with_pupil and not with_parents and school_count > 1:
        warnings.append(_("Een gesprek met de leerling voert u bij voorkeur met één persoon."))
    return warnings


DISCLOSURE_WARNING = gettext_lazy(
    "Een kind heeft in deze casus iets toevertrouwd. Bespreek dit niet met de ouders "
    "voordat de aandachtsfunctionaris of Veilig Thuis is geraadpleegd: een gesprek zonder "
    "voorbereiding kan de onveiligheid vergroten.")


def unprepared_disclosure(case: Case) -> bool:
    """This cycle holds a disclosure, and no AF or Veilig Thuis consultation since it
    (004 bijlage 3, disclosure: "zorgvuldige afstemming … tussen de beroepskracht, Veilig
    Thuis en het slachtoffer")."""
    since = cycle_start(case)
    first = (Observation.objects.filter(case=case, origin=Observation.Origin.DISCLOSURE,
                                        disclosure_notified_at__gte=since)
             .order_by("disclosure_notified_at")
             .values_list("disclosure_notified_at", flat=True).first())
    if first is None:
        return False
    return not Consultation.objects.filter(
        case=case, recorded_at__gte=first,
        kind__in=[Consultation.Kind.AF, Consultation.Kind.VEILIG_THUIS]).exists()
