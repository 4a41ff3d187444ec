"""The engine's journal, written in the caller's transaction for the worker to apply:
labelled pairs from staff decisions, and the news from the apps below and above (issues
created, merged, split; the false-claim registry changed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from phoihop.cases.models import Issue
from phoihop.core.models import User
from phoihop.intake.models import Signal
from phoihop.triaging import runtime
from phoihop.triaging.models import EngineEvent, GroupingFeedback

K = EngineEvent.Kind


# Called (inside the transaction) after each staff decision that wrote to the journal.
decided: list[Callable[[], None]] = []


def _decided() -> None:
    for hook in decided:
        hook()


def journal(event: str, **data: Any) -> EngineEvent:
    """Write one change for the worker's engine (inside the caller's transaction)."""
    return EngineEvent.objects.create(kind=event, data=data)


def issue_text(issue: Issue) -> str:
    """The wording that stands for an issue: its first signal, else its title and text."""
    first = issue.signals.order_by("id").values_list("text", flat=True).first()
    return first or f"{issue.title}. {issue.description}".strip(". ")


def _pair(a: str, b: str, *, same: bool, kind: str, by: User | None) -> EngineEvent:
    """A labelled pair from a staff decision; the worker scores it with its engine, keeps it
    as grouping feedback and re-tunes the thresholds."""
    return journal(K.PAIR, a=a, b=b, same=same, kind=kind, by=by.pk if by else None)


# ---- news from the apps below and above ------------------------------------------------------


def on_issue_created(issue: Issue) -> None:
    journal(K.ISSUE, issue=issue.pk, text=f"{issue.title}. {issue.description}".strip(". "))


def on_issue_merged(kept: Issue, absorbed: Issue) -> None:
    _pair(
        issue_text(absorbed), issue_text(kept), same=True, kind=GroupingFeedback.Kind.MERGE, by=None
    )
    journal(K.MERGE, target=runtime.issue_key(kept.pk), source=runtime.issue_key(absorbed.pk))


def on_issue_split(issue: Issue, new: Issue, signal_ids: list[int]) -> None:
    moving = Signal.objects.filter(pk__in=signal_ids).order_by("id").first()
    if moving is not None:
        staying = issue.signals.exclude(pk__in=signal_ids).order_by("id").first()
        _pair(
            moving.text,
            staying.text if staying else issue_text(issue),
            same=False,
            kind=GroupingFeedback.Kind.SPLIT,
            by=None,
        )
    journal(
        K.SPLIT,
        group=runtime.issue_key(issue.pk),
        signals=signal_ids,
        new=runtime.issue_key(new.pk),
    )


def claims_changed() -> None:
    """The false-claim registry changed (a claim registered, withdrawn, its rebuttal
    published): the worker reloads its registry from the registered source."""
    journal(K.CLAIMS)
    _decided()
