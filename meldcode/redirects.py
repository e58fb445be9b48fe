"""Where to go back to after an action: only ever a path on this site.

A `next` value comes from the client. Django's own check lets through relative values
such as `foo`, which `redirect()` then tries as a URL name (a 500 after the action was
already carried out) and a browser resolves against the current page."""

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def local_next(request, field: str = "next") -> str:
    """The `next` path of the request (POST before GET) if it is safe, else ""."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def redirect_back(request, default: str, *args, **kwargs) -> HttpResponseRedirect:
    """To the safe `next` path, else to `default` (a URL name with its arguments)."""
    return HttpResponseRedirect(local_next(request) or resolve_url(default, *args, **kwargs))


class LocalNextMixin:
    """For Django's login and logout views: `next` by the same rule as every other view."""

    def get_redirect_url(self):
        return local_next(self.request, self.redirect_field_name)
