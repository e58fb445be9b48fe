from django.utils.translation import gettext_lazy as _

from audit.registry import register

register({
    "user.created": _("heeft een gebruiker aangemaakt"),
    "user.updated": _("heeft een gebruiker gewijzigd"),
    "user.deactivated": _("heeft een gebruiker gedeactiveerd"),
    "user.reactivated": _("heeft een gebruiker weer actief gemaakt"),
    "user.invited": _("heeft een uitnodiging om een wachtwoord in te stellen verstuurd"),
    "membership.added": _("heeft een rol toegekend"),
    "membership.removed": _("heeft een rol ingetrokken"),
    "membership.confirmed": _("heeft een rol bevestigd"),
    "membership.refused": _("heeft een rol geweigerd"),
    "board.created": _("heeft via de opdrachtregel een bestuur aangemaakt"),
    "beheerder.created": _("heeft via de opdrachtregel een functioneel beheerder aangemaakt"),
    "beheerder.password_set": _("heeft via de opdrachtregel het eerste wachtwoord van een "
                                "functioneel beheerder ingesteld"),
    "school.created": _("heeft een school aangemaakt"),
    "school.updated": _("heeft de gegevens van een school gewijzigd"),
    "auth.password_set": _("heeft via een e-maillink een wachtwoord ingesteld"),
    "auth.login_blocked": _("inlogpoging geweigerd na te veel mislukte pogingen"),
    "auth.password_reset_requested": _("nieuw wachtwoord aangevraagd via 'Wachtwoord vergeten'"),
})

# Two-factor login and sessions.
register({
    "auth.password_accepted": _("wachtwoord goed; de code volgt"),
    "auth.two_factor_enrolled": _("heeft een authenticator-app gekoppeld"),
    "auth.recovery_code_used": _("heeft ingelogd met een herstelcode"),
    "auth.recovery_codes_renewed": _("heeft nieuwe herstelcodes gemaakt"),
    "auth.two_factor_reset": _("heeft de tweede inlogstap van een gebruiker opnieuw ingesteld"),
    "auth.reauthenticated": _("heeft wachtwoord en code opnieuw bevestigd"),
    "auth.session_expired": _("sessie verlopen en automatisch uitgelogd"),
    "auth.session_ended": _("heeft een eigen sessie beëindigd"),
    "auth.sessions_ended": _("sessies van een gebruiker beëindigd"),
})
