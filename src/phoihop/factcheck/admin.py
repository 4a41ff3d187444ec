"""Claims and rebuttals in admin, read-only: their changes go through the audited workflow."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from phoihop.core import policy
from phoihop.factcheck.models import Claim, Rebuttal


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.is_administrator(request.user) or policy.is_coordinator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ("summary", "first_seen_on", "risk", "status", "competent_agency")
    list_filter = ("status", "risk")
    search_fields = ("summary", "search_text")


@admin.register(Rebuttal)
class RebuttalAdmin(ReadOnlyAdmin):
    list_display = ("title", "state", "rating", "published_at")
