"""Template tags for an issue's public due date (look-up page, answer page)."""

from __future__ import annotations

from django import template

from phoihop.cases import public
from phoihop.cases.models import Issue
from phoihop.intake import selectors as intake_selectors

register = template.Library()


@register.simple_tag
def public_due_for(issue: Issue) -> public.PublicDue:
    return public.public_due(issue)


@register.simple_tag
def public_due_for_code(code: str) -> public.PublicDue | None:
    """The due date of the issue a citizen's feedback joined (their own tracking code)."""
    issue = intake_selectors.issue_for_tracking_code(code=code)
    return public.public_due(issue) if issue is not None else None


@register.filter
def redact(text: str) -> str:
    """Phone numbers and e-mail addresses hidden."""
    return public.redact(text)
