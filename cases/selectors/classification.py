"""The kind of abuse recorded on a case (004 "Definities"), and what it calls for."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from cases.models import AbuseClassification
from cases.models.workflow import SpecificForm

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


