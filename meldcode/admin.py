"""The Django admin shows organisation records only; dossier models are never registered.

Superusers therefore have no route to pupil or case content through the admin.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from meldcode.models import Board, Membership, School, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class MeldcodeUserAdmin(UserAdmin):
    inlines = [MembershipInline]


admin.site.register(Board)
admin.site.register(School)
