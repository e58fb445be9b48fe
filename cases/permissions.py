"""The permission policy for dossiers: the one place that answers "may this user do X to
this case or pupil?".

Views fetch dossier objects only through `get_case_for_user` / `get_student_for_user` and
list them only through `visible_cases` / `searchable_students`:
- outside the user's scope (other school, not on the case team) → 404, the object's
  existence is not revealed;
- in scope but the action is not allowed for the user's role → 403.

It lives in the cases app because it needs `Case`; the role grants it builds on are the
core's (`meldcode/permissions.py`) and are re-exported here, so that dossier code (cases,
decisions) asks this one module. Per-case actions are declared below as data.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from audit.models import AccessOutcome
from audit.services import access_refused, access_seen
from cases.models import (
    Attachment,
    Case,
    CaseExclusion,
    CaseUserObjectPermission,
    Phase,
    PupilImport,
    Route,
    Student,
)
from meldcode.models import Role, School
from meldcode.permissions import (
    ROLE_CAPABILITIES,
    board_ids_with,
    can,
    forget_roles,
    grants,
    has_role,
    require,
    role_holders,
    roles,
    roles_at,
    school_ids,
    school_ids_with,
    schools_for,
)

__all__ = [
    "ALWAYS_ON_TEAM", "CARER_EDITORS", "CASE_ACTIONS", "CONTRIBUTE_PERMISSION", "CONTRIBUTOR",
    "GRANTABLE_ROLES", "ROLE_CAPABILITIES", "TEAM_PERMISSION", "board_ids_with", "can",
    "carer_actions", "case_actions", "case_roles", "forget_roles", "get_case_for_user",
    "get_import_for_user", "get_school_for_import", "get_student_carers_for_user",
    "get_student_for_user", "has_role", "is_on_team", "require", "role_holders", "roles",
    "roles_at", "school_ids", "school_ids_with", "schools_for", "searchable_students",
    "visible_cases", "ZORGTEAM_ROLES",
]

# What a member of a case team may do to that case, by the role they hold at its school.
# "workflow" opens the stappenplan pages; cases/workflow.py says per phase which step
# each role may take. "dossier.print": the whole dossier as one document, the melding's
# content included, handed over by the AF or directie (decisions/views/dossier.py).
_LOG_OBSERVATIONS = frozenset({"observation.add", "observation.follow_up"})
CASE_ACTIONS: dict[str, frozenset[str]] = {
    Role.LEERKRACHT: frozenset({"view", "workflow"}) | _LOG_OBSERVATIONS,
    Role.OKA: frozenset({"view", "workflow"}) | _LOG_OBSERVATIONS,
    Role.AANDACHTSFUNCTIONARIS: frozenset({"view", "view_history", "manage_team", "workflow",
                                           "dossier.print"}) | _LOG_OBSERVATIONS,
    Role.DIRECTIE: frozenset({"view", "view_history", "workflow", "dossier.print"})
    | _LOG_OBSERVATIONS,
    Role.BESTUUR: frozenset({"view", "view_history", "workflow"}),
}

# Someone with a write-only grant (CONTRIBUTE_PERMISSION): they reported a concern about a
# pupil whose case they are not on, and may add observations without reading the case;
# of the case's files they get back only those they attached to their own drafts.
CONTRIBUTOR = "bijdrager"
OWN_DRAFT_FILES = "observation.own_draft_files"
CASE_ACTIONS[CONTRIBUTOR] = frozenset({"observation.add", OWN_DRAFT_FILES})

# The zorgteam of a school (000 stap 2): who coordinates a case and takes part in the
# zorgteam / ZBO consultation.
ZORGTEAM_ROLES = frozenset({Role.OKA, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE})
# Roles that are on every stappenplan case team of their school, without a grant.
ALWAYS_ON_TEAM = frozenset({Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE})
# Roles that may be granted a place on a case team by the AF.
GRANTABLE_ROLES = frozenset({Role.LEERKRACHT, Role.OKA})

TEAM_PERMISSION = "view_case"
CONTRIBUTE_PERMISSION = "contribute_case"


# --- Cases -----------------------------------------------------------------------------


def _team_grant_exists(user):
    return Exists(
        CaseUserObjectPermission.objects.filter(
            content_object=OuterRef("pk"), user=user, permission__codename=TEAM_PERMISSION
        )
    )


def visible_cases(user) -> QuerySet:
    """Every case the user may see: need-to-know, nothing more.

    Built once per request on the user object, like the roles it rests on (`forget_roles`
    drops both): pages filter it many times, and building the statement cost more than
    running it. Each caller gets its own copy."""
    if not grants(user):  # asked first: a deactivated user loses everything at once
        return Case.objects.none()
    cached = user.__dict__.get("_meldcode_visible_cases")
    if cached is None:
        cached = user.__dict__["_meldcode_visible_cases"] = _visible_cases(user)
    return cached.all()


def _visible_cases(user) -> QuerySet:
    always = school_ids_with(user, *ALWAYS_ON_TEAM)
    stappenplan = Q(route=Route.STAPPENPLAN) & (
        Q(school_id__in=always) | (Q(school_id__in=school_ids(user)) & _team_grant_exists(user))
    )
    # Meldplicht: a staff member is suspected; only the reporter, directie and bestuur, and
    # not the directie when the suspect is one of them.
    meldplicht = Q(route=Route.MELDPLICHT) & (
        Q(opened_by=user, school_id__in=school_ids(user))
        | (Q(school_id__in=school_ids_with(user, Role.DIRECTIE))
           & ~Q(meldplicht__suspect_is_directie=True))
        | Q(school__board_id__in=board_ids_with(user, Role.BESTUUR))
    )
    # A person named on the case's exclusion list sees nothing of it.
    return Case.objects.filter(stappenplan | meldplicht).exclude(
        Exists(CaseExclusion.objects.filter(case=OuterRef("pk"), person=user)))


def _excluded(user, case) -> bool:
    """Read once per case object per user (pages ask the policy several times)."""
    cache = case.__dict__.setdefault("_excluded_ids", {})
    if user.pk not in cache:
        cache[user.pk] = CaseExclusion.objects.filter(case=case, person_id=user.pk).exists()
    return cache[user.pk]


def _suspect_is_directie(case) -> bool:
    cached = case.__dict__.get("_suspect_is_directie")
    if cached is None:
        cached = case.__dict__["_suspect_is_directie"] = Case.objects.filter(
            pk=case.pk, meldplicht__suspect_is_directie=True).exists()
    return cached


def is_on_team(user, case) -> bool:
    return CaseUserObjectPermission.objects.filter(
        content_object=case, user=user, permission__codename=TEAM_PERMISSION
    ).exists()


def case_actions(user, case, roles: frozenset[str] | None = None) -> frozenset[str]:
    """What the user may do to this case; empty when the case is outside their scope."""
    actions: set[str] = set()
    for role in case_roles(user, case) if roles is None else roles:
        actions |= CASE_ACTIONS.get(role, frozenset())
    return frozenset(actions)


def case_roles(user, case) -> frozenset[str]:
    """The roles in which the user acts on this case (none when outside their scope).

    The stappenplan table (cases/workflow.py) refines per phase what each of them may do."""
    held = grants(user)
    at_school = {g.role for g in held if g.school_id == case.school_id}
    board_roles = {g.role for g in held if g.school_id is None and g.board_id ==
                   case.school.board_id}
    effective: set[str] = set()
    if not (at_school or board_roles) or _excluded(user, case):
        return frozenset()
    if case.route == Route.MELDPLICHT:
        if Role.DIRECTIE in at_school and not _suspect_is_directie(case):
            effective.add(Role.DIRECTIE)
        if Role.BESTUUR in board_roles:
            effective.add(Role.BESTUUR)
        if case.opened_by_id == user.pk and at_school:
            effective.add(Role.LEERKRACHT)
    else:
        effective |= at_school & ALWAYS_ON_TEAM
        granted_roles = at_school & GRANTABLE_ROLES
        if granted_roles:
            held_grants = _grant_codenames(user, case)
            if TEAM_PERMISSION in held_grants:
                effective |= granted_roles
            elif CONTRIBUTE_PERMISSION in held_grants:
                effective.add(CONTRIBUTOR)
    return frozenset(effective)


def _grant_codenames(user, case) -> set[str]:
    """The per-case grants the user holds on this case (team place, write-only), in one
    query."""
    return set(CaseUserObjectPermission.objects.filter(content_object=case, user=user)
               .values_list("permission__codename", flat=True))


def get_case_for_user(user, case_id, action: str | tuple[str, ...] = "view", *,
                      queryset=None):
    """Fetch a case for `action` (or any one of a tuple of actions): 404 outside the user's
    scope, 403 in scope but not allowed.

    Every refusal is recorded for the access log (NEN 7513: refused attempts too), and so is
    the case handed out, so that the request's one access-log entry names it."""
    qs = queryset if queryset is not None else Case.objects.all()
    try:
        case = qs.select_related("school", "school__board", "student", "opened_by").annotate(
            user_excluded=Exists(CaseExclusion.objects.filter(case=OuterRef("pk"),
                                                              person_id=user.pk))
        ).get(pk=case_id)
    except (Case.DoesNotExist, ValidationError, ValueError) as exc:
        access_refused(user, AccessOutcome.NOT_FOUND, case_id=case_id)
        raise Http404 from exc
    # Read with the case itself: the exclusion list costs no extra query.
    case.__dict__.setdefault("_excluded_ids", {})[user.pk] = case.user_excluded
    roles = case_roles(user, case)
    actions = case_actions(user, case, roles)
    # A write-only contributor knows the case exists (they were sent to it), so reading it
    # is refused (403), not hidden; anyone else without "view" does not see it at all.
    if "view" not in actions and CONTRIBUTOR not in roles:
        access_refused(user, AccessOutcome.NOT_FOUND, case=case)
        raise Http404
    if not actions & ({action} if isinstance(action, str) else set(action)):
        access_refused(user, AccessOutcome.FORBIDDEN, case=case)
        raise PermissionDenied
    case.allowed_actions = actions
    # The roles the user acts in on this case, for the access log.
    case.acting_roles = roles
    access_seen(user, case=case)
    return case


def get_attachment_for_user(user, case_id, attachment_id):
    """An attachment to download, with its case: whoever reads the case gets the files of
    submitted observations and of their own drafts; a write-only contributor only the files
    of their own drafts (C-20: nothing else of the case). Someone else's draft does not
    exist for anyone (404); another file of the case is refused to a contributor (403)."""
    case = get_case_for_user(user, case_id, ("view", OWN_DRAFT_FILES))
    try:
        attachment = (Attachment.objects.select_related("observation")
                      .get(pk=attachment_id, observation__case=case))
    except (Attachment.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    observation = attachment.observation
    if not observation.is_visible_to(user):
        raise Http404
    if "view" not in case.allowed_actions and (observation.is_submitted
                                               or observation.author_id != user.pk):
        access_refused(user, AccessOutcome.FORBIDDEN, case=case)
        raise PermissionDenied
    return case, attachment


# --- Pupils ----------------------------------------------------------------------------


def searchable_students(user) -> QuerySet:
    """Pupils the user may find to report a concern: those of their own schools."""
    ids = {g.school_id for g in grants(user)
           if g.school_id and "student.search" in ROLE_CAPABILITIES.get(g.role, ())}
    return Student.objects.filter(school_id__in=ids)


def get_student_for_user(user, student_id, capability: str = "student.search"):
    try:
        student = Student.objects.select_related("school").get(pk=student_id)
    except (Student.DoesNotExist, ValidationError, ValueError) as exc:
        access_refused(user, AccessOutcome.NOT_FOUND, student_id=student_id)
        raise Http404 from exc
    if student.school_id not in school_ids(user) or not can(user, "student.search",
                                                               school=student.school):
        access_refused(user, AccessOutcome.NOT_FOUND, student=student)
        raise Http404
    if not can(user, capability, school=student.school):
        access_refused(user, AccessOutcome.FORBIDDEN, student=student)
        raise PermissionDenied
    access_seen(user, student=student)
    return student




# --- Carers (ouders/verzorgers) --------------------------------------------------------
# Who sees the people around a pupil: the AF and directie of the school (they edit), and
# the team of an open case of that pupil. The beheerder and a teacher without a case see
# none of it. Siblings are other pupils' data: the AF only.

CARER_EDITORS = frozenset({Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE})


def carer_actions(user, student) -> frozenset[str]:
    """"view", "edit" and "siblings" as far as the user may; empty outside their scope."""
    at_school = {g.role for g in grants(user) if g.school_id == student.school_id}
    actions: set[str] = set()
    if at_school & CARER_EDITORS:
        actions |= {"view", "edit"}
    if Role.AANDACHTSFUNCTIONARIS in at_school:
        actions.add("siblings")
    if not actions and visible_cases(user).filter(student=student).exclude(
            phase=Phase.GESLOTEN).exists():
        actions.add("view")
    return frozenset(actions)


def get_student_carers_for_user(user, student_id, action: str = "view"):
    """The pupil, for an action on their carers: 404 outside scope, 403 in scope."""
    try:
        student = Student.objects.select_related("school").get(pk=student_id)
    except (Student.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    actions = carer_actions(user, student)
    if "view" not in actions:
        raise Http404
    if action not in actions:
        raise PermissionDenied
    student.carer_actions = actions
    return student


# --- The pupil import ------------------------------------------------------------------


def _touches_school(user, school) -> bool:
    return any(g.school_id == school.pk or (g.school_id is None and g.board_id ==
                                            school.board_id) for g in grants(user))


def get_school_for_import(user, school_id):
    """A school whose pupils the user may import (AF there, or beheerder of its board)."""
    try:
        school = School.objects.select_related("board").get(pk=school_id)
    except (School.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    if not _touches_school(user, school):
        raise Http404
    require(user, "pupil.import", school=school)
    return school


def get_import_for_user(user, import_id):
    try:
        upload = PupilImport.objects.select_related("school", "school__board").get(pk=import_id)
    except (PupilImport.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    if not _touches_school(user, upload.school):
        raise Http404
    require(user, "pupil.import", school=upload.school)
    return upload
