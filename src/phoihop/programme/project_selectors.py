"""Read-side questions about key projects: the opinion linked to a project."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from phoihop.programme.models import (
    KeyProject,
    ProjectLink,
)


@dataclass
class ProjectOpinion:
    total: int
    signals: int
    issues: int
    by_month: list[tuple[str, int]]
    by_field: list[tuple[str, int]]
    by_place: list[tuple[str, int]]


def project_opinion(*, project: KeyProject) -> ProjectOpinion:
    """What was said about a project: linked signals and issues counted per month, by field
    (of the issue) and by place."""
    links = ProjectLink.objects.filter(project=project, removed=False).select_related(
        "signal__place", "signal__issue__field", "issue__field", "issue__place"
    )
    months: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    places: Counter[str] = Counter()
    signals = issues = 0
    for link in links.iterator(chunk_size=500):
        if link.signal is not None:
            signals += 1
            when = link.signal.occurred_at or link.signal.received_at
            months[timezone.localtime(when).strftime("%m/%Y")] += 1
            if link.signal.place is not None:
                places[link.signal.place.name] += 1
            if link.signal.issue is not None and link.signal.issue.field is not None:
                fields[link.signal.issue.field.name] += 1
        elif link.issue is not None:
            issues += 1
            months[link.issue.received_on.strftime("%m/%Y")] += 1
            if link.issue.field is not None:
                fields[link.issue.field.name] += 1
            if link.issue.place is not None:
                places[link.issue.place.name] += 1
    by_month = sorted(months.items(), key=lambda kv: (kv[0][3:], kv[0][:2]))
    return ProjectOpinion(
        total=signals + issues,
        signals=signals,
        issues=issues,
        by_month=by_month,
        by_field=fields.most_common(5),
        by_place=places.most_common(5),
    )
