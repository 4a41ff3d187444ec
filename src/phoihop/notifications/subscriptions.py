"""Notifications listens to the hooks the lower layers own (cases, intake, programme,
factcheck, portal)."""

from __future__ import annotations

from typing import Any

from phoihop.cases import hooks as cases_hooks
from phoihop.factcheck import hooks as factcheck_hooks
from phoihop.intake import hooks as intake_hooks
from phoihop.notifications import services
from phoihop.portal import hooks as portal_hooks
from phoihop.programme import hooks as programme_hooks


def connect() -> None:
    """Subscribe once (ready() may run more than once in tests)."""
    pairs: list[tuple[list[Any], Any]] = [
        (cases_hooks.assignment_created, services.on_assignment_created),
        (cases_hooks.assignment_returned, services.on_assignment_returned),
        (cases_hooks.answer_awaiting_approval, services.on_answer_awaiting_approval),
        (cases_hooks.issue_answered, services.on_issue_answered),
        (cases_hooks.issue_published, services.on_issue_published),
        (cases_hooks.assignment_due_soon, services.on_assignment_due_soon),
        (cases_hooks.assignment_overdue, services.on_assignment_overdue),
        (cases_hooks.issue_reopened, services.on_issue_reopened),
        (cases_hooks.extension_requested, services.on_extension_requested),
        (cases_hooks.extension_decided, services.on_extension_decided),
        (intake_hooks.signals_stored, services.acknowledge_signals),
        (programme_hooks.project_mentioned, services.on_project_mentioned),
        (programme_hooks.progress_requested, services.on_progress_requested),
        (
            factcheck_hooks.rebuttal_awaiting_confirmation,
            services.on_rebuttal_awaiting_confirmation,
        ),
        (portal_hooks.article_submitted, services.on_article_submitted),
        (portal_hooks.article_published, services.on_article_published),
        (portal_hooks.article_sent_back, services.on_article_sent_back),
        (portal_hooks.article_withdrawn, services.on_article_withdrawn),
    ]
    for hooks, handler in pairs:
        if handler not in hooks:
            hooks.append(handler)
