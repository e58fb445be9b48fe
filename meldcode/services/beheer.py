"""Services for functioneel beheer: people, their roles and the schools of a board.

Every function acts for a beheerder (`actor`) and only within the boards where the actor
holds that role. Nothing here reads or writes dossier content. Audit data holds ids and
role codes only, never names or e-mail addresses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from audit.services import audit
from meldcode import permissions
from meldcode.errors import DomainError
from meldcode.models import (
    ROLES_NEEDING_CONFIRMATION,
    SCHOOL_ROLES,
    Board,
    Membership,
    MembershipStatus,
    Role,
    School,
    User,
)
from meldcode.services.confirmation import ask_for_confirmation, role_data
from meldcode.services.sessions import sessions_end_others

USER_FIELDS = ("first_name", "last_name", "email")
SCHOOL_FIELDS = ("name", "brin", "vt_region", "vt_phone", "wijkagent", "oka_contact",
                 "police_phone", "rvdk_contact", "slachtofferhulp_phone",
                 "kindertelefoon_phone", "nazorg_contact", "other_contacts", "letterhead_name",
                 "address")
# The logo of the letterhead: a small image, kept in the database (not on disk).
LOGO_TYPES = ("image/png", "image/jpeg")
LOGO_MAX_BYTES = 300_000


@dataclass(frozen=True)
class RoleAssignment:
    """One role to give: at a school (school roles) or for a whole board (board roles)."""

    role: str
    board: Board
    school: School | None = None

    @classmethod
    def at(cls, role: str, place: Board | School) -> RoleAssignment:
        if isinstance(place, School):
            return cls(role=role, board=place.board, school=place)
        return cls(role=role, board=place)


def _managed_boards(actor) -> set:
    boards = permissions.managed_board_ids(actor)
    if not boards:
        raise PermissionDenied
    return boards


def _lock_user(user) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


def _ensure_in_scope(boards: set, user: User) -> None:
    """The person holds a role at one of the beheerder's boards (as the views require)."""
    if not Membership.objects.filter(user=user, board_id__in=boards).exists():
        raise DomainError(_("Deze persoon heeft geen rol binnen uw bestuur."))


def _ensure_fully_managed(boards: set, user: User) -> None:
    """Account fields (name, e-mail, active) belong to every board the person works for.

    A beheerder may change them only when all of the person's roles are within their own
    boards; otherwise changing the e-mail address would hand them another board's account.
    """
    if user.is_superuser or user.is_staff:
        raise DomainError(_("Dit account wordt door de systeembeheerder beheerd en kan hier "
                            "niet worden gewijzigd."))
    foreign = Membership.objects.filter(user=user).exclude(board_id__in=boards)
    if foreign.exists():
        raise DomainError(_("Deze persoon werkt ook voor een ander bestuur. Naam, e-mailadres "
                            "en status kunt u daarom niet wijzigen; rollen binnen uw bestuur "
                            "wel."))


def _check_assignment(boards: set, assignment: RoleAssignment) -> None:
    if assignment.role not in Role.values:
        raise DomainError(_("Onbekende rol."))
    if assignment.board.pk not in boards:
        raise DomainError(_("U kunt alleen rollen toekennen binnen uw eigen bestuur."))
    if assignment.role in SCHOOL_ROLES:
        if assignment.school is None:
            raise DomainError(_("Deze rol hoort bij een school. Kies een school."))
        if assignment.school.board_id != assignment.board.pk:
            raise DomainError(_("Deze school hoort niet bij uw bestuur."))
    elif assignment.school is not None:
        raise DomainError(_("Deze rol geldt voor het hele bestuur. Kies het bestuur in plaats "
                            "van een school."))


def _add_membership(*, actor, user: User, assignment: RoleAssignment,
                    actor_role: str = Role.BEHEERDER) -> Membership:
    existing = Membership.objects.filter(user=user, role=assignment.role)
    if assignment.school is not None:
        existing = existing.filter(school=assignment.school)
    else:
        existing = existing.filter(board=assignment.board, school__isnull=True)
    if existing.exists():
        raise DomainError(_("Deze persoon heeft deze rol daar al."))
    membership = Membership(user=user, board=assignment.board, school=assignment.school,
                            role=assignment.role)
    if assignment.role not in ROLES_NEEDING_CONFIRMATION:
        # Beheerder and inspecteur open no dossier: nobody needs to confirm them.
        membership.status = MembershipStatus.CONFIRMED
        membership.decided_at = timezone.now()
    membership._history_user = actor
    membership.save()
    permissions.forget_roles(user)
    audit("membership.added", actor=actor, subject=user, school=assignment.school,
          actor_role=actor_role, data={**role_data(membership), "status": membership.status})
    if membership.is_pending:
        ask_for_confirmation(actor=actor, membership=membership)
    return membership


# --- People ----------------------------------------------------------------------------


@transaction.atomic
def user_create(*, actor, username: str, first_name: str, last_name: str, email: str,
                roles: Sequence[RoleAssignment]) -> User:
    """Create an account with its roles; the person sets their own password via e-mail."""
    boards = _managed_boards(actor)
    username = username.strip()
    if not roles:
        raise DomainError(_("Geef de nieuwe gebruiker minstens één rol."))
    for assignment in roles:
        _check_assignment(boards, assignment)
    keys = [(a.role, a.board.pk, a.school.pk if a.school else None) for a in roles]
    if len(set(keys)) != len(keys):
        raise DomainError(_("Dezelfde rol staat er twee keer in."))
    if not email.strip():
        raise DomainError(_("Vul een e-mailadres in: daarheen gaat de link om een wachtwoord "
                            "in te stellen."))
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("Deze gebruikersnaam is al in gebruik. Kies een andere."))
    user = User(username=username, first_name=first_name.strip(), last_name=last_name.strip(),
                email=User.objects.normalize_email(email.strip()), is_active=True,
                is_staff=False, is_superuser=False)
    # Nobody but the person knows their password: until they follow the link, none works.
    user.set_unusable_password()
    user.save()
    audit("user.created", actor=actor, subject=user, actor_role=Role.BEHEERDER)
    for assignment in roles:
        _add_membership(actor=actor, user=user, assignment=assignment)
    _invite(actor=actor, user=user)
    return user


@transaction.atomic
def user_update(*, actor, user: User, first_name: str, last_name: str, email: str,
                is_active: bool | None = None) -> User:
    """Change name and e-mail (and, when given, whether the account is active)."""
    boards = _managed_boards(actor)
    user = _lock_user(user)
    _ensure_in_scope(boards, user)
    _ensure_fully_managed(boards, user)
    new = {"first_name": first_name.strip(), "last_name": last_name.strip(),
           "email": User.objects.normalize_email(email.strip())}
    if not new["email"]:
        raise DomainError(_("Vul een e-mailadres in."))
    if new["email"] != user.email and user.has_usable_password():
        # A password link to a new address would hand the account (and its dossier
        # access) to whoever reads that address.
        raise DomainError(_(
            "Het e-mailadres van een account waarmee al is ingelogd, kan een beheerder niet "
            "wijzigen. Deactiveer dit account en maak een nieuw account aan."))
    if new["email"] != user.email and user.memberships.filter(
            role__in=sorted(ROLES_NEEDING_CONFIRMATION),
            status=MembershipStatus.CONFIRMED).exists():
        # The directie confirmed the role for the person at this address; an invitation to
        # another address would hand that confirmed role to whoever reads it.
        raise DomainError(_(
            "De directie heeft een rol van dit account bevestigd voor de persoon met dit "
            "e-mailadres; een beheerder kan het daarom niet wijzigen. Deactiveer dit account "
            "en maak een nieuw account aan."))
    changed = [field for field in USER_FIELDS if getattr(user, field) != new[field]]
    if changed:
        for field in changed:
            setattr(user, field, new[field])
        user.save(update_fields=changed)
        audit("user.updated", actor=actor, subject=user, actor_role=Role.BEHEERDER,
              data={"fields": changed})
    if is_active is not None and is_active != user.is_active:
        user = (user_reactivate if is_active else user_deactivate)(actor=actor, user=user)
    return user


@transaction.atomic
def user_deactivate(*, actor, user: User) -> User:
    """Block the account. Roles and case history stay; the person can no longer log in."""
    boards = _managed_boards(actor)
    user = _lock_user(user)
    if user.pk == actor.pk:
        raise DomainError(_("U kunt uw eigen account niet deactiveren."))
    _ensure_in_scope(boards, user)
    _ensure_fully_managed(boards, user)
    if not user.is_active:
        raise DomainError(_("Dit account is al gedeactiveerd."))
    for board_id in user.memberships.filter(role=Role.BEHEERDER).values_list("board_id",
                                                                            flat=True):
        _ensure_board_keeps_beheerder(board_id, leaving=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit("user.deactivated", actor=actor, subject=user, actor_role=Role.BEHEERDER)
    # At once, not at the next request: a session open on a shared computer ends too.
    sessions_end_others(user=user, keep=None, reason="deactivated")
    return user


@transaction.atomic
def user_reactivate(*, actor, user: User) -> User:
    boards = _managed_boards(actor)
    user = _lock_user(user)
    _ensure_in_scope(boards, user)
    _ensure_fully_managed(boards, user)
    if user.is_active:
        raise DomainError(_("Dit account is al actief."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit("user.reactivated", actor=actor, subject=user, actor_role=Role.BEHEERDER)
    return user


@transaction.atomic
def user_invite(*, actor, user: User) -> None:
    """Send (again) the e-mail with a link to set a password."""
    boards = _managed_boards(actor)
    user = _lock_user(user)
    _ensure_in_scope(boards, user)
    if not user.is_active:
        raise DomainError(_("Dit account is gedeactiveerd. Maak het eerst weer actief."))
    if not user.email:
        raise DomainError(_("Dit account heeft geen e-mailadres."))
    if user.has_usable_password():
        raise DomainError(_("Deze persoon heeft al een wachtwoord. Bij een vergeten wachtwoord "
                            "vraagt de persoon zelf een nieuwe link aan via het inlogscherm."))
    _invite(actor=actor, user=user)


def _invite(*, actor, user: User, actor_role: str = Role.BEHEERDER) -> None:
    audit("user.invited", actor=actor, subject=user, actor_role=actor_role)
    transaction.on_commit(partial(send_set_password_mail, user.pk))


@dataclass(frozen=True)
class BoardBeheerder:
    user: User
    board: Board
    board_created: bool


@transaction.atomic
def board_beheerder_create(*, board_name: str, username: str, email: str, first_name: str = "",
                           last_name: str = "", password: str | None = None) -> BoardBeheerder:
    """A board's (first) beheerder, for whoever runs the server (`manage.py
    create_beheerder`): before there is a beheerder nobody can use the beheer screens.

    The board is created when it does not exist yet. There is no actor: the trail says
    "systeem". The person sets their own password through the invitation, unless the
    operator types one (`password`), which is then checked like any other.
    """
    board_name, username, email = board_name.strip(), username.strip(), email.strip()
    if not board_name:
        raise DomainError(_("Vul de naam van het bestuur in."))
    if not username:
        raise DomainError(_("Vul een gebruikersnaam in."))
    if not email:
        raise DomainError(_("Vul een e-mailadres in: daarheen gaat de link om een wachtwoord "
                            "in te stellen."))
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("Deze gebruikersnaam is al in gebruik. Kies een andere."))
    user = User(username=username, first_name=first_name.strip(), last_name=last_name.strip(),
                email=User.objects.normalize_email(email), is_active=True, is_staff=False,
                is_superuser=False)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages)) from error
        user.set_password(password)
    board, board_created = Board.objects.get_or_create(name=board_name)
    if board_created:
        audit("board.created", subject=board, data={"via": "create_beheerder"})
    user.save()
    audit("beheerder.created", subject=user, data={"board": str(board.pk)})
    _add_membership(actor=None, user=user, assignment=RoleAssignment.at(Role.BEHEERDER, board),
                    actor_role="")
    if password is None:
        _invite(actor=None, user=user, actor_role="")
    else:
        audit("beheerder.password_set", subject=user)
    return BoardBeheerder(user=user, board=board, board_created=board_created)


def link_base() -> dict:
    """Protocol and domain for links in e-mails: from SITE_URL, never the Host header."""
    site = urlsplit(settings.SITE_URL)
    return {"protocol": site.scheme or "https", "domain": site.netloc,
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)}


def link_context(user: User) -> dict:
    """What the set-password e-mails need to build the link. `user` as well: Django's
    mail sending logs a failure by the user's id and needs it there."""
    return {
        **link_base(),
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def set_password_url(user: User) -> str:
    """The invitation link itself, for the command line when mail is not working yet."""
    context = link_context(user)
    path = reverse("password_reset_confirm",
                   kwargs={"uidb64": context["uid"], "token": context["token"]})
    return f"{context['protocol']}://{context['domain']}{path}"


def send_set_password_mail(user_id) -> None:
    """The invitation: a Dutch e-mail with only the link, no other personal data."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    PasswordResetForm().send_mail(
        "registration/invitation_subject.txt", "registration/invitation_email.txt",
        link_context(user), None, user.email,
    )


# --- Roles -----------------------------------------------------------------------------


@transaction.atomic
def membership_add(*, actor, user: User, role: str, place: Board | School) -> Membership:
    """Give a person a role at a school of the beheerder's board, or for the board."""
    boards = _managed_boards(actor)
    user = _lock_user(user)
    if user.pk == actor.pk:
        raise DomainError(_("U kunt uzelf geen rol geven. Vraag dit aan een andere "
                            "beheerder."))
    if user.is_superuser or user.is_staff:
        raise DomainError(_("Dit account wordt door de systeembeheerder beheerd."))
    _ensure_in_scope(boards, user)
    assignment = RoleAssignment.at(role, place)
    _check_assignment(boards, assignment)
    return _add_membership(actor=actor, user=user, assignment=assignment)


def _ensure_board_keeps_beheerder(board_id, *, leaving=None, leaving_membership=None):
    """A board always keeps an active beheerder. The board row is locked so that two
    beheerders cannot remove or deactivate each other at the same moment."""
    Board.objects.select_for_update().filter(pk=board_id).first()
    remaining = Membership.objects.filter(board_id=board_id, role=Role.BEHEERDER,
                                          user__is_active=True)
    if leaving is not None:
        remaining = remaining.exclude(user=leaving)
    if leaving_membership is not None:
        remaining = remaining.exclude(pk=leaving_membership.pk)
    if not remaining.exists():
        raise DomainError(_("Een bestuur houdt minstens één functioneel beheerder."))


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Take a role away. Case records stay; the policy stops honouring grants at once."""
    boards = _managed_boards(actor)
    user = _lock_user(membership.user)
    membership = (Membership.objects.select_for_update()
                  .filter(pk=membership.pk, user=user, board_id__in=boards).first())
    if membership is None:
        raise DomainError(_("Deze rol bestaat niet (meer)."))
    if user.is_superuser or user.is_staff:
        raise DomainError(_("Dit account wordt door de systeembeheerder beheerd."))
    others = Membership.objects.filter(user=user).exclude(pk=membership.pk)
    if not others.exists():
        raise DomainError(_("Dit is de laatste rol van deze persoon. Deactiveer het account "
                            "als deze persoon niet meer met Meldcode werkt."))
    if membership.role == Role.BEHEERDER:
        if user.pk == actor.pk and not others.filter(role=Role.BEHEERDER).exists():
            raise DomainError(_("U kunt uw eigen laatste beheerdersrol niet intrekken."))
        _ensure_board_keeps_beheerder(membership.board_id, leaving_membership=membership)
    data = role_data(membership)
    school = membership.school
    membership._history_user = actor
    membership.delete()
    permissions.forget_roles(user)
    audit("membership.removed", actor=actor, subject=user, school=school,
          actor_role=Role.BEHEERDER, data=data)


# --- Schools ---------------------------------------------------------------------------


def _clean_school_fields(fields: dict) -> dict:
    logo = fields.pop("logo", None)
    unknown = set(fields) - set(SCHOOL_FIELDS)
    if unknown:
        raise TypeError(f"unknown school fields: {sorted(unknown)}")
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    if "name" in cleaned and not cleaned["name"]:
        raise DomainError(_("Vul de naam van de school in."))
    if logo is not None:
        content, content_type = logo
        if content_type not in LOGO_TYPES:
            raise DomainError(_("Het logo is een PNG- of JPEG-afbeelding."))
        if len(content) > LOGO_MAX_BYTES:
            raise DomainError(_("Het logo is te groot (hooguit 300 kB)."))
        cleaned["logo"], cleaned["logo_type"] = content, content_type
    return cleaned


def _ensure_unique_name(board_id, name: str, *, exclude=None) -> None:
    clash = School.objects.filter(board_id=board_id, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise DomainError(_("Er is in dit bestuur al een school met deze naam."))


@transaction.atomic
def school_create(*, actor, board: Board, **fields) -> School:
    """Add a school (with its sociale kaart) to one of the beheerder's boards."""
    boards = _managed_boards(actor)
    if board.pk not in boards:
        raise DomainError(_("U kunt alleen scholen toevoegen aan uw eigen bestuur."))
    fields = _clean_school_fields(fields)
    if not fields.get("name"):
        raise DomainError(_("Vul de naam van de school in."))
    _ensure_unique_name(board.pk, fields["name"])
    school = School(board=board, **fields)
    school._history_user = actor
    school.save()
    audit("school.created", actor=actor, subject=school, school=school,
          actor_role=Role.BEHEERDER, data={"board": str(board.pk)})
    return school


@transaction.atomic
def school_update(*, actor, school: School, **fields) -> School:
    """Change a school's name, BRIN or sociale kaart. The board never changes here."""
    boards = _managed_boards(actor)
    school = School.objects.select_for_update().get(pk=school.pk)
    if school.board_id not in boards:
        raise DomainError(_("Deze school hoort niet bij uw bestuur."))
    fields = _clean_school_fields(fields)
    if "name" in fields:
        _ensure_unique_name(school.board_id, fields["name"], exclude=school)
    changed = [field for field, value in fields.items() if getattr(school, field) != value]
    if changed:
        for field in changed:
            setattr(school, field, fields[field])
        school._history_user = actor
        school.save(update_fields=changed)
        audit("school.updated", actor=actor, subject=school, school=school,
              actor_role=Role.BEHEERDER, data={"fields": changed})
    return school
