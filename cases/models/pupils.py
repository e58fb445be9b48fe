"""The school year around a pupil: the group (groep/klas) per school year with its
teachers, and what the school's administration (LAS) import needs to remember.

"Own teacher" means a teacher of the pupil's group on that date (seed 000, Stap 2: the
coordinator is never the pupil's own teacher). Groups are kept per school year
(1 August – 31 July) so that last year's teachers are still known for last year's dates.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Student
from meldcode.models import School


class Source(models.TextChoices):
    IMPORT = "import", _("import uit de leerlingadministratie")
    MANUAL = "handmatig", _("handmatig door de aandachtsfunctionaris")


class SchoolGroup(models.Model):
    """A group of one school in one school year, and the teachers who teach it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="groups",
                               verbose_name=_("school"))
    # The first calendar year of the school year: 2026 is 2026-2027.
    school_year = models.PositiveSmallIntegerField(_("schooljaar"))
    name = models.CharField(_("groep"), max_length=40)
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                      related_name="taught_groups",
                                      verbose_name=_("leerkrachten"))
    source = models.CharField(_("bron"), max_length=20, choices=Source.choices,
                              default=Source.IMPORT)

    class Meta:
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        ordering = ["school_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "name"],
                                    name="group_name_unique_per_school_year"),
        ]

    def __str__(self):
        return self.name


class GroupPlacement(models.Model):
    """The group a pupil is in during one school year."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="placements",
                                verbose_name=_("leerling"))
    group = models.ForeignKey(SchoolGroup, on_delete=models.PROTECT, related_name="placements",
                              verbose_name=_("groep"))
    school_year = models.PositiveSmallIntegerField(_("schooljaar"))
    source = models.CharField(_("bron"), max_length=20, choices=Source.choices,
                              default=Source.IMPORT)

    class Meta:
        verbose_name = _("groepsplaatsing")
        verbose_name_plural = _("groepsplaatsingen")
        constraints = [
            models.UniqueConstraint(fields=["student", "school_year"],
                                    name="one_group_per_pupil_per_school_year"),
        ]

    def __str__(self):
        return f"{self.school_year}: {self.group_id}"


class ImportMapping(models.Model):
    """Per school: which header of its export holds which field, where the export does not
    use the common Dutch headers. Saved once, used for every later import."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+",
                                  primary_key=True)
    # field name (cases/services/import_files.py FIELDS) -> header as it appears in the file
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")

    def __str__(self):
        return str(self.school_id)


class PupilImport(models.Model):
    """One uploaded export, between its dry run and the confirmation.

    The file's content is kept only until the import is applied or abandoned: after that
    only the counts remain."""

    class Status(models.TextChoices):
        PREVIEW = "voorbeeld", _("proefimport")
        APPLIED = "verwerkt", _("verwerkt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    content = models.BinaryField(editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEW)
    counts = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.filename
