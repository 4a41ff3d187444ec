"""The two kinds of admin every app uses: `AuditedAdmin` for what administrators may edit
(each add, change and delete, inline rows included, writes an audit event in the admin's
own transaction) and `ReadOnlyAdmin` for records that change only through their app's
audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from phoihop.core import audit, policy
from phoihop.core.models import User

# Never copied into the audit log (a password hash is a secret even when salted).
SECRET_FIELDS = frozenset({"password"})


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def audited_values(obj: models.Model, fields: tuple[str, ...] = ()) -> dict[str, Any]:
    """The values of `fields` (default: every concrete field but the key and secrets, and the
    many-to-many fields as sorted key lists) for an audit event's before/after."""
    if fields:
        names = [f for f in fields if f not in SECRET_FIELDS]
    else:
        names = [
            f.name
            for f in obj._meta.concrete_fields
            if not f.primary_key and f.name not in SECRET_FIELDS
        ]
    values = audit.snapshot(obj, [n for n in names if not obj._meta.get_field(n).many_to_many])
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            if (not fields or field.name in fields) and field.name not in SECRET_FIELDS:
                values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def record_admin_event(
    request: HttpRequest,
    obj: models.Model,
    verb: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    **data: Any,
) -> None:
    """One audit event «<app>.<model>.<verb>» for an edit made in admin."""
    audit.record(
        actor=_actor(request),
        action=f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}",
        target=obj,
        before=before,
        after=after,
        via="admin",
        **data,
    )


class AuditedAdminMixin:
    """Add, change and delete in admin write audit events; mix in before a ModelAdmin."""

    # The fields recorded before and after; empty: every concrete and many-to-many field.
    audited_fields: tuple[str, ...] = ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk is not None:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = audited_values(old, self.audited_fields) if old is not None else None
        request._audit_before = before  # type: ignore[attr-defined]  # read in save_related
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        # Called after save_model and after the many-to-many fields and inlines are saved, in
        # the add, change and list-editable views alike: the "after" is complete here.
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        obj = form.instance
        before = getattr(request, "_audit_before", None)
        after = audited_values(obj, self.audited_fields)
        if change and before == after:
            return  # saved without a change (an untouched row of a list-editable page)
        record_admin_event(
            request,
            obj,
            "change" if change else "create",
            before=before,
            after=after,
            changed=sorted(k for k in after if (before or {}).get(k) != after[k]),
        )

    def save_formset(
        self, request: HttpRequest, form: ModelForm[Any], formset: BaseFormSet[Any], change: bool
    ) -> None:
        deleted = [
            (f.instance, audited_values(f.instance))
            for f in getattr(formset, "deleted_forms", [])
            if f.instance.pk is not None
        ]
        for instance, values in deleted:  # recorded while the row still has its key
            record_admin_event(
                request, instance, "delete", before=values, parent=str(form.instance)
            )
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        for instance in getattr(formset, "new_objects", []):
            record_admin_event(
                request,
                instance,
                "create",
                after=audited_values(instance),
                parent=str(form.instance),
            )
        for instance, fields in getattr(formset, "changed_objects", []):
            record_admin_event(
                request,
                instance,
                "change",
                after=audited_values(instance),
                changed=sorted(fields),
                parent=str(form.instance),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_admin_event(request, obj, "delete", before=audited_values(obj, self.audited_fields))
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            record_admin_event(
                request, obj, "delete", before=audited_values(obj, self.audited_fields)
            )
        super().delete_queryset(request, queryset)  # type: ignore[misc]


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin[Any]):
    """An admin whose every edit is in the audit log."""


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Records that change only through their app's audited services: admin shows them and
    never adds, changes or deletes them."""

    # Coordinators may look too (records with nothing personal in them); otherwise the
    # model's view permission decides (administrators).
    coordinators_may_view = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        if self.coordinators_may_view:
            return policy.is_administrator(request.user) or policy.is_coordinator(request.user)
        return super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.coordinators_may_view:
            return self.has_module_permission(request)
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
