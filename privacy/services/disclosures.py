"""The dossier as PDF for a recorded disclosure to a third party (004 "Privacy"): the
disclosure record is the guard, the download is audited with its basis."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit
from cases import permissions
from cases.errors import DomainError
from cases.models import ThirdPartyDisclosure
from cases.services.consent import RECORDERS
from decisions.services.dossier import render_dossier_pdf


@transaction.atomic
def disclosure_pdf(*, actor, disclosure: ThirdPartyDisclosure) -> bytes:
    disclosure = (ThirdPartyDisclosure.objects.select_for_update(of=("self",))
                  .select_related("case", "case__school", "case__student").get(pk=disclosure.pk))
    roles = permissions.case_roles(actor, disclosure.case)
    if not roles & RECORDERS:
        raise DomainError(_("Alleen de aandachtsfunctionaris of de directie verstrekt het "
                            "dossier aan derden."))
    pdf = render_dossier_pdf(case=disclosure.case, printed_by=actor)
    audit("case.disclosure.exported", actor=actor, subject=disclosure, case=disclosure.case,
          actor_role=",".join(sorted(roles)),
          data={"recipient": disclosure.recipient, "basis": disclosure.basis})
    return pdf
