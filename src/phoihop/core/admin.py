"""Admin for configuration: agencies, people, fields and routing, calendar, deadlines, audit.
Every edit made here writes an audit event (`core.admin_base.AuditedAdmin`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from phoihop.core import audit_labels, collation, policy, selectors, services
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
from phoihop.core.text import in_sentence

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


PERMISSION_VERBS = {"add": _("Thêm"), "change": _("Sửa"), "delete": _("Xóa"), "view": _("Xem")}


def permission_label(permission: Permission) -> str:
    """«Vấn đề và giao xử lý | vấn đề | Sửa vấn đề»: the names migrate stores are English
    («Can change …»); the standard four are named in Vietnamese here, others as stored."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    verb = permission.codename.partition("_")[0]
    name: Any = permission.name
    if verb in PERMISSION_VERBS and permission.codename == f"{verb}_{model._meta.model_name}":
        name = f"{PERMISSION_VERBS[verb]} {in_sentence(str(model._meta.verbose_name))}"
    return f"{model._meta.app_config.verbose_name} | {model._meta.verbose_name} | {name}"


def _permissions_in_vietnamese(field: Any, name: str) -> Any:
    """The permission picker of a user's or a group's form, each permission in Vietnamese."""
    if name in ("user_permissions", "permissions") and field is not None:
        field.label_from_instance = permission_label
    return field


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

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _permissions_in_vietnamese(field, db_field.name)

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


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, BaseGroupAdmin):
    """Django's group admin, its permission picker in Vietnamese and each edit audited."""

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _permissions_in_vietnamese(field, db_field.name)


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

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        # with or without diacritics, here and in every autocomplete of an agency
        return selectors.agencies_matching(queryset, search_term), False

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


class ActionFilter(admin.SimpleListFilter):
    """The log's actions by their Vietnamese names (the stored key stays the parameter)."""

    title = _("hành động")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        actions = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(
            ((action, audit_labels.label_of(action)) for action in actions),
            key=lambda pair: collation.sort_key(pair[1]),
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the log is append-only."""

    list_display = ("id", "at", "actor_display", "action_display", "target_repr")
    list_filter = (ActionFilter,)
    search_fields = ("target_repr", "actor_name", "scope")

    @admin.display(description=_("hành động"), ordering="action")
    def action_display(self, event: AuditEvent) -> str:
        return audit_labels.label_of(event.action)

    @admin.display(description=_("người thực hiện"), ordering="actor_name")
    def actor_display(self, event: AuditEvent) -> str:
        # no actor: a scheduled task or the system itself; a link's recipient names itself
        return event.actor_name or (event.data or {}).get("member") or str(_("Hệ thống"))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Events of confidential issues stay hidden from anyone not cleared for the issue.
        events = super().get_queryset(request)
        return events.filter(policy.visible_audit_events_filter(request.user))


register_in_vietnamese(admin.site)
