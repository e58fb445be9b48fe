"""Logging in and "wachtwoord vergeten", both slowed down against guessing and flooding."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.services import audit
from meldcode.input_limits import BoundedFormMixin
from meldcode.models import User
from meldcode.services import auth_throttle
from meldcode.services.beheer import link_base


class LoginForm(BoundedFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Uw gebruikersnaam of wachtwoord klopt niet. Probeer het opnieuw."),
        "inactive": _("Dit account is niet actief. Neem contact op met de beheerder."),
        "throttled": _("Er is te vaak een verkeerd wachtwoord ingevoerd. Wacht %(minutes)s "
                       "minuten en probeer het dan opnieuw, of vraag via 'Wachtwoord "
                       "vergeten?' een nieuw wachtwoord aan."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if not (username and self.cleaned_data.get("password")):
            return super().clean()
        with transaction.atomic():
            auth_throttle.lock_login_attempts(username)
            if auth_throttle.login_blocked(username):
                # The password is not even tried, so a blocked guess teaches nothing.
                audit(auth_throttle.LOGIN_BLOCKED, data={"username": username[:150]})
                refusal = ValidationError(
                    self.error_messages["throttled"], code="throttled",
                    params={"minutes": auth_throttle.ACCOUNT_LOGIN_LIMIT.minutes})
            else:
                try:
                    return super().clean()
                except ValidationError as error:
                    # Raised only after the block commits: the failed-login event written
                    # by the user_login_failed signal must count before the lock goes.
                    refusal = error
        raise refusal


class PasswordResetRequestForm(BoundedFormMixin, PasswordResetForm):
    """"Wachtwoord vergeten": also for invited people who have not set a password yet.

    Whether an address belongs to an account never shows: the answer is the same page."""

    email = forms.EmailField(label=_("E-mailadres"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def clean(self):
        if auth_throttle.reset_requests_blocked():
            raise ValidationError(
                _("Er is vanaf dit adres te vaak een nieuw wachtwoord aangevraagd. Probeer "
                  "het over %(minutes)s minuten opnieuw."), code="throttled",
                params={"minutes": auth_throttle.ADDRESS_RESET_LIMIT.minutes})
        return super().clean()

    def _accounts(self, email):
        users = User.objects.filter(email__iexact=email, is_active=True)
        return [u for u in users if u.email.casefold() == email.casefold()]

    def get_users(self, email):
        return (u for u in self._accounts(email) if u.pk in self._mail_to)

    def save(self, **kwargs):
        accounts = self._accounts(self.cleaned_data["email"])
        self._mail_to = {u.pk for u in accounts if auth_throttle.reset_mail_allowed(u)}
        for user in accounts:
            audit(auth_throttle.RESET_REQUESTED, subject=user,
                  data={"sent": user.pk in self._mail_to})
        if not accounts:
            audit(auth_throttle.RESET_REQUESTED, data={"sent": False})
        # The link is built from SITE_URL, never from the request's Host header.
        kwargs["extra_email_context"] = {**(kwargs.get("extra_email_context") or {}),
                                         **link_base()}
        super().save(**kwargs)
