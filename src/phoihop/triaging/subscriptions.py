"""What the triage app listens to: intake's "signals stored", cases' issue hooks; and what
it adds: its queue to «Việc của tôi» and its panel to the signal page."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from phoihop.cases import hooks as cases_hooks
from phoihop.cases.models import Issue
from phoihop.core import inbox
from phoihop.intake import hooks as intake_hooks
from phoihop.triaging import selectors, services, tasks


def _queue_triage(signal_ids: list[int]) -> None:
    tasks.triage_signals.enqueue(signal_ids)


def _wake_worker() -> None:
    transaction.on_commit(tasks.apply_journal.enqueue)


def _merged(kept: Issue, absorbed: Issue) -> None:
    services.on_issue_merged(kept, absorbed)
    _wake_worker()


def _split(issue: Issue, new: Issue, ids: list[int]) -> None:
    services.on_issue_split(issue, new, ids)
    _wake_worker()


def _add_once(hooks: list[Any], fn: Any) -> None:
    if fn not in hooks:
        hooks.append(fn)


def connect() -> None:
    """Subscribe once (AppConfig.ready may run more than once in tests)."""
    _add_once(intake_hooks.signals_stored, _queue_triage)
    _add_once(intake_hooks.signal_panels, selectors.signal_panel)
    _add_once(cases_hooks.issue_created, services.on_issue_created)
    _add_once(cases_hooks.issue_merged, _merged)
    _add_once(cases_hooks.issue_split, _split)
    _add_once(services.decided, _wake_worker)
    inbox.register(selectors.inbox_items)
