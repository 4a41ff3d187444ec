"""The programme in admin: reference data (resolutions, key projects) is edited here;
workflow records are read-only, because their changes go through the audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from phoihop.core import policy
from phoihop.core.admin_base import AuditedAdmin, ReadOnlyAdmin
from phoihop.programme.models import (
    CommendationProposal,
    ContentArea,
    ExemplaryModel,
    Guidance,
    KeyProject,
    NetworkMember,
    Programme,
    ProgressRequest,
    Resolution,
    Task,
)


class StaffAdmin(AuditedAdmin):
    """Reference data administrators edit (and coordinators read); every edit is audited."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.is_administrator(request.user) or policy.is_coordinator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.is_administrator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AreaInline(admin.TabularInline[ContentArea, Programme]):
    model = ContentArea
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(StaffAdmin):
    list_display = ("title", "signed_on")
    inlines = [AreaInline]
    filter_horizontal = ("parties",)


@admin.register(Resolution)
class ResolutionAdmin(StaffAdmin):
    list_display = ("number", "adopted_on", "title")
    search_fields = ("number", "title")


@admin.register(KeyProject)
class KeyProjectAdmin(StaffAdmin):
    list_display = ("name", "owner_agency")
    filter_horizontal = ("places", "plan_agencies")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    coordinators_may_view = True
    list_display = ("code", "title", "lead_agency", "due_on", "status", "progress")
    list_filter = ("status", "plan")
    search_fields = ("code", "title")


@admin.register(Guidance)
class GuidanceAdmin(ReadOnlyAdmin):
    coordinators_may_view = True
    list_display = ("title", "state", "valid_from", "valid_until")


@admin.register(NetworkMember)
class NetworkMemberAdmin(ReadOnlyAdmin):
    coordinators_may_view = True
    list_display = ("user", "kind", "agency", "place", "is_active")
    list_filter = ("kind",)


@admin.register(ExemplaryModel)
class ExemplaryModelAdmin(ReadOnlyAdmin):
    coordinators_may_view = True
    list_display = ("name", "kind", "proposing_agency")


@admin.register(CommendationProposal)
class CommendationProposalAdmin(ReadOnlyAdmin):
    coordinators_may_view = True
    list_display = ("nominee", "form", "year", "state")
    list_filter = ("state", "year")


@admin.register(ProgressRequest)
class ProgressRequestAdmin(ReadOnlyAdmin):
    coordinators_may_view = True
    list_display = ("label", "plan", "first_day", "last_day", "due_on", "created_by")
    list_filter = ("plan",)
