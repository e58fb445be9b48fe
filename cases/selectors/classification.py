"""The kind of abuse recorded on a case (004 "Definities"), and what it calls for."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from cases.models import AbuseClassification
from cases.models.workflow import AbuseForm, SpecificForm

SPECIFIC_FORM_WARNING = gettext_lazy(
    "Bij een vermoeden van een specifieke vorm van geweld neemt u met spoed contact op met "
    "Veilig Thuis. Ga niet zonder overleg met Veilig Thuis in gesprek met de ouders of de "
    "familie: dat kan het kind in gevaar brengen.")
VGV_DECLARATION = gettext_lazy(
    "Gebruik bij vrouwelijke genitale verminking de Verklaring tegen meisjesbesnijdenis van "
    "het ministerie van VWS: "
    "https://www.rijksoverheid.nl/onderwerpen/kindermishandeling/meisjesbesnijdenis-tegengaan")


def latest_classification(case) -> AbuseClassification | None:
    """The latest revision counts."""
    return AbuseClassification.objects.filter(case=case).order_by("-recorded_at").first()


def classification_warnings(classification: AbuseClassification | None) -> list[str]:
    if classification is None or not classification.specific_forms:
        return []
    warnings = [str(SPECIFIC_FORM_WARNING)]
    if SpecificForm.VGV in classification.specific_forms:
        warnings.append(str(VGV_DECLARATION))
    return warnings




def classification_summary(case) -> dict | None:
    """The latest classification for the case summary: the vormen and specific forms by
    their Dutch names, when and in which phase it was assessed, and what it calls for."""
    record = latest_classification(case)
    if record is None:
        return None
    return {
        "forms": [str(AbuseForm(code).label) for code in record.forms
                  if code in AbuseForm.values],
        "specific_forms": [str(SpecificForm(code).label) for code in record.specific_forms
                           if code in SpecificForm.values],
        "phase": record.get_phase_display(),
        "recorded_at": record.recorded_at,
        "warnings": classification_warnings(record),
    }
