"""The leerlingdossier: pupils, cases (one concern about one pupil) and the case team."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from meldcode.models import School


class Student(models.Model):
    """A pupil (leerling) of one school."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students",
                               verbose_name=_("school"))
    first_name = models.CharField(_("voornaam"), max_length=100)
    infix = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=150)
    date_of_birth = models.DateField(_("geboortedatum"))
    # The group of the current school year, kept for search and lists; the group per
    # school year, with its teachers, is a GroupPlacement (cases/models/pupils.py).
    group = models.CharField(_("groep"), max_length=40, blank=True)
    pupil_number = models.CharField(_("leerlingnummer"), max_length=40)
    # Set when the pupil is no longer in the school's administration. Pupils are never
    # deleted: their dossiers stay.
    left_on = models.DateField(_("uitgeschreven op"), null=True, blank=True)
    # Brothers and sisters at the same school; shown to the AF only (other pupils' data).
    siblings = models.ManyToManyField("self", symmetrical=True, blank=True,
                                      verbose_name=_("broers en zussen op deze school"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "pupil_number"],
                                    name="pupil_number_unique_per_school"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)

    def age_on(self, day: date) -> int:
        """Age in whole years on a given day (a birthday counts from that day on)."""
        born = self.date_of_birth
        before_birthday = (day.month, day.day) < (born.month, born.day)
        return day.year - born.year - int(before_birthday)


class Phase(models.TextChoices):
    """The stappenplan phases a case moves through (see cases/workflow.py)."""

    SIGNALEREN = "signaleren", _("1. Signaleren")
    CONSULTATIE = "consultatie", _("2. Collegiale consultatie")
    GESPREK = "gesprek", _("3. Gesprek met ouders en leerling")
    WEGEN = "wegen", _("4-5. Wegen en beslissen")
    HULP = "hulp", _("Hulp")
    MELDING = "melding", _("Melding Veilig Thuis")
    MONITOREN = "monitoren", _("6. Monitoren en evalueren")
    GESLOTEN = "gesloten", _("Gesloten")


class Route(models.TextChoices):
    """Whether the normal stappenplan applies, or the meldplicht route (staff suspected)."""

    STAPPENPLAN = "stappenplan", _("Stappenplan")
    MELDPLICHT = "meldplicht", _("Meldplicht (medewerker)")


class Case(models.Model):
    """One concern about one pupil: the leerlingdossier that goes through the stappenplan."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("school"))
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="cases",
                                verbose_name=_("leerling"))
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices,
                             default=Phase.SIGNALEREN)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices,
                             default=Route.STAPPENPLAN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="opened_cases", verbose_name=_("geopend door"))
    opened_at = models.DateTimeField(_("geopend op"), default=timezone.now)
    phase_changed_at = models.DateTimeField(_("fase gewijzigd op"), default=timezone.now)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    # Set by the AF or directie; never one of the pupil's own teachers (seed 000 step 2).
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="coordinated_cases",
                                    verbose_name=_("coördinator"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["-opened_at"]
        # A teacher not on the team who reports a concern about a pupil with an open case
        # may add observations to it without reading it (write-only).
        permissions = [("contribute_case", "Observaties toevoegen zonder inzage")]
        constraints = [
            # Per route: a meldplicht case (staff suspected) does not stop the pupil's own
            # care in a stappenplan case (C-10).
            models.UniqueConstraint(fields=["student", "route"], condition=~Q(phase="gesloten"),
                                    name="one_open_case_per_student_per_route"),
        ]
        indexes = [
            models.Index(fields=["school", "phase"]),
            # The case list: a school's cases, newest first, read a page at a time.
            models.Index(fields=["school", "-opened_at"], name="case_school_newest"),
        ]

    def __str__(self):
        return str(_("Casus %(id)s") % {"id": str(self.id)[:8]})

    @property
    def reference(self) -> str:
        """Short, non-identifying reference for mails and lists."""
        return str(self.id)[:8].upper()

    @property
    def is_open(self) -> bool:
        return self.phase != Phase.GESLOTEN


class CaseUserObjectPermission(UserObjectPermissionBase):
    """A per-case grant: this person is on the case team (django-guardian, direct FK)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE,
                                       related_name="user_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="case_grants")
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("casusteamlid")
        verbose_name_plural = _("casusteamleden")


class Notification(models.Model):
    """An in-app alert for one person. Mails for it carry no pupil name, only a link."""

    class Kind(models.TextChoices):
        CASE_EXISTS = "case_exists", _("Nieuwe zorg gemeld bij een bestaande casus")
        CASE_OPENED = "case_opened", _("Nieuwe casus")
        TEAM_ADDED = "team_added", _("Toegevoegd aan casusteam")
        ACUTE = "acute", _("Acute melding bij Veilig Thuis")
        MELDPLICHT = "meldplicht", _("Casus naar de meldplichtroute")
        OBSERVATION_SUBMITTED = "observation_submitted", _("Nieuwe observatie vastgelegd")
        DISCLOSURE = "disclosure", _("Onthulling door een kind: direct aandacht nodig")
        ROLE_CONFIRMATION = "role_confirmation", _("Een rol wacht op uw bevestiging")
        COORDINATOR_OWN_TEACHER = "coordinator_own_teacher", _(
            "De coördinator is nu een eigen leerkracht van de leerling")
        DIRECT_DANGER = "direct_danger", _("Direct gevaar gemeld: direct aandacht nodig")
        SPECIFIC_FORM = "specific_form", _(
            "Vermoeden van een specifieke vorm van geweld: met spoed Veilig Thuis raadplegen")
        # To the teacher who reported: that something happens, never what (no content).
        CONCERN_TAKEN_UP = "concern_taken_up", _(
            "De aandachtsfunctionaris heeft uw zorg opgepakt")
        CONCERN_CLOSED = "concern_closed", _(
            "De aandachtsfunctionaris heeft de casus over uw zorg afgesloten")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="notifications")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"]),
                   # The list "Berichten": one person's, newest first, a page at a time.
                   models.Index(fields=["recipient", "-created_at", "-id"],
                                name="notification_recipient_newest")]

    def __str__(self):
        return self.get_kind_display()
