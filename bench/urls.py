"""The project's URLs plus the benchmark's floor page: a trivial logged-in view.

The floor page passes every middleware (session, login, second factor, CSP, the request
line) and renders nothing: what any page costs before it does its own work.
"""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("meldcode.urls")),
]
