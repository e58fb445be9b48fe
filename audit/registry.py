"""Action codes and their Dutch sentences: one registry for every trail in the product.

Apps register their codes at import time (see each app's `audit_actions.py`); writing an
unregistered code fails, so every event in the store can be rendered for an inspector.
"""

from django.utils.translation import gettext_lazy as _

_SENTENCES: dict[str, object] = {}


class UnknownAuditAction(KeyError):
    pass


def register(sentences: dict) -> None:
    """register({"case.opened": _("heeft de casus geopend")})."""
    _SENTENCES.update(sentences)


def ensure_known(action: str) -> None:
    if action not in _SENTENCES:
        raise UnknownAuditAction(action)


def sentence_for(action: str) -> str:
    return str(_SENTENCES.get(action, action))


def known_actions() -> list[str]:
    return sorted(_SENTENCES)


register({
    "auth.login": _("heeft ingelogd"),
    "auth.login_failed": _("mislukte inlogpoging"),
    "auth.logout": _("heeft uitgelogd"),
    "auth.password_changed": _("heeft het wachtwoord gewijzigd"),
})

register({
    "access_log.exported": _("heeft het inzagelog geëxporteerd"),
    "access.unusual_reported": _("meldde opvallende inzage aan het bestuur"),
})
