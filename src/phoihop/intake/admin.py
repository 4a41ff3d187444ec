"""Admin for intake: council sessions and voter-contact rounds (audited), read-only signals."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from phoihop.core import audit
from phoihop.core.models import User
from phoihop.intake.models import CouncilSession, FeedSource, ImportBatch, Signal, VoterContactRound


class AuditedAdmin(admin.ModelAdmin[Any]):
    """Saves go through the audit log, in the admin's own transaction."""

    audited_fields: tuple[str, ...] = ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change:
            old = type(obj).objects.get(pk=obj.pk)
            before = audit.snapshot(old, self.audited_fields)
        super().save_model(request, obj, form, change)
        actor = request.user if isinstance(request.user, User) else None
        audit.record(
            actor=actor,
            action=f"intake.{obj._meta.model_name}.{'change' if change else 'create'}",
            target=obj,
            before=before,
            after=audit.snapshot(obj, self.audited_fields),
        )


@admin.register(CouncilSession)
class CouncilSessionAdmin(AuditedAdmin):
    list_display = ("title", "term", "number", "opens_on")
    audited_fields = ("term", "number", "title", "opens_on")


@admin.register(VoterContactRound)
class VoterContactRoundAdmin(AuditedAdmin):
    list_display = ("name", "session", "created_at")
    list_filter = ("session",)
    search_fields = ("name",)
    audited_fields = ("name", "session")


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Signals and imports change only through intake's services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Signal)
class SignalAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "channel", "source", "received_at", "tracking_code")
    list_filter = ("channel",)
    search_fields = ("tracking_code", "external_id", "search_text")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "channel", "status", "new_count", "known_count", "created_at")
    list_filter = ("channel", "status")


@admin.register(FeedSource)
class FeedSourceAdmin(ReadOnlyAdmin):
    list_display = ("name", "url", "is_active", "last_polled_at", "last_new")
