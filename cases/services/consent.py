"""Consent for contact with other institutions and written information to third parties
(004, "Privacy"). One function per action; each audits in its own transaction.

The AF and directie record them (they keep the contact with the parents); the consultation
service asks `matching_consent` before a non-anonymous contact outside the school."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from cases import dates, permissions
from cases.errors import DomainError
from cases.models import (
    Carer,
    Case,
    Consent,
    ConsentWithdrawal,
    Institution,
    ThirdPartyDisclosure,
)
from cases.selectors.consent import consultation_institution, matching_consent
from meldcode.models import Role

RECORDERS = frozenset({Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE})


def _begin(actor, case: Case) -> tuple[Case, str]:
    case = (Case.objects.select_for_update(of=("self",)).select_related("student", "school")
            .get(pk=case.pk))
    roles = permissions.case_roles(actor, case)
    if not roles & RECORDERS:
        raise DomainError(_("Alleen de aandachtsfunctionaris of de directie legt toestemming "
                            "en verstrekkingen vast."))
    return case, ",".join(sorted(roles))


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message)
    return value


def _institution_name(institution: str, name: str) -> str:
    name = (name or "").strip()
    if institution == Institution.ANDERS and not name:
        raise DomainError(_("Vul de naam van de instelling in."))
    return name


@transaction.atomic
def consent_record(*, actor, case: Case, carer: Carer, given_on: date, institution: str,
                   purpose: str, how: str, institution_name: str = "") -> Consent:
    """A carer's consent, for one institution and purpose. Only a carer with gezag can
    consent on the pupil's behalf."""
    case, roles = _begin(actor, case)
    if carer.student_id != case.student_id:
        raise DomainError(_("Kies een ouder/verzorger van deze leerling."))
    if not carer.has_gezag:
        raise DomainError(_("Alleen een ouder/verzorger met gezag kan toestemming geven. Ga "
                            "na of %(name)s gezag heeft en leg dat vast bij de "
                            "ouders/verzorgers.") % {"name": carer.name})
    if institution not in Institution.values:
        raise DomainError(_("Kies voor welke instelling de toestemming geldt."))
    name = _institution_name(institution, institution_name)
    purpose = _text(purpose, _("Vul het doel van het contact in."))
    how = _text(how, _("Vul in hoe de toestemming is gegeven."))
    dates.check_past_day(given_on, what=_("De datum van de toestemming"),
                         born=case.student.date_of_birth)
    consent = Consent.objects.create(case=case, carer=carer, given_on=given_on,
                                     institution=institution, institution_name=name,
                                     purpose=purpose, how=how, recorded_by=actor)
    audit("case.consent.recorded", actor=actor, subject=consent, case=case, actor_role=roles,
          data={"institution": institution, "given_on": given_on.isoformat(),
                "carer": str(carer.pk)})
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, withdrawn_on: date,
                     note: str = "") -> ConsentWithdrawal:
    """The parents withdraw a consent from `withdrawn_on` on; what happened before stays
    covered."""
    case, roles = _begin(actor, consent.case)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if ConsentWithdrawal.objects.filter(consent=consent).exists():
        raise DomainError(_("Deze toestemming is al ingetrokken."))
    dates.check_past_day(withdrawn_on, what=_("De datum van de intrekking"),
                         born=case.student.date_of_birth)
    if withdrawn_on < consent.given_on:
        raise DomainError(_("Een toestemming kan niet worden ingetrokken vóór de dag waarop "
                            "ze is gegeven (%(day)s).") % {"day": f"{consent.given_on:%d-%m-%Y}"})
    withdrawal = ConsentWithdrawal.objects.create(consent=consent, withdrawn_on=withdrawn_on,
                                                  note=(note or "").strip(),
                                                  recorded_by=actor)
    audit("case.consent.withdrawn", actor=actor, subject=consent, case=case, actor_role=roles,
          data={"institution": consent.institution, "withdrawn_on": withdrawn_on.isoformat()})
    return withdrawal


def missing_consent_message(institution: str, name: str = "") -> str:
    label = name or Institution(institution).label
    return _("Voor contact met %(who)s op naam van de leerling is toestemming van de ouders "
             "nodig (004, Privacy). Leg eerst de toestemming vast, of bespreek de leerling "
             "anoniem.") % {"who": label}


@transaction.atomic
def disclosure_record(*, actor, case: Case, recipient: str, document: str, sent_on: date,
                      recipient_name: str = "") -> ThirdPartyDisclosure:
    """Written information given to a third party. Outside Veilig Thuis it needs a consent
    for that recipient that held on the day; for Veilig Thuis the exception is recorded."""
    case, roles = _begin(actor, case)
    if recipient not in ThirdPartyDisclosure.Recipient.values:
        raise DomainError(_("Kies aan wie de informatie is verstrekt."))
    document = _text(document, _("Vul in welke informatie is verstrekt."))
    dates.check_past_day(sent_on, what=_("De datum van de verstrekking"),
                         born=case.student.date_of_birth, today=timezone.localdate())
    consent = None
    if recipient == ThirdPartyDisclosure.Recipient.VEILIG_THUIS:
        basis = ThirdPartyDisclosure.Basis.VEILIG_THUIS
        name = (recipient_name or "").strip()
    else:
        name = _institution_name(recipient, recipient_name)
        consent = matching_consent(case, institution=recipient, name=name, on=sent_on)
        if consent is None:
            raise DomainError(missing_consent_message(recipient, name))
        basis = ThirdPartyDisclosure.Basis.CONSENT
    disclosure = ThirdPartyDisclosure.objects.create(
        case=case, recipient=recipient, recipient_name=name, document=document,
        sent_on=sent_on, basis=basis, consent=consent, recorded_by=actor)
    audit("case.disclosure.recorded", actor=actor, subject=disclosure, case=case,
          actor_role=roles, data={"recipient": recipient, "basis": basis,
                                  "consent": str(consent.pk) if consent else None})
    return disclosure


def consultation_consent(*, case: Case, kind: str, kind_other: str, outsiders: list[dict],
                         anonymous: bool, held_on: date) -> Consent | None:
    """The guard of a consultation: contact outside the school on the pupil's name needs a
    consent that held on the day (Veilig Thuis and anonymous consultations need none).
    Called by the consultation service inside its transaction."""
    institution = consultation_institution(kind, outsiders)
    if anonymous or institution is None:
        return None
    name = kind_other if institution == Institution.ANDERS else ""
    consent = matching_consent(case, institution=institution, name=name, on=held_on)
    if consent is None:
        raise DomainError(missing_consent_message(institution, name.strip()))
    return consent
