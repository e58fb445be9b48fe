"""The signal lists (NJI, Wolzak 2009) as versioned data.

A `SignalList` is one version of the list for one age band. A new version is a new row
with new signals; observations point at the exact `Signal` rows they recorded, so a later
version never changes what an earlier observation said.

The national list (board empty) is loaded from the meldcode and never edited through the
UI. A board (bevoegd gezag) that changes its list gets versions of its own, which its
schools use instead of the national list; other boards keep theirs.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AgeBand(models.Model):
    """An age band a list applies to, e.g. 0-4 or 4-12 (upper bound exclusive)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    min_age = models.PositiveSmallIntegerField(_("vanaf leeftijd"))
    max_age = models.PositiveSmallIntegerField(_("tot leeftijd"), null=True, blank=True,
                                               help_text=_("Leeg: geen bovengrens."))

    class Meta:
        verbose_name = _("leeftijdsgroep")
        verbose_name_plural = _("leeftijdsgroepen")
        ordering = ["min_age"]

    def __str__(self):
        return self.name


class SignalList(models.Model):
    """One version of the signal list for an age band, national or of one board.

    One national version per band is current, and at most one version per board and band:
    a board's schools get the board's current version, or the national one if it has none.
    """

    age_band = models.ForeignKey(AgeBand, on_delete=models.PROTECT, related_name="lists")
    # Empty: the national list of the meldcode. Set: the board's own version.
    board = models.ForeignKey("meldcode.Board", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="signal_lists",
                              verbose_name=_("bestuur"))
    version = models.PositiveIntegerField(_("versie"))
    title = models.CharField(_("titel"), max_length=200)
    source = models.TextField(_("bron"))
    introduction = models.TextField(_("toelichting"), blank=True)
    is_current = models.BooleanField(_("actueel"), default=False)
    published_at = models.DateTimeField(_("gepubliceerd op"), auto_now_add=True)
    # Empty for version 1, which the data migration loads from fixtures/signal_lists.json.
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("gepubliceerd door"))
    change_summary = models.CharField(_("wijziging"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("signalenlijst")
        verbose_name_plural = _("signalenlijsten")
        ordering = ["age_band__min_age", "-version"]
        # Conditional, not over a nullable `board`: NULLs are distinct in a unique index,
        # so a plain (board, age_band) constraint would allow any number of national lists.
        constraints = [
            models.UniqueConstraint(fields=["age_band", "version"],
                                    condition=Q(board__isnull=True),
                                    name="national_signal_list_version_unique"),
            models.UniqueConstraint(fields=["board", "age_band", "version"],
                                    condition=Q(board__isnull=False),
                                    name="board_signal_list_version_unique"),
            models.UniqueConstraint(fields=["age_band"],
                                    condition=Q(is_current=True, board__isnull=True),
                                    name="one_current_national_signal_list_per_band"),
            models.UniqueConstraint(fields=["board", "age_band"],
                                    condition=Q(is_current=True, board__isnull=False),
                                    name="one_current_signal_list_per_board_and_band"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class Category(models.Model):
    """A category of a list version: 'Lichamelijk welzijn', 'Gedrag van de ouder', …"""

    class Block(models.TextChoices):
        GENERAL = "algemeen", _("Signalen")
        SEXUAL_ABUSE = "seksueel_misbruik", _("Signalen specifiek voor seksueel misbruik")

    signal_list = models.ForeignKey(SignalList, on_delete=models.CASCADE,
                                    related_name="categories")
    block = models.CharField(_("blok"), max_length=20, choices=Block.choices,
                             default=Block.GENERAL)
    name = models.CharField(_("naam"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("categorie")
        verbose_name_plural = _("categorieën")
        ordering = ["signal_list", "position"]

    def __str__(self):
        return self.name


class Signal(models.Model):
    """One signal of a list version, e.g. 'Blauwe plekken'. Never edited once published."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="signals")
    text = models.CharField(_("signaal"), max_length=300)
    # The list marks some signals as applying to 12-18 year olds only.
    min_age = models.PositiveSmallIntegerField(_("vanaf leeftijd"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["category", "position"]

    def __str__(self):
        return self.text
