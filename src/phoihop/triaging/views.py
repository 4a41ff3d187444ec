"""Staff pages of triage: a signal's proposal decision, and clusters decided once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phoihop.cases import selectors as cases_selectors
from phoihop.cases.models import Issue
from phoihop.core import policy
from phoihop.core.models import User
from phoihop.intake import selectors as intake_selectors
from phoihop.triaging import selectors, services
from phoihop.triaging.forms import DecisionForm, SplitForm, correction_form
from phoihop.triaging.models import TriageProposal


def _coordinator(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not policy.can(user, "triaging.proposal_decide"):
        raise PermissionDenied(_("Chỉ cán bộ điều phối được phân loại ý kiến."))
    return user


def _target_issue(user: User, code: str) -> Issue | None:
    if not (code or "").strip():
        return None
    target = cases_selectors.issue_by_code(user=user, code=code)
    if target is None:
        raise ValidationError(
            _("Không có vấn đề mã «%s» mà bạn được xem.")
            % cases_selectors.normalize_issue_code(code)
        )
    return target


def _joined(picked: Issue | None, issue: Issue) -> str:
    """What the coordinator reads after a decision: where the signals went, and why there
    when the issue picked had been merged into another."""
    if picked is not None and picked.pk != issue.pk:
        return _("Vấn đề %(a)s đã được gộp vào %(b)s: ý kiến được ghép vào %(b)s.") % {
            "a": picked.code,
            "b": issue.code,
        }
    return ""


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept the proposal of a signal in one click, or correct it."""
    user = request.user
    assert isinstance(user, User)
    signal = intake_selectors.signal_for(user=user, pk=pk)
    proposal = TriageProposal.objects.filter(signal=signal).first() if signal else None
    if signal is None or proposal is None or action not in ("chap-nhan", "sua"):
        raise Http404(_("Không tìm thấy đề xuất."))
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        data = form.cleaned_data
        target = None
        if action == "chap-nhan":
            issue = services.proposal_accept(
                proposal=proposal, by=user, visibility=data["visibility"] or None
            )
        else:
            target = _target_issue(user, data["issue_code"])
            issue = services.proposal_correct(
                proposal=proposal,
                by=user,
                issue=target,
                new_issue=bool(data["new_issue"]) and target is None,
                field=data["field"],
                agency=data["agency"],
                visibility=data["visibility"] or None,
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("intake:signal_detail", pk=signal.pk)
    messages.success(
        request, _joined(target, issue) or _("Đã ghép ý kiến vào vấn đề %s.") % issue.code
    )
    return redirect("intake:signal_detail", pk=signal.pk)


@login_required
@require_GET
def cluster_list(request: HttpRequest) -> HttpResponse:
    user = _coordinator(request)
    page = Paginator(selectors.open_clusters(user=user), 50).get_page(request.GET.get("trang"))
    rows = selectors.cluster_rows(clusters=page.object_list)
    return render(request, "triaging/cluster_list.html", {"page": page, "rows": rows})


@login_required
@require_GET
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _coordinator(request)
    cluster = selectors.cluster_for(user=user, pk=pk)
    if cluster is None:
        raise Http404(_("Không tìm thấy cụm ý kiến."))
    summary = selectors.cluster_summary(user=user, cluster=cluster)
    return render(
        request,
        "triaging/cluster_detail.html",
        {
            "summary": summary,
            "cluster": cluster,
            "title": services.new_issue_title(cluster.founder),
            # the pickers are written out in Python (core.pickers): Django's widget
            # templates cost more than the rest of the page
            "correction": correction_form(
                field_id=summary.lead.field_id if summary.lead else None,
                agency_id=summary.lead.agency_id if summary.lead else None,
            ),
            "visibilities": Issue.Visibility.choices,
        },
    )


@login_required
@require_POST
def cluster_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept a cluster as proposed, correct it, or split signals out of it."""
    user = _coordinator(request)
    cluster = selectors.cluster_for(user=user, pk=pk)
    if cluster is None or action not in ("chap-nhan", "sua", "tach"):
        raise Http404(_("Không tìm thấy cụm ý kiến."))
    try:
        if action == "tach":
            members = selectors.cluster_members(cluster=cluster)
            split = SplitForm(request.POST, choices=[(pk, "") for pk in members])
            if not split.is_valid():
                raise ValidationError(_("Chọn ít nhất một ý kiến để tách."))
            new = services.cluster_split(
                cluster=cluster, by=user, signal_ids=split.cleaned_data["signals"]
            )
            messages.success(request, _("Đã tách %(n)s ý kiến thành cụm mới.") % {"n": new.size})
            return redirect("triaging:cluster_detail", pk=cluster.pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        data = form.cleaned_data
        correcting = action == "sua"
        picked = _target_issue(user, data["issue_code"]) if correcting else None
        issue = services.cluster_accept(
            cluster=cluster,
            by=user,
            visibility=data["visibility"] or None,
            issue=picked,
            field=data["field"] if correcting else None,
            agency=data["agency"] if correcting else None,
            title=data["title"] or "",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("triaging:cluster_detail", pk=cluster.pk)
    # the coordinator goes on to the next cluster and may want to open this issue
    if note := _joined(picked if correcting else None, issue):
        messages.info(request, note)
    messages.success(
        request,
        format_html(
            _("Đã đưa {n} ý kiến vào vấn đề {link}."),
            n=cluster.size,
            link=format_html(
                '<a href="{}">{}</a>', reverse("cases:issue_detail", args=[issue.pk]), issue.code
            ),
        ),
    )
    # a coordinator works through the round: on to the next cluster waiting
    following = selectors.open_clusters(user=user).first()
    if following is not None:
        return redirect("triaging:cluster_detail", pk=following.pk)
    return redirect("cases:issue_detail", pk=issue.pk)
