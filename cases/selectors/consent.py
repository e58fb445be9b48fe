"""Read side of consent: a case's consents and disclosures, and the consent that covers a
contact with an institution on a given day."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    Consent,
    ConsentWithdrawal,
    Consultation,
    Institution,
    ThirdPartyDisclosure,
)
from cases.models.workflow import OutsiderFunction
from cases.selectors.chronology import Entry, day, fields, register_source, windowed

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


# Consent and disclosures are records of the dossier: the chronology, the printed dossier
# and a copy for the parents' right of access show them.


@register_source("consent", gettext_lazy("Toestemmingen van ouders"),
                 models=(Consent, ConsentWithdrawal))
def consent_entries(case, window=None):
    for consent in windowed(Consent.objects.filter(case=case)
                            .select_related("carer", "withdrawal", "recorded_by"), window):
        withdrawal = getattr(consent, "withdrawal", None)
        institution = consent.get_institution_display()
        if consent.institution_name:
            institution = f"{institution}: {consent.institution_name}"
        yield Entry(when=consent.recorded_at, kind="consent", author=consent.recorded_by,
                    title=_("Toestemming voor %(who)s") % {"who": institution},
                    summary=consent.purpose[:200], obj=consent, body=fields(
                        (_("Gegeven door"), consent.carer.name),
                        (_("Gegeven op"), day(consent.given_on)),
                        (_("Instelling"), institution), (_("Doel"), consent.purpose),
                        (_("Hoe gegeven"), consent.how),
                        (_("Ingetrokken op"), day(withdrawal.withdrawn_on) if withdrawal
                         else ""),
                        (_("Toelichting bij de intrekking"), withdrawal.note if withdrawal
                         else "")))


@register_source("disclosure", gettext_lazy("Verstrekkingen aan derden"),
                 models=(ThirdPartyDisclosure,))
def disclosure_entries(case, window=None):
    for d in windowed(ThirdPartyDisclosure.objects.filter(case=case)
                      .select_related("recorded_by"), window):
        recipient = d.get_recipient_display()
        if d.recipient_name:
            recipient = f"{recipient}: {d.recipient_name}"
        yield Entry(when=d.recorded_at, kind="disclosure", author=d.recorded_by,
                    title=_("Informatie verstrekt aan %(who)s") % {"who": recipient},
                    summary=d.document[:200], obj=d, body=fields(
                        (_("Aan"), recipient), (_("Welke informatie"), d.document),
                        (_("Verstrekt op"), day(d.sent_on)),
                        (_("Grondslag"), d.get_basis_display())))
