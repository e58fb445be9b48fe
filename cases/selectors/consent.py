"""Read side of consent: a case's consents and disclosures, and the consent that covers a
contact with an institution on a given day."""

from __future__ import annotations

from datetime import date

from cases.models import Consent, Consultation, Institution, ThirdPartyDisclosure
from cases.models.workflow import OutsiderFunction

# Consultations inside the school (the AF) and with Veilig Thuis need no consent; a
# zorgteam or AF consultation does once someone from outside the school took part.
ALWAYS_EXTERNAL = frozenset({Consultation.Kind.JEUGDARTS, Consultation.Kind.LEERPLICHT,
                             Consultation.Kind.ANDERS})
EXTERNAL_WITH_OUTSIDERS = frozenset({Consultation.Kind.ZORGTEAM, Consultation.Kind.AF})


def consents_of(case) -> list[Consent]:
    return list(Consent.objects.filter(case=case).select_related("carer", "withdrawal",
                                                                   "recorded_by"))


def disclosures_of(case) -> list[ThirdPartyDisclosure]:
    return list(ThirdPartyDisclosure.objects.filter(case=case)
                .select_related("consent", "consent__carer", "recorded_by"))


def consultation_institution(kind: str, outsiders) -> str | None:
    """The institution a consultation contacts, or None when it stays inside the school
    or goes to Veilig Thuis. `outsiders` are the cleaned {"name", "function"} dicts."""
    if kind in ALWAYS_EXTERNAL:
        return kind
    if kind in EXTERNAL_WITH_OUTSIDERS and any(
            o["function"] != OutsiderFunction.VEILIG_THUIS for o in outsiders):
        return Institution.ZORGTEAM
    return None


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def matching_consent(case, *, institution: str, name: str = "",
                     on: date) -> Consent | None:
    """A consent for `institution` (for "anders": of that name) given on or before `on`
    and not withdrawn by then; the most recent one."""
    candidates = (Consent.objects.filter(case=case, institution=institution,
                                         given_on__lte=on)
                  .select_related("withdrawal").order_by("-given_on", "-recorded_at"))
    for consent in candidates:
        if consent.withdrawn_by(on):
            continue
        if institution == Institution.ANDERS and not _same_name(consent.institution_name,
                                                                 name):
            continue
        return consent
    return None
