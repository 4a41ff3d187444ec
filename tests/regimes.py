"""The deadline regimes as the data migration seeds them (transactional tests flush them)."""

from __future__ import annotations

import importlib

from django.apps import apps

from phoihop.cases.models import DeadlineRegime

seed_migration = importlib.import_module("phoihop.cases.migrations.0008_regimes_seed")


def ensure_regimes() -> dict[str, DeadlineRegime]:
    seed_migration.seed(apps, None)
    return {r.code: r for r in DeadlineRegime.objects.all()}
