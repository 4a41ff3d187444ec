"""Triage in the product: the worker runs the long-lived engine over new signals in batches
and stores proposals, clusters and audit records in bulk; staff accept or correct a
proposal or a whole cluster in one click. Decisions are written to the engine's journal in
the same transaction and applied to the engine in place by the worker. One module per
topic; this package re-exports the public names.

- `triage`: the worker's bulk path (`triage_signals`, `triage_pending`, `apply_journal`);
  its batch sizes (`BATCH`, `BACKLOG`, `ANALYZE_FROM`) are read there, so change them there
- `decisions`: staff decisions on proposals and clusters (`proposal_accept`,
  `proposal_correct`, `cluster_accept`, `cluster_split`)
- `journal`: the engine's journal (`journal`, labelled pairs), the `decided` hook, and the
  news from cases and factcheck (`on_issue_created/merged/split`, `claims_changed`)
"""

from phoihop.triaging.services.decisions import (
    cluster_accept,
    cluster_split,
    group_of,
    new_issue_title,
    proposal_accept,
    proposal_correct,
)
from phoihop.triaging.services.journal import (
    claims_changed,
    decided,
    issue_text,
    journal,
    on_issue_created,
    on_issue_merged,
    on_issue_split,
)
from phoihop.triaging.services.triage import apply_journal, triage_pending, triage_signals

__all__ = [
    "apply_journal",
    "claims_changed",
    "cluster_accept",
    "cluster_split",
    "decided",
    "group_of",
    "issue_text",
    "journal",
    "new_issue_title",
    "on_issue_created",
    "on_issue_merged",
    "on_issue_split",
    "proposal_accept",
    "proposal_correct",
    "triage_pending",
    "triage_signals",
]
