"""Hooks factcheck offers to the apps above it (example 13 of STYLE.md): typed lists of
callables, called inside the transaction of the change."""

from __future__ import annotations

from collections.abc import Callable

from phoihop.factcheck.models import Rebuttal

# A confirmed rebuttal is being published: the portal publishes its article and returns the
# article's public address (or None when it published nothing). An error rolls the
# publication back, so a rebuttal is never "published" without its public page.
rebuttal_published: list[Callable[[Rebuttal], str | None]] = []

# A drafted (or rewritten) rebuttal now waits for a leader of its confirming agency to sign
# the facts off. Called once per round: not again when the department edits a draft that is
# still waiting with the same agency, again after a return or a confirmation (the rewrite
# asks for it anew) and when the draft names another agency.
rebuttal_awaiting_confirmation: list[Callable[[Rebuttal], None]] = []
