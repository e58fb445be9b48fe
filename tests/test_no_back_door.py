"""No way around the audited beheer screens: no Django admin, no other password route."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AdminPasswordChangeForm, SetPasswordForm
from django.urls import URLPattern, URLResolver, get_resolver

from meldcode.models import User

ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGES = ("meldcode", "cases", "audit", "signals_catalog", "decisions")
# The only routes that set a password: one's own (current password asked) and the e-mailed
# link; both write an audit event (meldcode/views/auth.py).
PASSWORD_ROUTES = {"password_change", "password_reset_confirm"}


def _walk(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield route, pattern
            yield from _walk(pattern, route)
        else:
            assert isinstance(pattern, URLPattern)
            yield route, pattern


def test_no_url_leads_to_the_django_admin():
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    for route, pattern in _walk():
        if isinstance(pattern, URLResolver):
            assert pattern.app_name != "admin", route
            assert pattern.namespace != "admin", route
            continue
        view = getattr(pattern.callback, "view_class", pattern.callback)
        assert not view.__module__.startswith("django.contrib.admin"), route
        assert "django-admin" not in route and not route.startswith("admin/"), route


def test_only_the_audited_routes_set_a_password():
    setters = set()
    for _route, pattern in _walk():
        if isinstance(pattern, URLResolver):
            continue
        view = getattr(pattern.callback, "view_class", None)
        if view is None:
            continue
        form_class = getattr(view, "form_class", None)
        if issubclass(view, (auth_views.PasswordChangeView,
                             auth_views.PasswordResetConfirmView)) or (
                form_class is not None
                and issubclass(form_class, (SetPasswordForm, AdminPasswordChangeForm))):
            setters.add(pattern.name)
    assert setters == PASSWORD_ROUTES


PASSWORD_SETTERS = {"set_password", "SetPasswordForm", "AdminPasswordChangeForm"}
# Where app code may set a password: the operator types the first beheerder's password at
# the command line (`create_beheerder --password`), inside the audited service.
ALLOWED_SETTERS = {("meldcode/services/beheer.py", "board_beheerder_create")}


def _setters_in(path: Path) -> set[tuple[str, str]]:
    """(file, enclosing function) of every use of a password setter in the file."""
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def visit(node, function):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        name = (node.attr if isinstance(node, ast.Attribute)
                else node.id if isinstance(node, ast.Name) else None)
        if name in PASSWORD_SETTERS:
            found.add((str(path.relative_to(ROOT)), function))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "<module>")
    return found


def test_no_view_or_service_sets_a_password_of_its_own():
    """Passwords are set by their owner (the two routes above, Django's own forms); only
    the command line sets one for the first beheerder or the demo data."""
    found = set()
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts and "management" not in path.parts:
                found |= _setters_in(path)
    assert found == ALLOWED_SETTERS


@pytest.mark.parametrize("url", ["/django-admin/", "/django-admin/login/",
                                 "/django-admin/meldcode/user/",
                                 "/django-admin/cases/worknote/"])
def test_the_old_admin_urls_are_gone(client, db, url):
    assert client.get(url).status_code == 404
    superuser = User.objects.create_superuser("root", "root@example.org", "x-Geheim-123")
    client.force_login(superuser)
    assert client.get(url).status_code == 404
    assert client.post(url, {"username": "root", "password": "x-Geheim-123"}).status_code == 404
