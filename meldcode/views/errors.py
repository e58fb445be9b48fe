"""The 500 page: rendered from the template alone, so it shows also when the database is
down, and with the request id a beheerder can look up in the log."""

from django.http import HttpResponseServerError
from django.template import loader


def server_error(request):
    # No RequestContext: the context processors (navigation, tasks) query the database.
    html = loader.get_template("500.html").render(
        {"request_id": getattr(request, "request_id", "")})
    return HttpResponseServerError(html)
