"""Hooks factcheck offers to the apps above it (example 13 of STYLE.md): typed lists of
callables, called inside the transaction of the change, or asked when a question needs
what the apps above know."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class PublishedRebuttal:
    """A published rebuttal as a report names it: its own title and the claim it answers."""

    title: str
    claim: str  # the false claim it answers («» when the article does not say)
    published_at: dt.datetime


# Rebuttals published outside the registry, between two instants (the first included):
# the portal's rebuttal articles written straight on the portal. The registry's own,
# whose articles the portal publishes through `rebuttal_published`, are not among them.
rebuttals_published_elsewhere: list[
    Callable[[dt.datetime, dt.datetime], list[PublishedRebuttal]]
] = []
