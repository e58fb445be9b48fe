"""The case timeline: audit events and field changes in one list, for those who may see
a case's history (AF, directie, bestuur). Reading it is logged like any dossier page."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.selectors.timeline import (
    TimelineCursor,
    case_timeline,
    kinds,
    timeline_people,
)
from audit.services import access_log
from cases import permissions
from cases.forms.timeline import TimelineFilterForm

PAGE_SIZE = 50


@require_GET
@never_cache
def case_timeline_view(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, "view_history")
    access_log(user=request.user, what="case.timeline", case=case)
    form = TimelineFilterForm(request.GET or None, kinds=kinds(),
                              people=timeline_people(case_id=case.pk,
                                                     student_id=case.student_id))
    selected_kinds, person_id = form.selection()
    page = case_timeline(case_id=case.pk, student_id=case.student_id,
                         school_id=case.school_id,
                         cursor=TimelineCursor.decode(request.GET.get("na")),
                         size=PAGE_SIZE, selected_kinds=selected_kinds, person_id=person_id)
    query = request.GET.copy()
    query.pop("na", None)
    return render(request, "cases/timeline/timeline.html", {
        "case": case, "form": form, "page": page, "query": query.urlencode(),
    })
