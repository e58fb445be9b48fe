"""Deadlines of the meldcode as tasks, and each board's deadline policy (DOMAIN.md "Deadlines")."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from meldcode.models import Board

__all__ = ["DeadlinePolicy", "Task", "TaskKind"]


class TaskKind(models.TextChoices):
    """What a deadline asks someone to do. The label is the task's Dutch title."""

    PHASE1_LIMIT = "fase1_termijn", _("Signaleren afronden: conclusie fase 1 vastleggen")
    REVIEW = "herbeoordeling", _("Aantekeningen opnieuw bekijken (geen bevestiging)")
    CONSULTATION_LIMIT = "consultatie_termijn", _("Collegiale consultatie afronden")
    PHASE_LIMIT = "fase_termijn", _("Termijn van deze fase bewaken")
    WEIGH_OBSERVATIONS = "waarnemingen_bespreken", _(
        "Alle waarnemingen en gesprekken bespreken in het zorgteam (stap 4)")
    VT_DECISION = "vt_besluit", _("Besluit en terugkoppeling van Veilig Thuis nagaan")
    HELP_EFFECT = "hulp_termijn", _("Effect van de hulp beoordelen (termijn verstreken)")
    HELP_PARENTS_CONTACT = "hulp_contact_ouders", _(
        "Navragen of de ouders contact hadden met de hulpverlening")
    NAZORG_REVIEW = "nazorg_nagaan", _(
        "Nagaan of het nazorgtraject na de hulp loopt zoals afgesproken")
    VT_FOLLOW_UP = "vt_vervolgstap", _("Controleren op vervolgstap Veilig Thuis")
    ACUTE_ACKNOWLEDGE = "acuut_bekrachtigen", _(
        "Telefonische melding bij Veilig Thuis bekrachtigen (directie)")
    FOLLOW_PERIOD = "volgperiode", _("Volgperiode afronden: leerling een half jaar gevolgd")
    ZORGTEAM_AGAIN = "zorgteam_opnieuw", _("Leerling opnieuw bespreken in het zorgteam")
    TEACHER_WATCH = "leerkracht_volgen", _(
        "Leerling nauwlettend blijven volgen na de evaluatie")
    DEPARTURE_VT = "vertrek_vt", _("Vertrek van de leerling melden aan Veilig Thuis")
    DEPARTURE_HANDOVER = "vertrek_overdracht", _("Zorg overdragen aan de nieuwe school")
    DEPARTURE_PARENTS = "vertrek_ouders", _("Ouders informeren over de overdracht van de zorg")
    DEPARTURE_LEERPLICHT = "vertrek_leerplicht", _(
        "Leerplichtambtenaar informeren: nieuwe school onbekend")
    DISCLOSURE_VT = "onthulling_vt", _("Bespreek met Veilig Thuis (anoniem) hoe u verder gaat")
    SIGNALS_TO_VT = "signalen_vt", _("Nieuwe signalen doorgeven aan Veilig Thuis")
    NAZORG_STAFF = "nazorg", _("Nazorg betrokken medewerkers aanbieden")
    # Titled by the plan's line itself; one task per line, so several per owner.
    PLAN_ITEM = "plan_van_aanpak", _("Actiepunt uit het plan van aanpak")
    MELDPLICHT_INSPECTOR = "vertrouwensinspecteur", _(
        "Onverwijld overleggen met de vertrouwensinspecteur (meldplicht)")
    # AVG art. 12(3): within one month, once extendable by two (privacy app).
    ACCESS_REQUEST = "inzageverzoek", _("Verzoek om inzage beantwoorden")


class Task(models.Model):
    """One deadline of the meldcode for one person on one case, created by a workflow event.

    Tasks are completed by their owner (or the AF/directie), or automatically when the
    workflow moves on (e.g. leaving the phase the deadline belonged to).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks",
                             verbose_name=_("casus"))
    kind = models.CharField(_("soort"), max_length=40, choices=TaskKind.choices)
    # The phase the deadline belongs to; leaving that phase completes the task. Empty for
    # deadlines that outlive the phase (follow period, teacher's watching, departure).
    phase = models.CharField(_("fase"), max_length=20, blank=True)
    title = models.CharField(_("omschrijving"), max_length=200)
    due_on = models.DateField(_("uiterlijk op"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="tasks", verbose_name=_("eigenaar"))
    source_event = models.CharField(_("ontstaan door"), max_length=40)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("afgerond door"))
    auto_completed = models.BooleanField(_("automatisch afgerond"), default=False)
    # The event (or "colleague") that completed the task when nobody ticked it off.
    completion_reason = models.CharField(_("reden afronding"), max_length=40, blank=True)
    last_reminded_on = models.DateField(_("laatste herinnering"), null=True, blank=True)
    # A deadline of the meldcode ticked off by hand without its step: why (the step itself
    # was not recorded). The task leaves the list; the deadline is not met by it.
    override_reason = models.CharField(_("reden afronden zonder de stap"), max_length=500,
                                       blank=True)
    # When the record the deadline asks for was made (a conclusion, Veilig Thuis' feedback,
    # ...): only that meets a deadline, also after an override.
    met_at = models.DateTimeField(_("termijn gehaald op"), null=True, blank=True)

    class Meta:
        verbose_name = _("taak")
        verbose_name_plural = _("taken")
        ordering = ["due_on", "created_at"]
        constraints = [
            # A plan van aanpak gives one owner several lines: those are exempt.
            models.UniqueConstraint(fields=["case", "kind", "owner"],
                                    condition=Q(completed_at__isnull=True)
                                    & ~Q(kind="plan_van_aanpak"),
                                    name="one_open_task_per_case_kind_owner"),
        ]
        indexes = [
            models.Index(fields=["owner", "completed_at", "due_on"]),
            models.Index(fields=["case", "completed_at"]),
            # The deadlines of a school's cases in a period (inspection/selectors/figures.py).
            models.Index(fields=["case", "due_on"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.completed_at is None

    @property
    def is_overridden(self) -> bool:
        """Ticked off by hand without the step, and the step has not followed since."""
        return bool(self.override_reason) and self.met_at is None

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_on < today


def _months(verbose_name, default: int, *, low: int, high: int, help_text):
    return models.PositiveSmallIntegerField(
        verbose_name, default=default, validators=[MinValueValidator(low), MaxValueValidator(high)],
        help_text=help_text,
    )


class DeadlinePolicy(models.Model):
    """The deadlines a board applies; defaults follow the meldcode (seed 000 and 004).

    Bounds follow the meldcode: a "maximaal" term may be set shorter, never longer; an
    "ten minste" term may be set longer, never shorter.
    """

    board = models.OneToOneField(Board, on_delete=models.CASCADE,
                                 related_name="deadline_policy", verbose_name=_("bestuur"))
    phase1_months = models.PositiveSmallIntegerField(
        _("termijn fase 1 (maanden)"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(1)],
        help_text=_("Meldcode stap 1: maximaal één maand."))
    review_months = _months(_("herbeoordeling na geen bevestiging (maanden)"), 2, low=1, high=2,
                            help_text=_("Na 'geen bevestiging': maximaal twee maanden."))
    weigh_months = _months(_("waarnemingen bespreken in stap 4 (maanden)"), 1, low=1, high=1,
                           help_text=_("Stap 4: alle waarnemingen besproken na maximaal één "
                                       "maand."))
    vt_decision_working_days = models.PositiveSmallIntegerField(
        _("besluit Veilig Thuis (werkdagen)"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Na een melding (meldnorm B) besluit Veilig Thuis binnen vijf werkdagen."))
    follow_months = _months(_("volgperiode (maanden)"), 6, low=6, high=24,
                            help_text=_("Stap 6: het zorgteam volgt de leerling ten minste een "
                                        "half jaar."))
    teacher_watch_months = _months(_("leerkracht blijft volgen (maanden)"), 4, low=4, high=24,
                                   help_text=_("Stap 6: de leerkracht volgt de leerling ten "
                                               "minste vier maanden na de evaluatie."))
    zorgteam_again_months = _months(_("zorgteam bespreekt opnieuw (maanden)"), 6, low=1, high=24,
                                    help_text=_("Stap 6: na een half jaar bespreekt het "
                                                "zorgteam de leerling opnieuw."))
    departure_working_days = models.PositiveSmallIntegerField(
        _("overdracht na vertrek (werkdagen)"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Vertrekt de leerling in de volgperiode: Veilig Thuis, de nieuwe school "
                    "en de ouders informeren binnen dit aantal werkdagen."))
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    EDITABLE_FIELDS = (
        "phase1_months", "review_months", "weigh_months", "vt_decision_working_days",
        "follow_months", "teacher_watch_months", "zorgteam_again_months",
        "departure_working_days",
    )

    class Meta:
        verbose_name = _("termijnbeleid")
        verbose_name_plural = _("termijnbeleid")

    def __str__(self):
        return str(_("Termijnen van %(board)s") % {"board": self.board})

    @classmethod
    def for_board(cls, board) -> "DeadlinePolicy":
        """The board's policy, or an unsaved one with the meldcode defaults."""
        policy = cls.objects.filter(board_id=board.pk).first()
        return policy if policy is not None else cls(board=board)
