"""Issues in admin: the list an administrator sees is the one the policy lets them see."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from phoihop.cases.models import Assignment, Issue
from phoihop.cases.permissions import visible_issues_filter
from phoihop.cases.regime_models import DeadlineExtension, DeadlineRegime, RegimeRule
from phoihop.core import policy
from phoihop.core.admin_base import ReadOnlyAdmin


class AssignmentInline(admin.TabularInline[Assignment, Issue]):
    model = Assignment
    extra = 0
    fields = ("agency_name", "role", "state", "deadline", "completed_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    """Read-only in admin: changes go through the workspace so they follow the workflow."""

    list_display = ("code", "title", "state", "visibility", "urgency", "received_on")
    list_filter = ("state", "visibility", "urgency", "field")
    search_fields = ("code", "title", "search_text")
    inlines = [AssignmentInline]
    exclude = ("cleared_users",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(visible_issues_filter(request.user))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Issue._meta.fields]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None:
            return policy.can(request.user, "cases.issue_view", obj)
        return policy.is_administrator(request.user) or policy.is_coordinator(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)


class RegimeRuleInline(admin.TabularInline[RegimeRule, DeadlineRegime]):
    model = RegimeRule
    extra = 0
    fields = ("step", "days", "unit", "max_times", "legal_basis")


@admin.register(DeadlineRegime)
class DeadlineRegimeAdmin(admin.ModelAdmin[DeadlineRegime]):
    """The legal deadline regimes: their rules and legal basis are configured here."""

    list_display = ("name", "kind", "legal_basis", "is_active")
    inlines = [RegimeRuleInline]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(admin.ModelAdmin[DeadlineExtension]):
    """Extensions are asked and decided in the workspace (audited); admin only reads them."""

    list_display = ("issue", "days", "unit", "state", "requested_by", "decided_by", "decided_at")
    list_filter = ("state",)
    readonly_fields = (
        "issue",
        "days",
        "unit",
        "legal_basis",
        "reason",
        "state",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
