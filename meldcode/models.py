"""Core records: who works where, in which role.

A person can hold several roles at several schools; board-level roles (bestuur, beheerder,
inspecteur) are held for a whole bevoegd gezag. A role that opens dossiers takes effect
only once someone other than the beheerder who gave it has confirmed it (see
`Membership`).
"""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who logs in: school staff, care team, board, beheerder or inspecteur."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    LEERKRACHT = "leerkracht", _("Leerkracht")
    AANDACHTSFUNCTIONARIS = "aandachtsfunctionaris", _("Aandachtsfunctionaris")
    DIRECTIE = "directie", _("Directie")
    OKA = "oka", _("Ouder- en kindadviseur")
    BESTUUR = "bestuur", _("Bestuur")
    BEHEERDER = "beheerder", _("Functioneel beheerder")
    INSPECTEUR = "inspecteur", _("Inspecteur")


SCHOOL_ROLES = frozenset(
    {Role.LEERKRACHT, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE, Role.OKA}
)
BOARD_ROLES = frozenset({Role.BESTUUR, Role.BEHEERDER, Role.INSPECTEUR})
# Roles that open dossiers (meldcode/permissions.py: CASE_ACTIONS and "case.list"): a
# beheerder gives them, but they grant nothing until the school's directie (or, for the
# first directie and for the bestuur itself, the bestuur) confirms them. The beheerder and
# inspecteur roles open no dossier and take effect at once.
ROLES_NEEDING_CONFIRMATION = SCHOOL_ROLES | {Role.BESTUUR}


class MembershipStatus(models.TextChoices):
    PENDING = "wacht_op_bevestiging", _("wacht op bevestiging")
    CONFIRMED = "bevestigd", _("bevestigd")
    REFUSED = "geweigerd", _("geweigerd")


class Board(models.Model):
    """A bevoegd gezag (school board): legally responsible for its schools."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("naam"), max_length=200, unique=True)
    # "Wie heeft het dossier van mijn kind ingezien": the board decides whether parents get
    # the names of individual staff, or only their roles.
    access_report_shows_names = models.BooleanField(
        _("namen van medewerkers in het inzageoverzicht voor ouders"), default=False)

    class Meta:
        verbose_name = _("bestuur")
        verbose_name_plural = _("besturen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class School(models.Model):
    """One school (including VVE / pre-school) of a board, with its sociale kaart."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="schools",
                              verbose_name=_("bestuur"))
    name = models.CharField(_("naam"), max_length=200)
    brin = models.CharField(_("BRIN-nummer"), max_length=8, blank=True)
    # Sociale kaart: who to call, kept with the school so every case page can show it.
    vt_region = models.CharField(_("Veilig Thuis-regio"), max_length=200, blank=True)
    vt_phone = models.CharField(_("telefoon Veilig Thuis"), max_length=40, blank=True,
                                default="0800-2000")
    wijkagent = models.CharField(_("wijkagent"), max_length=200, blank=True)
    oka_contact = models.CharField(_("ouder- en kindadviseur"), max_length=200, blank=True)
    police_phone = models.CharField(_("politie"), max_length=40, blank=True,
                                    default="0900-8844")
    rvdk_contact = models.CharField(_("Raad voor de Kinderbescherming"), max_length=200,
                                    blank=True)
    slachtofferhulp_phone = models.CharField(_("Slachtofferhulp"), max_length=40, blank=True,
                                             default="0900-0101")
    kindertelefoon_phone = models.CharField(_("Kindertelefoon"), max_length=40, blank=True,
                                            default="0800-0432")
    # Nazorg for staff involved in a case (000 stap 6): who offers it; empty means the OKA.
    nazorg_contact = models.CharField(
        _("nazorg voor betrokken medewerkers"), max_length=200, blank=True,
        help_text=_("Wie biedt medewerkers nazorg aan na een melding of bij het sluiten van "
                    "een casus? Leeg: de ouder- en kindadviseur."))
    other_contacts = models.TextField(_("overige contacten"), blank=True)
    # The letterhead of the school's letters and documents (the letter to the parents).
    letterhead_name = models.CharField(_("naam op het briefpapier"), max_length=200,
                                       blank=True)
    address = models.TextField(_("adres (briefpapier)"), max_length=500, blank=True)
    logo = models.BinaryField(_("logo"), max_length=300_000, blank=True, null=True,
                              editable=True)
    logo_type = models.CharField(max_length=40, blank=True)
    history = HistoricalRecords(excluded_fields=["logo"])

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["board", "name"], name="school_name_unique_per_board"),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A role a person holds: at one school, or (board roles) for the whole board.

    Only a confirmed role counts for the permission policy. `decided_by`/`decided_at` say
    who confirmed (or refused) it and when; a confirmed role without `decided_by` needed no
    confirmation (beheerder, inspecteur), was confirmed at the command line, or existed
    before roles were confirmed.
    """

    Status = MembershipStatus

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("gebruiker"))
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships",
                              verbose_name=_("bestuur"))
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships",
                               null=True, blank=True, verbose_name=_("school"))
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # A new row grants nothing until a service confirms it, however it was created.
    status = models.CharField(_("status"), max_length=24, choices=MembershipStatus.choices,
                              default=MembershipStatus.PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+",
                                   verbose_name=_("bevestigd of geweigerd door"))
    decided_at = models.DateTimeField(_("bevestigd of geweigerd op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        constraints = [
            models.UniqueConstraint(fields=["user", "school", "role"],
                                    name="membership_unique_school_role",
                                    condition=Q(school__isnull=False)),
            models.UniqueConstraint(fields=["user", "board", "role"],
                                    name="membership_unique_board_role",
                                    condition=Q(school__isnull=True)),
            models.CheckConstraint(
                name="membership_school_role_needs_school",
                condition=(
                    Q(role__in=sorted(r.value for r in BOARD_ROLES), school__isnull=True)
                    | Q(~Q(role__in=sorted(r.value for r in BOARD_ROLES)), school__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="membership_decided_when_not_pending",
                condition=(Q(status=MembershipStatus.PENDING, decided_at__isnull=True,
                             decided_by__isnull=True)
                           | Q(~Q(status=MembershipStatus.PENDING), decided_at__isnull=False)),
            ),
            # Nobody confirms (or refuses) a role of their own.
            models.CheckConstraint(name="membership_not_decided_by_its_holder",
                                   condition=~Q(decided_by=F("user"))),
        ]

    def __str__(self):
        where = self.school or self.board
        return f"{self.user} – {self.get_role_display()} – {where}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == MembershipStatus.CONFIRMED

    @property
    def is_pending(self) -> bool:
        return self.status == MembershipStatus.PENDING

class UserSession(models.Model):
    """A place where someone is logged in: shown to them so they can end what they do not
    recognise, and ended for them when their password, second factor or account changes.

    Keyed by the session store's key; the session itself stays in Django's store."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions",
                             verbose_name=_("gebruiker"))
    session_key = models.CharField(max_length=64, unique=True)
    user_agent = models.CharField(_("apparaat"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("adres"), null=True, blank=True)
    created_at = models.DateTimeField(_("sinds"), auto_now_add=True)

    class Meta:
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} – {self.created_at:%Y-%m-%d %H:%M}"
