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

# Said where an administrator looks for «Xóa»: history-bearing records are never deleted.
NO_DELETE_USER = _(
    "Người dùng không bị xóa (để giữ vai trò và lịch sử thao tác). Khi người này thôi công tác, "
    "bỏ chọn mục này để khóa tài khoản."
)
NO_DELETE_AGENCY = _(
    "Cơ quan không bị xóa (để giữ lịch sử: chương trình đã ký, việc đã giao, báo cáo). Khi sáp "
    "nhập hoặc đổi tên, chọn cơ quan kế nhiệm ở đây rồi dùng thao tác «Sáp nhập / đổi tên» "
    "trong danh sách: cơ quan cũ được chuyển sang ngừng hoạt động."
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

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A person's roles, clearances and trail stay: an account is locked, never deleted.
        return False

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["help_texts"] = {**kwargs.get("help_texts", {}), "is_active": NO_DELETE_USER}
        return super().get_form(request, obj, change=change, **kwargs)

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

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting would cascade away history (a signed programme's parties): never offered,
        # and without the permission admin drops «Xóa» and the «delete_selected» action too.
        return False

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["help_texts"] = {**kwargs.get("help_texts", {}), "successor": NO_DELETE_AGENCY}
        return super().get_form(request, obj, change, **kwargs)

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
