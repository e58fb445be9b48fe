"""Where am I logged in: the person's own sessions and second factor, and ending a session."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meldcode.services import sessions as services
from meldcode.services import two_factor


def account_security(request):
    return render(request, "registration/account_security.html", {
        "sessions": services.active_sessions(request.user),
        "current_key": request.session.session_key,
        "recovery_codes_left": two_factor.recovery_codes_left(request.user),
    })


@require_POST
def session_end(request, session_id):
    if services.session_end(actor=request.user, session_id=session_id):
        messages.success(request, _("De sessie is beëindigd."))
    else:
        messages.error(request, _("Deze sessie bestaat niet meer."))
    return redirect("account_security")
