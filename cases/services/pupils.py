"""Services around a pupil: carers (ouders/verzorgers), siblings, and the group with its
teachers set by hand where the school has no import. Also the re-check of the coordinator
rule whenever a teacher assignment changes (seed 000, Stap 2; review C-6)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from audit.services import audit
from cases import permissions
from cases.errors import DomainError
from cases.models import (
    Carer,
    Case,
    ConversationCarer,
    GroupPlacement,
    Notification,
    Phase,
    Route,
    SchoolGroup,
    Source,
    Student,
)
from cases.notifications import notify
from cases.selectors.pupils import school_teachers
from meldcode.models import Role
from meldcode.workdays import local_today, school_year_of

CARER_FIELDS = ("name", "relation", "relation_other", "gezag", "gezag_checked", "address",
                "phone", "email", "language", "interpreter_needed", "safety_note")


def _require(actor, student, action: str) -> None:
    if action not in permissions.carer_actions(actor, student):
        raise DomainError(_("U mag de ouders/verzorgers van deze leerling niet wijzigen."))


def _check_carer(data: dict) -> dict:
    values = {k: data.get(k, "") for k in CARER_FIELDS}
    values["interpreter_needed"] = bool(data.get("interpreter_needed"))
    if not str(values["name"]).strip():
        raise DomainError(_("Vul de naam in."))
    if values["relation"] not in Carer.Relation.values:
        raise DomainError(_("Kies de relatie tot de leerling."))
    if values["relation"] == Carer.Relation.ANDERS and not values["relation_other"].strip():
        raise DomainError(_("Vul de andere relatie in."))
    if values["gezag"] not in Carer.Gezag.values:
        raise DomainError(_("Kies of deze persoon gezag heeft."))
    if values["gezag"] != Carer.Gezag.ONBEKEND and not values["gezag_checked"].strip():
        raise DomainError(_("Vul in hoe het gezag is nagegaan."))
    return values


@transaction.atomic
def carer_add(*, actor, student: Student, data: dict) -> Carer:
    student = Student.objects.select_for_update().get(pk=student.pk)
    _require(actor, student, "edit")
    carer = Carer.objects.create(student=student, **_check_carer(data))
    audit("carer.added", actor=actor, subject=carer, school=student.school,
          data={"student": str(student.pk)})
    return carer


@transaction.atomic
def carer_update(*, actor, carer: Carer, data: dict) -> Carer:
    carer = Carer.objects.select_for_update().select_related("student").get(pk=carer.pk)
    _require(actor, carer.student, "edit")
    values = _check_carer(data)
    changed = [k for k, v in values.items() if getattr(carer, k) != v]
    if changed:
        for key in changed:
            setattr(carer, key, values[key])
        carer.save(update_fields=changed)
        # Field names only: the values stay in the history, not in the audit trail.
        audit("carer.updated", actor=actor, subject=carer, school=carer.student.school,
              data={"student": str(carer.student_id), "fields": sorted(changed)})
    return carer


def conversation_carer_links(case: Case, carers, *, with_parents: bool) -> list[ConversationCarer]:
    """Check the carers' presence at a conversation (cases/services/workflow.py
    conversation_record) and build the links, not yet saved."""
    given = {}
    for carer, presence, reason in carers:
        if carer.student_id != case.student_id:
            raise DomainError(_("Kies ouders/verzorgers van deze leerling."))
        if presence and presence not in ConversationCarer.Presence.values:
            raise DomainError(_("Kies of %(name)s deelnam.") % {"name": carer.name})
        if presence:
            given[carer.pk] = (carer, presence, (reason or "").strip())
    for carer in Carer.objects.filter(student_id=case.student_id, gezag=Carer.Gezag.JA):
        if carer.pk not in given:
            raise DomainError(_("Geef aan of %(name)s (met gezag) is uitgenodigd.")
                              % {"name": carer.name})
    for carer, presence, reason in given.values():
        if presence == ConversationCarer.Presence.NOT_INVITED and carer.has_gezag \
                and not reason:
            raise DomainError(_("Vul in waarom %(name)s, die gezag heeft, niet is uitgenodigd.")
                              % {"name": carer.name})
    took_part = [c for c, p, _r in given.values() if p == ConversationCarer.Presence.TOOK_PART]
    if with_parents and given and not took_part:
        raise DomainError(_("Kies welke ouder of verzorger aan het gesprek deelnam."))
    return [ConversationCarer(carer=carer, presence=presence,
                              reason_not_invited=reason
                              if presence == ConversationCarer.Presence.NOT_INVITED else "")
            for carer, presence, reason in given.values()]


# --- Siblings ----------------------------------------------------------------------------


def _sibling_pair(actor, student: Student, other: Student) -> tuple[Student, Student]:
    _require(actor, student, "siblings")
    if other.pk == student.pk or other.school_id != student.school_id:
        raise DomainError(_("Kies een andere leerling van deze school."))
    return student, other


@transaction.atomic
def sibling_link(*, actor, student: Student, other: Student) -> None:
    student, other = _sibling_pair(actor, student, other)
    if student.siblings.filter(pk=other.pk).exists():
        return
    student.siblings.add(other)
    audit("student.sibling.linked", actor=actor, subject=student, school=student.school,
          data={"sibling": str(other.pk)})


@transaction.atomic
def sibling_unlink(*, actor, student: Student, other: Student) -> None:
    student, other = _sibling_pair(actor, student, other)
    if not student.siblings.filter(pk=other.pk).exists():
        return
    student.siblings.remove(other)
    audit("student.sibling.unlinked", actor=actor, subject=student, school=student.school,
          data={"sibling": str(other.pk)})


# --- Group and own teachers by hand --------------------------------------------------------


@transaction.atomic
def student_group_set(*, actor, student: Student, group_name: str, teachers,
                      school_year: int | None = None) -> GroupPlacement:
    """The AF places a pupil in a group and names the group's teachers, where the school
    does not import them. An imported group or placement is the administration's: a hand
    change would silently be undone by the next import, so it is refused."""
    student = Student.objects.select_for_update().select_related("school").get(pk=student.pk)
    if not permissions.can(actor, "pupil.manage", school=student.school):
        raise DomainError(_("Alleen de aandachtsfunctionaris stelt de groep handmatig in."))
    name = (group_name or "").strip()
    if not name:
        raise DomainError(_("Vul de groep in."))
    year = school_year if school_year is not None else school_year_of(local_today())
    teachers = list(teachers)
    allowed = set(school_teachers(student.school).filter(pk__in=[t.pk for t in teachers])
                  .values_list("pk", flat=True))
    if len(allowed) != len({t.pk for t in teachers}):
        raise DomainError(_("Kies leerkrachten van deze school."))
    current = GroupPlacement.objects.filter(student=student, school_year=year).first()
    group, _created = SchoolGroup.objects.get_or_create(
        school=student.school, school_year=year, name=name,
        defaults={"source": Source.MANUAL})
    if group.source == Source.IMPORT or (current and current.source == Source.IMPORT):
        raise DomainError(_("De groep van deze leerling komt uit de leerlingadministratie; "
                            "pas die daar aan en importeer opnieuw."))
    group.teachers.set(teachers)
    if current is None:
        current = GroupPlacement.objects.create(student=student, group=group, school_year=year,
                                                source=Source.MANUAL)
    elif current.group_id != group.pk:
        current.group = group
        current.save(update_fields=["group"])
    if year == school_year_of(local_today()) and student.group != name:
        student.group = name
        student.save(update_fields=["group"])
    audit("student.group.set", actor=actor, subject=student, school=student.school,
          data={"group": str(group.pk), "school_year": year,
                "teachers": sorted(t.pk for t in teachers)})
    coordinator_conflicts_check(actor=actor, school=student.school)
    return current


def coordinator_conflicts_check(*, actor, school, on: date | None = None) -> list[Case]:
    """After the teacher assignment changed: every open case whose coordinator is now one
    of the pupil's own teachers. The coordinator is not removed silently (their deadlines
    would go unwatched); the directie and the AF get a notification to choose another one.
    Runs inside the caller's transaction."""
    year = school_year_of(on or local_today())
    own = GroupPlacement.objects.filter(student=OuterRef("student"), school_year=year,
                                        group__teachers=OuterRef("coordinator"))
    conflicts = list(
        Case.objects.filter(school=school, route=Route.STAPPENPLAN, coordinator__isnull=False)
        .exclude(phase=Phase.GESLOTEN).filter(Exists(own)).select_related("school")
    )
    if not conflicts:
        return []
    leads = list(permissions.role_holders(Role.DIRECTIE, Role.AANDACHTSFUNCTIONARIS,
                                          school_id=school.pk))
    for case in conflicts:
        audit("case.coordinator.own_teacher", actor=actor, subject=case, case=case,
              data={"coordinator": case.coordinator_id, "school_year": year})
        notify(recipients=[u for u in leads if u.pk != case.coordinator_id],
               kind=Notification.Kind.COORDINATOR_OWN_TEACHER, case=case, actor=None)
    return conflicts
