"""Hooks the triage app offers to the apps above it (factcheck): typed lists of callables,
called in the transaction that caused them."""

from __future__ import annotations

from collections.abc import Callable

from phoihop.intake.models import Signal
from phoihop.triage.claims import Claim

# A signal resembles a registered false claim: (signal, claim id, score).
claim_matched: list[Callable[[Signal, str, float], None]] = []

# Where the engine's claim registry comes from (factcheck registers its registry).
claim_source: list[Callable[[], list[Claim]]] = []
