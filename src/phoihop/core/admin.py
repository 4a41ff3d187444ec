"""Admin for configuration: agencies, people, fields and routing, calendar, deadlines, audit.
Every edit made here writes an audit event (`core.admin_base.AuditedAdmin`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from phoihop.core import policy, services
from phoihop.core.admin_base import (
    AuditedAdmin,
    AuditedAdminMixin,
    ReadOnlyAdmin,
    record_admin_event,
)
from phoihop.core.library_admin import register_in_vietnamese
from phoihop.core.models import (
    AdministrativeUnit,
    Agency,
    AuditEvent,
    CalendarException,
    DeadlineRule,
    Field,
    Membership,
    RoutingEntry,
    User,
)


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin[User]):
    inlines = [MembershipInline]
    list_display = ("username", "full_name", "email", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Thông tin công tác"), {"fields": ("full_name", "position", "phone")}),
    )

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        # The password form saves the user itself, past save_model: audit it here.
        match = request.resolver_match
        if match is not None and (match.url_name or "").endswith("_password_change"):
            record_admin_event(request, obj, "password")
        return super().log_change(request, obj, message)


@admin.action(description=_("Sáp nhập / đổi tên: chuyển việc đang mở sang cơ quan kế nhiệm"))
def merge_into_successor(
    modeladmin: admin.ModelAdmin[Agency], request: HttpRequest, queryset: QuerySet[Agency]
) -> None:
    for agency in queryset:
        if agency.successor is None:
            modeladmin.message_user(
                request, _("«%s» chưa có cơ quan kế nhiệm.") % agency.name, messages.ERROR
            )
            continue
        successor = agency.successor
        agency.successor = None  # agency_merge sets it again, with the move of open work
        try:
            services.agency_merge(agency=agency, into=successor, by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            modeladmin.message_user(request, "; ".join(error.messages), messages.ERROR)
        else:
            modeladmin.message_user(
                request,
                _("Đã chuyển việc của «%(a)s» sang «%(b)s».")
                % {"a": agency.name, "b": successor.name},
            )


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "short_name", "kind", "is_active", "successor")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code")
    autocomplete_fields = ["parent", "successor", "unit"]
    actions = [merge_into_successor]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Deactivation goes through the merge action so open work is never stranded.
        return ("is_active", "active_until") if obj is not None else ()


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(AuditedAdmin):
    list_display = ("name", "code", "level", "division_type", "parent")
    list_filter = ("level", "division_type")
    search_fields = ("name", "search_name", "code")


@admin.register(Field)
class FieldAdmin(AuditedAdmin):
    list_display = ("name", "code", "order", "is_active")
    search_fields = ("name", "code")


@admin.register(RoutingEntry)
class RoutingEntryAdmin(AuditedAdmin):
    list_display = ("field", "agency", "note")
    autocomplete_fields = ["agency"]


@admin.register(CalendarException)
class CalendarExceptionAdmin(AuditedAdmin):
    list_display = ("date", "is_working_day", "note")


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(AuditedAdmin):
    list_display = ("kind", "urgency", "working_days")
    list_editable = ("working_days",)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "agency", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__full_name", "agency__name")
    autocomplete_fields = ["user", "agency"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the log is append-only."""

    list_display = ("id", "at", "actor_name", "action", "target_repr")
    list_filter = ("action",)
    search_fields = ("target_repr", "actor_name", "scope")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Events of confidential issues stay hidden from anyone not cleared for the issue.
        events = super().get_queryset(request)
        return events.filter(policy.visible_audit_events_filter(request.user))


register_in_vietnamese(admin.site)
