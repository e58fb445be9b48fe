"""/gezondheid/: for the load balancer and monitoring. No login and no data: only whether
this instance can serve (the database answers and every migration is applied)."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def health_problem() -> str | None:
    """What keeps this instance from serving, or None."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return _("database niet bereikbaar")
    if pending:
        return _("niet alle migraties zijn uitgevoerd")
    return None


@login_not_required
@never_cache
@require_GET
def health(request):
    problem = health_problem()
    if problem:
        return HttpResponse(problem, status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
