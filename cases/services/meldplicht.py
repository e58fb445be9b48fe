"""The meldplicht route (staff suspected): the switch, who still sees the case, the
bestuur's part, and the exclusion list that keeps named people out of any case.

Uses the step machinery of cases/services/steps.py (lock, table check, audit).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from cases import permissions
from cases.deadlines import case_event, hand_to
from cases.errors import DomainError
from cases.models import (
    Case,
    CaseExclusion,
    MeldplichtRecord,
    Notification,
    Phase,
    PhaseDecision,
    Route,
)
from cases.notifications import notify
from cases.services.steps import (
    Step,
    require_happened_on,
    require_value,
    step_audit,
    step_begin,
    step_decide,
)
from cases.services.workflow import school_staff
from meldcode.models import Role, User


def _directie(case: Case):
    return permissions.role_holders(Role.DIRECTIE, school_id=case.school_id)


@transaction.atomic
def meldplicht_switch(*, actor, case: Case, reason: str,
                      kind: str = MeldplichtRecord.Kind.ZEDENDELICT, suspect=None,
                      suspect_is_directie: bool = False) -> MeldplichtRecord:
    """A staff member is suspected: from now on only the reporter, directie and bestuur.

    The kind decides the bestuur's route (a zedendelict: meld- en aangifteplicht; other
    violence: the board's internal rules). Without a choice the stricter route applies.
    A named `suspect` who uses the system is put on the case's exclusion list; when the
    suspect is (a member of) the directie, only the reporter and the bestuur see the case."""
    step = step_begin(actor, case, "switch_meldplicht", lock_student=True)
    require_value(reason, _("Vul de reden in."))
    if kind not in MeldplichtRecord.Kind.values:
        raise DomainError(_("Kies de soort vermoeden."))
    if Case.objects.filter(student_id=step.case.student_id, route=Route.MELDPLICHT).exclude(
            phase=Phase.GESLOTEN).exists():
        raise DomainError(_("Voor deze leerling loopt al een meldplichtcasus; leg het "
                            "vermoeden daar vast."))
    if suspect is not None:
        if suspect.pk == actor.pk:
            raise DomainError(_("U kunt uzelf niet als verdachte uitsluiten."))
        if not school_staff(step.case).filter(pk=suspect.pk).exists():
            raise DomainError(_("Kies een medewerker van deze school als verdachte, of laat "
                                "het veld leeg."))
        suspect_is_directie = suspect_is_directie or _directie(step.case).filter(
            pk=suspect.pk).exists()
    record = MeldplichtRecord.objects.create(
        case=step.case, phase_before=step.case.phase, reason=reason, kind=kind,
        suspect_is_directie=suspect_is_directie, recorded_by=actor, recorded_at=step.now)
    if suspect is not None:
        exclusion_create(step, actor, suspect, _("Verdachte medewerker (meldplicht)"))
    step.case.route = Route.MELDPLICHT
    # The coordinator (AF, OKA or teacher) no longer sees the case.
    step.case.coordinator = None
    step.case.save(update_fields=["route", "coordinator"])
    step_audit("case.meldplicht.switched", step, actor, record, phase=step.case.phase, kind=kind)
    _hand_tasks_to_directie(step.case, actor)
    board = _board(step.case)
    informed = [u for u in [*_directie(step.case), *board]
                if "view" in permissions.case_actions(u, step.case)]
    notify(recipients=informed, kind=Notification.Kind.MELDPLICHT, case=step.case, actor=actor)
    case_event("meldplicht.switched", case=step.case, actor=actor)
    return record


def _hand_tasks_to_directie(case: Case, actor) -> None:
    """Open deadlines of people who lost sight of the case go to the directie, so none of
    them silently goes unwatched; several AFs' copies of one deadline are merged (one open
    task per kind and owner)."""
    # The directie when they still see it (not when one of them is the suspect), else the
    # bestuur.
    takers = ([u for u in _directie(case) if "view" in permissions.case_actions(u, case)]
              or [u for u in _board(case) if "view" in permissions.case_actions(u, case)])
    if not takers:
        return
    open_tasks = (case.tasks.select_for_update(of=("self",)).filter(completed_at__isnull=True)
                  .select_related("owner"))
    unseen = [task for task in open_tasks
              if "view" not in permissions.case_actions(task.owner, case)]
    hand_to(case, unseen, takers, event="route.meldplicht", actor=actor)


def _board(case: Case):
    return permissions.role_holders(Role.BESTUUR, board_id=case.school.board_id)


def exclusion_create(step: Step, actor, person, reason: str) -> CaseExclusion:
    """Put a named person on the case's exclusion list (inside the caller's step)."""
    require_value(reason, _("Vul de reden in."))
    if CaseExclusion.objects.filter(case=step.case, person=person).exists():
        raise DomainError(_("Deze persoon is al uitgesloten van deze casus."))
    exclusion = CaseExclusion.objects.create(case=step.case, person=person, reason=reason,
                                             recorded_by=actor, recorded_at=step.now)
    step_audit("case.exclusion.added", step, actor, exclusion, person=person.pk)
    return exclusion


@transaction.atomic
def meldplicht_record(*, actor, case: Case, aangifte_reasoning: str,
                      inspector_contact_on: date | None = None, inspector_notes: str = "",
                      redelijk_vermoeden: bool | None = None, aangifte: bool | None = None,
                      aangifte_on: date | None = None, parents_informed_on: date | None = None,
                      staff_informed_on: date | None = None) -> MeldplichtRecord:
    """The bestuur's part, filled in once.

    A zedendelict: the contact with the vertrouwensinspecteur, its conclusion and the
    decision on aangifte; with a redelijk vermoeden the bestuur must file aangifte (WPO
    art. 4a), so "no aangifte" is refused. Other violence: the board's handling under its
    own rules, with the contact and the aangifte where they happened."""
    step = step_begin(actor, case, "record_meldplicht")
    record = MeldplichtRecord.objects.select_for_update().get(case=step.case)
    sexual = record.kind == MeldplichtRecord.Kind.ZEDENDELICT
    if sexual:
        require_value(inspector_contact_on, _("Vul de datum van het contact met de "
                                              "vertrouwensinspecteur in."))
        require_value(inspector_notes, _("Vul de aantekeningen van het contact in."))
        if redelijk_vermoeden is None:
            raise DomainError(_("Kies de conclusie van het overleg met de "
                                "vertrouwensinspecteur: is er een redelijk vermoeden?"))
        if aangifte is None:
            raise DomainError(_("Kies of er aangifte is gedaan."))
        if redelijk_vermoeden and not aangifte:
            raise DomainError(_("Bij een redelijk vermoeden van een zedendelict is het "
                                "bestuur verplicht onverwijld aangifte te doen."))
    if aangifte is not None:
        require_value(aangifte_on, _("Vul de datum van het besluit over aangifte in."))
    require_value(aangifte_reasoning, _("Onderbouw het besluit."))
    for day, what in ((inspector_contact_on, _("De datum van het contact")),
                      (aangifte_on, _("De datum van het besluit")),
                      (parents_informed_on, _("De datum waarop de ouders zijn ingelicht")),
                      (staff_informed_on, _("De datum waarop de medewerker is ingelicht"))):
        if day is not None:
            require_happened_on(step, day, what)
    if aangifte and aangifte_on is not None:
        # The parents and the staff member hear of it before the aangifte is made, not
        # afterwards from the police (WPO art. 4a; the board's handling rules).
        for day, message in (
                (parents_informed_on, _("De ouders worden vóór de aangifte ingelicht: de datum "
                                        "waarop zij zijn ingelicht (%(day)s) ligt na de datum "
                                        "van de aangifte (%(aangifte)s).")),
                (staff_informed_on, _("De medewerker wordt vóór de aangifte ingelicht: de "
                                      "datum waarop hij of zij is ingelicht (%(day)s) ligt na "
                                      "de datum van de aangifte (%(aangifte)s)."))):
            if day is not None and day > aangifte_on:
                raise DomainError(message % {"day": f"{day:%d-%m-%Y}",
                                             "aangifte": f"{aangifte_on:%d-%m-%Y}"})
    record.inspector_contact_on = inspector_contact_on
    record.inspector_notes = inspector_notes
    record.redelijk_vermoeden = redelijk_vermoeden
    record.aangifte = aangifte
    record.aangifte_on = aangifte_on
    record.aangifte_reasoning = aangifte_reasoning
    record.parents_informed_on = parents_informed_on
    record.staff_informed_on = staff_informed_on
    record.board_recorded_by = actor
    record.board_recorded_at = step.now
    record.save(update_fields=["inspector_contact_on", "inspector_notes",
                               "redelijk_vermoeden", "aangifte", "aangifte_on",
                               "aangifte_reasoning", "parents_informed_on",
                               "staff_informed_on", "board_recorded_by",
                               "board_recorded_at"])
    step_audit("case.meldplicht.recorded", step, actor, record, aangifte=aangifte,
               redelijk_vermoeden=redelijk_vermoeden)
    case_event("meldplicht.recorded", case=step.case, actor=actor)
    return record


@transaction.atomic
def meldplicht_close(*, actor, case: Case, note: str) -> PhaseDecision:
    step = step_begin(actor, case, "close_meldplicht")
    return step_decide(step, actor, note)



@transaction.atomic
def case_exclusion_add(*, actor, case: Case, person, reason: str) -> CaseExclusion:
    """Keep a named person out of the case (need to know): the AF or directie on the
    stappenplan, the bestuur on the meldplicht route."""
    step = step_begin(actor, case, "exclude_person")
    if person.pk == actor.pk:
        raise DomainError(_("U kunt uzelf niet uitsluiten."))
    if not User.objects.filter(pk=person.pk, is_active=True,
                               memberships__board_id=step.case.school.board_id).exists():
        raise DomainError(_("Kies een persoon van dit bestuur."))
    return exclusion_create(step, actor, person, reason)
