"""Nobody reaches a page with only a password: without a verified second factor an
authenticated session leads to the code step (or to setting up the app) and nowhere else.

The normal login completes only after the code (see `meldcode.views.two_factor`); this is
the guard for every other way a session could end up authenticated."""

from django.shortcuts import redirect

# Besides the public pages (login_not_required), what an unverified session may open.
ALLOWED_UNVERIFIED = frozenset({"two_factor_verify", "two_factor_enrol", "logout"})


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.url_name in ALLOWED_UNVERIFIED:
            return None
        return redirect("two_factor_verify")
