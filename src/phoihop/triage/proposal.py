"""What the engine proposes for a signal, and the index-independent part it prepares first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .claims import ClaimMatch
from .classify import Prediction
from .features import Batch
from .grouping import GroupDecision
from .places import Place
from .routing import Route


@dataclass(frozen=True)
class ReliabilityRisk:
    """A flag for staff (never a verdict): probability that the text resembles fake news."""

    risk: float
    flag: bool
    label: str
    reason: str


@dataclass(frozen=True)
class Proposal:
    """Everything the engine proposes for one signal, with evidence for the staff UI."""

    signal_id: str | None
    text_hash: str
    normalized: str  # accented matching form (lower case, abbreviations expanded)
    channel: str
    at: datetime
    group: GroupDecision
    field: Prediction
    route: Route
    places: tuple[Place, ...]
    claims: tuple[ClaimMatch, ...]
    reliability: ReliabilityRisk | None
    issue_id: str | None = None  # the issue the signal was committed to (ingest only)


@dataclass
class Prepared:
    """The index-independent part of the proposals for a batch (``TriageEngine.prepare``)."""

    texts: list[str]
    batch: Batch
    fields: list[Prediction]
    places: list[tuple[Place, ...]]
    routes: list[Route]
    claims: list[tuple[ClaimMatch, ...]]
    risks: list[ReliabilityRisk | None]
