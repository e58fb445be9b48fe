from django.utils.translation import gettext_lazy as _

from audit.registry import register

# Documents made outside the request (cases/services/documents.py).
register({
    "document.requested": _("heeft een document van de casus laten maken"),
    "document.downloaded": _("heeft een document van de casus gedownload"),
})
