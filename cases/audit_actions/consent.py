from django.utils.translation import gettext_lazy as _

from audit.registry import register

# Consent and written information to third parties (cases/services/consent.py).
register({
    "case.consent.recorded": _("heeft de toestemming van een ouder/verzorger vastgelegd"),
    "case.consent.withdrawn": _("heeft vastgelegd dat een toestemming is ingetrokken"),
    "case.disclosure.recorded": _("heeft een verstrekking van informatie aan derden "
                                  "vastgelegd"),
})
