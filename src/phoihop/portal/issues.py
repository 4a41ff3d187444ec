"""Public issues on the portal (cases.public decides what is public): the list of those
being handled and one issue by its code."""

from __future__ import annotations

from django.db.models import QuerySet

from phoihop.cases import deadlines, public
from phoihop.cases.models import Issue
from phoihop.cases.selectors import publicly_answered_filter


def public_issues(*, open_only: bool = False) -> QuerySet[Issue]:
    issues = public.public_issues()
    return issues.filter(state__in=deadlines.OPEN_STATES) if open_only else issues


def public_issue(*, code: str) -> Issue | None:
    return public.public_issues().filter(code=code).first()


def public_issue_pages() -> QuerySet[Issue]:
    """Public issues read on their own page (/van-de/<code>/): those whose answer is not
    on the portal (an answered one redirects to its answer, listed as such)."""
    return public.public_issues().exclude(publicly_answered_filter())
