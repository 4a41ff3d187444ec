"""Claims and rebuttals in admin, read-only: their changes go through the audited workflow."""

from __future__ import annotations

from django.contrib import admin

from phoihop.core.admin_base import ReadOnlyAdmin
from phoihop.factcheck.models import Claim, Rebuttal


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    coordinators_may_view = True
    list_display = ("summary", "first_seen_on", "risk", "status", "competent_agency")
    list_filter = ("status", "risk")
    search_fields = ("summary", "search_text")


@admin.register(Rebuttal)
class RebuttalAdmin(ReadOnlyAdmin):
    coordinators_may_view = True
    list_display = ("title", "state", "rating", "published_at")
