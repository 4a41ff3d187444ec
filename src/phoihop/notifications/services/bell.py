"""The staff bell: one notification per person for an event of the apps below (the cases,
programme, factcheck and portal hooks that `subscriptions` connects), and marking them read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases import deadlines
from phoihop.cases.models import Assignment, Issue, Response
from phoihop.cases.regime_models import DeadlineExtension
from phoihop.core.models import Agency, User
from phoihop.core.text import shorten
from phoihop.factcheck.models import Rebuttal
from phoihop.notifications import recipients
from phoihop.notifications.models import Notification
from phoihop.notifications.services.citizens import announce_answer
from phoihop.portal.models import Article
from phoihop.programme.models import KeyProject, ProgressRequest

K = Notification.Kind


def notify(*, users: Iterable[User], kind: str, text: str, url: str, key: str) -> int:
    """One notification per person for one event (again: nothing new). How many were new."""
    rows = [
        Notification(user=u, kind=kind, text=text[:500], url=url[:500], key=key[:200])
        for u in {u.pk: u for u in users}.values()
    ]
    if not rows:
        return 0
    before = Notification.objects.filter(key=key[:200]).count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.filter(key=key[:200]).count() - before


def _issue_url(issue: Issue) -> str:
    return reverse("cases:issue_detail", args=[issue.pk])


def _label(issue: Issue) -> str:
    return f"{issue.code} «{issue.short_title or shorten(issue.title, 80)}»"


def on_assignment_created(assignment: Assignment) -> None:
    issue = assignment.issue
    notify(
        users=recipients.assignment_handlers(assignment),
        kind=K.ASSIGNED,
        text=_("%(agency)s được giao %(role)s vấn đề %(issue)s, hạn %(deadline)s.")
        % {
            "agency": assignment.agency_name,
            "role": assignment.get_role_display().lower(),
            "issue": _label(issue),
            "deadline": assignment.deadline.strftime("%d/%m/%Y"),
        },
        url=_issue_url(issue),
        key=f"assigned:{assignment.pk}",
    )


def on_assignment_returned(assignment: Assignment) -> None:
    issue = assignment.issue
    notify(
        users=recipients.routers(issue),
        kind=K.RETURNED,
        text=_("%(agency)s trả lại vấn đề %(issue)s: %(reason)s")
        % {
            "agency": assignment.agency_name,
            "issue": _label(issue),
            "reason": assignment.return_reason,
        },
        url=_issue_url(issue),
        key=f"returned:{assignment.pk}",
    )


def on_answer_awaiting_approval(response: Response) -> None:
    issue = response.assignment.issue
    notify(
        users=[u for u in recipients.approvers(issue) if u.pk != response.author_id],
        kind=K.AWAITING_APPROVAL,
        text=_("Dự thảo trả lời vấn đề %(issue)s chờ lãnh đạo duyệt.") % {"issue": _label(issue)},
        url=_issue_url(issue),
        key=f"awaiting:{response.pk}",
    )


def on_issue_answered(issue: Issue) -> None:
    stamp = issue.answered_at.isoformat() if issue.answered_at else ""
    users = recipients.routers(issue) + recipients.involved(issue)
    notify(
        users=[u for u in users if u.pk != issue.answered_by_id],
        kind=K.ANSWERED,
        text=_("Vấn đề %(issue)s đã có trả lời chính thức.") % {"issue": _label(issue)},
        url=_issue_url(issue),
        key=f"answered:{issue.pk}:{stamp}",
    )


def on_issue_published(issue: Issue) -> None:
    stamp = issue.published_at.isoformat() if issue.published_at else ""
    notify(
        users=recipients.involved(issue),
        kind=K.PUBLISHED,
        text=_("Trả lời vấn đề %(issue)s đã đăng công khai.") % {"issue": _label(issue)},
        url=_issue_url(issue),
        key=f"published:{issue.pk}:{stamp}",
    )
    announce_answer(issue=issue)


def on_assignment_due_soon(assignment: Assignment) -> None:
    notify(
        users=recipients.assignment_handlers(assignment),
        kind=K.DUE_SOON,
        text=_("Vấn đề %(issue)s của %(agency)s sắp đến hạn (%(deadline)s).")
        % {
            "issue": _label(assignment.issue),
            "agency": assignment.agency_name,
            "deadline": assignment.deadline.strftime("%d/%m/%Y"),
        },
        url=_issue_url(assignment.issue),
        key=f"due_soon:{assignment.pk}:{assignment.deadline.isoformat()}",
    )


def on_assignment_overdue(assignment: Assignment) -> None:
    issue = assignment.issue
    notify(
        users=recipients.assignment_handlers(assignment) + recipients.routers(issue),
        kind=K.OVERDUE,
        text=_("Vấn đề %(issue)s của %(agency)s đã quá hạn %(deadline)s.")
        % {
            "issue": _label(issue),
            "agency": assignment.agency_name,
            "deadline": assignment.deadline.strftime("%d/%m/%Y"),
        },
        url=_issue_url(issue),
        key=f"overdue:{assignment.pk}:{assignment.deadline.isoformat()}",
    )


def on_extension_requested(extension: DeadlineExtension) -> None:
    issue = extension.issue
    notify(
        users=recipients.extension_deciders(extension),
        kind=K.EXTENSION_REQUESTED,
        text=_("%(person)s đề nghị gia hạn vấn đề %(issue)s thêm %(days)s %(unit)s, chờ duyệt.")
        % {
            "person": extension.requested_by,
            "issue": _label(issue),
            "days": extension.days,
            "unit": deadlines.unit_words(extension.unit),
        },
        url=_issue_url(issue) + "#h-legal-due",
        key=f"extension_requested:{extension.pk}",
    )


def on_extension_decided(extension: DeadlineExtension, due: dt.date | None) -> None:
    issue = extension.issue
    words = {
        "issue": _label(issue),
        "days": extension.days,
        "unit": deadlines.unit_words(extension.unit),
        "due": due.strftime("%d/%m/%Y") if due else "—",
    }
    if extension.state == DeadlineExtension.State.APPROVED:
        text = _(
            "Đề nghị gia hạn vấn đề %(issue)s thêm %(days)s %(unit)s đã được duyệt; "
            "hạn giải quyết mới là %(due)s."
        )
    else:
        text = _(
            "Đề nghị gia hạn vấn đề %(issue)s thêm %(days)s %(unit)s không được duyệt; "
            "hạn giải quyết vẫn là %(due)s."
        )
    notify(
        users=recipients.extension_requester(extension),
        kind=K.EXTENSION_DECIDED,
        text=text % words,
        url=_issue_url(issue) + "#h-legal-due",
        key=f"extension_decided:{extension.pk}",
    )


def on_issue_reopened(issue: Issue, lead: Assignment | None, reason: str) -> None:
    users = recipients.routers(issue) + (recipients.agency_leaders(lead) if lead else [])
    notify(
        users=users,
        kind=K.REOPENED,
        text=_("Người dân báo vấn đề %(issue)s chưa được giải quyết: %(reason)s")
        % {"issue": _label(issue), "reason": reason},
        url=_issue_url(issue),
        key=f"reopened:{issue.pk}:{timezone.now().isoformat()}",
    )


@transaction.atomic
def on_project_mentioned(project: KeyProject, created: int) -> None:
    """The owner agency hears once a day that new opinion mentions its key project."""
    notify(
        users=recipients.project_owners(project),
        kind=K.MENTIONED,
        text=_("Dự án trọng điểm «%(name)s» được nhắc đến trong %(n)s ý kiến, vấn đề mới.")
        % {"name": project.name[:120], "n": created},
        url=reverse("programme:project_detail", args=[project.pk]),
        key=f"mentioned:{project.pk}:{timezone.localdate():%Y-%m-%d}",
    )


def on_progress_requested(request: ProgressRequest, agencies: list[Agency]) -> None:
    """The agencies concerned are asked to report their progress for the period."""
    notify(
        users=recipients.progress_reporters(a.pk for a in agencies),
        kind=K.PROGRESS_REQUESTED,
        text=_(
            "Đề nghị báo cáo tiến độ thực hiện chương trình phối hợp %(label)s, "
            "hạn %(due)s; xem các nhiệm vụ cần báo cáo trong «Việc của tôi»."
        )
        % {"label": request.label, "due": request.due_on.strftime("%d/%m/%Y")},
        url=reverse("cases:inbox"),
        key=f"progress_requested:{request.pk}",
    )


def _article_url(article: Article) -> str:
    return reverse("portal:manage_detail", args=[article.pk])


def _article_key(event: str, article: Article) -> str:
    """One event per move: an article sent back and submitted again is news again."""
    return f"{event}:{article.pk}:{article.updated_at.isoformat()}"


def on_article_submitted(article: Article, by: User) -> None:
    """The portal's editors hear that an article waits for their approval."""
    notify(
        users=recipients.article_approvers(article),
        kind=K.ARTICLE_SUBMITTED,
        text=_("%(person)s gửi bài viết «%(title)s» (%(agency)s) chờ duyệt đăng.")
        % {"person": by, "title": shorten(article.title, 200), "agency": article.source_name},
        url=_article_url(article),
        key=_article_key("article_submitted", article),
    )


def on_article_published(article: Article, by: User) -> None:
    notify(
        users=recipients.article_author(article),
        kind=K.ARTICLE_PUBLISHED,
        text=_("Bài viết «%(title)s» đã được %(person)s duyệt và đăng lên cổng thông tin.")
        % {"title": shorten(article.title, 200), "person": by},
        url=_article_url(article),
        key=_article_key("article_published", article),
    )


def on_article_sent_back(article: Article, by: User) -> None:
    notify(
        users=recipients.article_author(article),
        kind=K.ARTICLE_SENT_BACK,
        text=_("Bài viết «%(title)s» bị %(person)s trả lại để sửa: %(reason)s")
        % {"title": shorten(article.title, 150), "person": by, "reason": article.review_note},
        url=_article_url(article),
        key=_article_key("article_sent_back", article),
    )


def on_article_withdrawn(article: Article, by: User) -> None:
    notify(
        users=recipients.article_author(article),
        kind=K.ARTICLE_WITHDRAWN,
        text=_("Bài viết «%(title)s» đã bị %(person)s gỡ khỏi cổng thông tin: %(reason)s")
        % {"title": shorten(article.title, 150), "person": by, "reason": article.review_note},
        url=_article_url(article),
        key=_article_key("article_withdrawn", article),
    )


def on_rebuttal_awaiting_confirmation(rebuttal: Rebuttal) -> None:
    """The confirming agency's leaders hear that a rebuttal's facts wait for their sign-off
    (once per round of drafting: the key is the draft's time)."""
    notify(
        users=recipients.rebuttal_confirmers(rebuttal),
        kind=K.REBUTTAL_TO_CONFIRM,
        text=_(
            "Bài phản bác «%(title)s» chờ lãnh đạo %(agency)s xác nhận thông tin trước khi đăng."
        )
        % {"title": shorten(rebuttal.title, 200), "agency": rebuttal.confirming_agency.name},
        url=reverse("factcheck:claim_detail", args=[rebuttal.claim_id]),
        key=f"rebuttal_to_confirm:{rebuttal.pk}:{rebuttal.drafted_at.isoformat()}",
    )


def mark_read(*, user: User, ids: Sequence[int] | None = None) -> int:
    """Mark the user's notifications read (these ids, or all); how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
