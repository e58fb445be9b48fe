"""The code step of logging in, setting up the app, and confirming who you are again.

Each form checks the login limits before it checks anything else, so once an address is
blocked for an account a right code teaches nothing either."""

from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from audit.services import audit
from meldcode.input_limits import BoundedForm
from meldcode.services import auth_throttle
from meldcode.services import two_factor as services

CODE_MAX_LENGTH = 32


def _ensure_not_blocked(user) -> None:
    username = user.get_username()
    if auth_throttle.login_blocked(username):
        audit(auth_throttle.LOGIN_BLOCKED, data={"username": username[:150]})
        raise ValidationError(
            _("Er is te vaak een verkeerde code of een verkeerd wachtwoord ingevoerd. Wacht "
              "%(minutes)s minuten en probeer het dan opnieuw."),
            code="throttled", params={"minutes": auth_throttle.ACCOUNT_LOGIN_LIMIT.minutes})


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code"))
        kwargs.setdefault("max_length", CODE_MAX_LENGTH)
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off",
            "spellcheck": "false"}))
        super().__init__(**kwargs)


def _too_soon(error):
    return ValidationError(
        _("Even wachten: na een verkeerde code kunt u het over %(seconds)s seconden opnieuw "
          "proberen."), code="too_soon", params={"seconds": error.seconds})


WRONG_CODE = _("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat en "
               "probeer de code die nu in de app staat.")


class LoginCodeForm(BoundedForm):
    """The second step: the code from the app, or one of the recovery codes."""

    code = CodeField(help_text=_("De zescijferige code uit uw authenticator-app, of een van "
                                 "uw herstelcodes."))

    def __init__(self, *args, user, step="login", **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.step = step
        self.device = None

    def clean(self):
        code = self.cleaned_data.get("code")
        if code:
            _ensure_not_blocked(self.user)
            try:
                self.device = services.code_verify(user=self.user, code=code, step=self.step)
            except services.CodeTooSoon as error:
                raise _too_soon(error) from error
            if self.device is None:
                raise ValidationError(WRONG_CODE, code="wrong_code")
        return self.cleaned_data


class EnrolmentForm(BoundedForm):
    code = CodeField(label=_("Code uit de app"),
                     help_text=_("De zes cijfers die de app nu laat zien."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.recovery_codes = None

    def clean(self):
        code = self.cleaned_data.get("code")
        if code:
            _ensure_not_blocked(self.user)
            try:
                self.recovery_codes = services.totp_enrolment_confirm(user=self.user,
                                                                      code=code)
            except services.CodeTooSoon as error:
                raise _too_soon(error) from error
            if self.recovery_codes is None:
                raise ValidationError(WRONG_CODE, code="wrong_code")
        return self.cleaned_data


class ReauthForm(LoginCodeForm):
    """Password and code again, before an export, a PDF or a change of roles."""

    password = forms.CharField(label=_("Wachtwoord"), strip=False, max_length=4096,
                               widget=forms.PasswordInput(
                                   attrs={"autocomplete": "current-password"}))
    field_order = ["password", "code"]

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, user=request.user, step="reauth", **kwargs)
        self.request = request

    def clean(self):
        password, code = self.cleaned_data.get("password"), self.cleaned_data.get("code")
        if password and code:
            _ensure_not_blocked(self.user)
            # A wrong password is audited as a failed login by Django's signal.
            if authenticate(self.request, username=self.user.get_username(),
                            password=password) is None:
                raise ValidationError(_("Uw wachtwoord of de code klopt niet."),
                                      code="wrong_password")
            try:
                self.device = services.code_verify(user=self.user, code=code, step=self.step)
            except services.CodeTooSoon as error:
                raise _too_soon(error) from error
            if self.device is None:
                raise ValidationError(_("Uw wachtwoord of de code klopt niet."),
                                      code="wrong_code")
        return self.cleaned_data
