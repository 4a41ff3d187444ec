"""Public issues: the list of those being handled and one issue's page (received on, due
by with its legal basis, status, overdue)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from phoihop.cases import public
from phoihop.portal import issues


@require_GET
def public_issue_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(issues.public_issues(open_only=True), 20).get_page(request.GET.get("trang"))
    rows = [public.public_due(i) for i in page.object_list]
    return render(request, "portal/public_issues.html", {"page": page, "rows": rows})


@require_GET
def public_issue(request: HttpRequest, code: str) -> HttpResponse:
    issue = issues.public_issue(code=code[:20])
    if issue is None:
        raise Http404
    if issue.state in (issue.State.PUBLISHED, issue.State.CLOSED) and issue.published_at:
        return redirect("portal:answer", pk=issue.pk)
    return render(
        request, "portal/public_issue.html", {"issue": issue, "due": public.public_due(issue)}
    )
