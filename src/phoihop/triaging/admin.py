"""Administrators read the field model's versions (training set, held-out scores) and the
clusters; both change only through the triage worker and staff decisions."""

from __future__ import annotations

from django.contrib import admin

from phoihop.intake.admin import ReadOnlyAdmin
from phoihop.triaging.models import Cluster, FieldModelVersion


@admin.register(FieldModelVersion)
class FieldModelVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "version",
        "created_at",
        "chosen",
        "adopted",
        "examples",
        "held_out",
        "lexicon_score",
        "current_score",
        "candidate_score",
        "reason",
    )


@admin.register(Cluster)
class ClusterAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "state", "size", "first_at", "last_at", "issue")
    list_filter = ("state",)
