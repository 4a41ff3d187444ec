"""Admin for intake: council sessions and voter-contact rounds (audited), read-only signals,
imports and feeds (they change only through intake's services)."""

from __future__ import annotations

from django.contrib import admin

from phoihop.core.admin_base import AuditedAdmin, ReadOnlyAdmin
from phoihop.intake.models import CouncilSession, FeedSource, ImportBatch, Signal, VoterContactRound


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


__all__ = ["AuditedAdmin", "ReadOnlyAdmin"]  # triaging.admin imports ReadOnlyAdmin from here
