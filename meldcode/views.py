"""Dashboard and account views."""

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse_lazy

from audit.services import audit
from cases import selectors
from cases.selectors import overdue_task_count
from meldcode import permissions
from meldcode.models import MembershipStatus


def dashboard(request):
    """One start page; its blocks follow the user's roles."""
    user = request.user
    context = {
        "my_cases": selectors.my_cases(user)[:10] if permissions.can(user, "case.open") else [],
        "phase_counts": selectors.phase_counts(user) if permissions.can(user, "case.list")
        else [],
        "is_beheerder": permissions.can(user, "admin.manage"),
        "can_report": permissions.can(user, "case.open"),
        "overdue_tasks": overdue_task_count(user) if permissions.school_ids(user) else 0,
        "can_set_deadlines": permissions.can(user, "deadline_policy.manage"),
        "roles_to_confirm": permissions.awaiting_confirmation_by(user).count()
        if permissions.confirms_anything(user) else 0,
        # A role that waits for confirmation grants nothing yet; say so instead of an
        # empty page.
        "my_waiting_roles": permissions.with_confirmer(
            user.memberships.filter(status=MembershipStatus.PENDING)
        ).select_related("school", "board").order_by("pk"),
    }
    return render(request, "meldcode/dashboard.html", context)


class PasswordChange(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        audit("auth.password_changed", actor=self.request.user, subject=self.request.user)
        return response
