"""Every write of notifications: the staff bell, the outbox and its sending, the daily
digest, the citizen's acknowledgement and answer, the «đã được giải quyết chưa?» click and
the Zalo OA webhook.

The outbox: each message is a `Delivery` row written in the transaction of the event that
caused it (unique by key: never queued twice); a background task (`tasks.deliver`) claims
due rows in batches, sends them over one connection per channel and records each result as
soon as it is known. A claim older than the lease is taken over, so a worker killed mid-batch
loses nothing; failures are retried with a growing delay, then marked failed (admin page).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from phoihop.cases import services as cases_services
from phoihop.cases.models import Assignment, Issue, ResolutionFeedback, Response
from phoihop.core import audit, policy
from phoihop.core.models import User
from phoihop.intake.models import Signal
from phoihop.intake.records import FEEDBACK_SOURCE, Record
from phoihop.intake.services import signal_record
from phoihop.notifications import channels, recipients
from phoihop.notifications.models import Delivery, Notification, Preference
from phoihop.programme.models import KeyProject

K = Notification.Kind
D = Delivery.Status
C = Delivery.Channel

# ---- the staff bell ------------------------------------------------------------------


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
    return f"{issue.code} «{issue.short_title or issue.title[:80]}»"


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


def mark_read(*, user: User, ids: Sequence[int] | None = None) -> int:
    """Mark the user's notifications read (these ids, or all); how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preference_set(*, user: User, daily_digest: bool) -> Preference:
    if daily_digest and not user.email:
        raise ValidationError(
            {"daily_digest": _("Tài khoản chưa có địa chỉ thư điện tử để nhận thư tổng hợp.")}
        )
    preference, _created = Preference.objects.get_or_create(user=user)
    preference.daily_digest = daily_digest
    preference.save(update_fields=["daily_digest"])
    return preference


# ---- the outbox ----------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    channel: str
    recipient: str
    purpose: str
    subject: str
    text: str
    key: str
    html: str = ""
    about: str = ""


def queue(messages: Sequence[Outgoing]) -> int:
    """Put messages in the outbox (a key already there is left alone) and have them sent
    once the transaction commits. Messages on an unconfigured channel are recorded as
    skipped: nothing is sent. How many were new."""
    if not messages:
        return 0
    now = timezone.now()
    configured = {
        name: channels.channel(name).configured() for name in {m.channel for m in messages}
    }
    keys = [m.key for m in messages]
    known = set(Delivery.objects.filter(key__in=keys).values_list("key", flat=True))
    rows = [
        Delivery(
            channel=m.channel,
            recipient=m.recipient,
            purpose=m.purpose,
            subject=m.subject[:300],
            text=m.text,
            html=m.html,
            about=m.about[:100],
            key=m.key[:200],
            status=D.QUEUED if configured[m.channel] else D.SKIPPED,
            due_at=now,
        )
        for m in messages
        if m.key not in known
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    if any(r.status == D.QUEUED for r in rows):
        kick()
    return len(rows)


# tasks.py imports this module (its tasks call these services), so the sending task is
# looked up by its path when it is first needed.
DELIVER_TASK = "phoihop.notifications.tasks.deliver"


def kick(*, at: dt.datetime | None = None) -> None:
    """Have a worker drain the outbox (now, or not before `at`) once this transaction commits."""

    def enqueue() -> None:
        task = import_string(DELIVER_TASK)
        if at is not None and task.get_backend().supports_defer:
            task = task.using(run_after=at)
        task.enqueue()

    transaction.on_commit(enqueue)


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.PHOIHOP_NOTIFY_LEASE_SECONDS)


def _rate() -> tuple[int, dt.timedelta]:
    return settings.PHOIHOP_NOTIFY_RATE_COUNT, dt.timedelta(
        seconds=settings.PHOIHOP_NOTIFY_RATE_SECONDS
    )


def _claim(*, limit: int, now: dt.datetime) -> list[Delivery]:
    """Take up to `limit` due deliveries for this worker (and those whose claim outlived the
    lease), leaving a recipient's messages beyond the rate limit for later."""
    waiting = Q(status=D.QUEUED, due_at__lte=now) | Q(
        status=D.SENDING, claimed_at__lt=now - lease()
    )
    with transaction.atomic():
        rows = Delivery.objects.filter(waiting).order_by("due_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        batch = list(rows[:limit])
        if not batch:
            return []
        allowed, window = _rate()
        since = now - window
        recent = dict(
            Delivery.objects.filter(
                recipient__in={d.recipient for d in batch}, status=D.SENT, sent_at__gte=since
            )
            .values_list("recipient")
            .annotate(n=Count("id"))
            .values_list("recipient", "n")
        )
        taken: list[Delivery] = []
        later: list[int] = []
        for delivery in batch:
            used = recent.get(delivery.recipient, 0)
            if used >= allowed:
                later.append(delivery.pk)
                continue
            recent[delivery.recipient] = used + 1
            taken.append(delivery)
        if later:
            Delivery.objects.filter(pk__in=later).update(
                status=D.QUEUED, due_at=now + window / allowed, claimed_at=None
            )
        Delivery.objects.filter(pk__in=[d.pk for d in taken]).update(
            status=D.SENDING, claimed_at=now
        )
        for d in taken:
            d.status, d.claimed_at = D.SENDING, now
    return taken


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=settings.PHOIHOP_NOTIFY_RETRY_SECONDS * 2 ** max(0, attempts - 1))


@dataclass
class Drained:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    claimed: int = 0


def deliver_due(*, limit: int = 200, now: dt.datetime | None = None) -> Drained:
    """Send one batch of due deliveries over `PHOIHOP_NOTIFY_CONNECTIONS` connections per
    channel (threads of this worker; the server's replies are waited for in parallel)."""
    now = now or timezone.now()
    batch = _claim(limit=limit, now=now)
    result = Drained(claimed=len(batch))
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in batch:
        by_channel[delivery.channel].append(delivery)
    width = max(1, settings.PHOIHOP_NOTIFY_CONNECTIONS)
    slices = [
        (name, deliveries[i::width])
        for name, deliveries in by_channel.items()
        for i in range(min(width, len(deliveries)))
    ]
    if len(slices) <= 1 or width == 1:
        parts = [_send_slice(name, deliveries) for name, deliveries in slices]
    else:
        with ThreadPoolExecutor(max_workers=len(slices)) as pool:
            parts = list(pool.map(lambda pair: _send_in_thread(*pair), slices))
    for part in parts:
        result.sent += part.sent
        result.failed += part.failed
        result.retrying += part.retrying
    return result


def _send_in_thread(name: str, deliveries: list[Delivery]) -> Drained:
    try:
        return _send_slice(name, deliveries)
    finally:
        connection.close()  # this thread's own database connection


# Results are written in small groups (one commit each): a worker killed between a send and
# its group's commit sends those few again when their claim is taken over (at least once).
SENT_GROUP = 20


def _send_slice(name: str, deliveries: list[Delivery]) -> Drained:
    result = Drained()
    channel = channels.channel(name)
    try:
        channel.open()
    except channels.SendError as exc:
        for delivery in deliveries:
            _failed(delivery, exc, result)
        return result
    sent: list[tuple[Delivery, str, dt.datetime]] = []
    try:
        for delivery in deliveries:
            message = channels.Message(
                to=delivery.recipient,
                subject=delivery.subject,
                text=delivery.text,
                html=delivery.html,
                key=f"phoihop-{delivery.pk}",
            )
            try:
                provider_id = channel.send(message)
            except channels.SendError as exc:
                _failed(delivery, exc, result)
                continue
            sent.append((delivery, provider_id, timezone.now()))
            result.sent += 1
            if len(sent) >= SENT_GROUP:
                _mark_sent(sent)
                sent = []
    finally:
        channel.close()
        _mark_sent(sent)
    return result


def _mark_sent(sent: list[tuple[Delivery, str, dt.datetime]]) -> None:
    if not sent:
        return
    with transaction.atomic():
        for delivery, provider_id, at in sent:
            Delivery.objects.filter(pk=delivery.pk, claimed_at=delivery.claimed_at).update(
                status=D.SENT,
                sent_at=at,
                provider_id=provider_id[:200],
                attempts=delivery.attempts + 1,
                last_error="",
            )


def _failed(delivery: Delivery, exc: channels.SendError, result: Drained) -> None:
    attempts = delivery.attempts + 1
    final = exc.permanent or attempts >= settings.PHOIHOP_NOTIFY_MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk, claimed_at=delivery.claimed_at).update(
        status=D.FAILED if final else D.QUEUED,
        attempts=attempts,
        last_error=str(exc)[:2000],
        due_at=timezone.now() + _backoff(attempts),
        claimed_at=None,
    )
    if final:
        result.failed += 1
    else:
        result.retrying += 1


def next_due() -> dt.datetime | None:
    """When the outbox next has something to send (None: nothing waiting)."""
    queued = (
        Delivery.objects.filter(status=D.QUEUED)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    claimed = (
        Delivery.objects.filter(status=D.SENDING)
        .order_by("claimed_at")
        .values_list("claimed_at", flat=True)
        .first()
    )
    moments = [m for m in (queued, claimed + lease() if claimed else None) if m is not None]
    return min(moments) if moments else None


@transaction.atomic
@transaction.atomic
def delivery_retry(*, delivery: Delivery, by: User) -> Delivery:
    """An administrator sends a failed message again (audited: recipients are citizens)."""
    if not policy.is_administrator(by):
        raise PermissionDenied(_("Chỉ quản trị viên được gửi lại thư, tin nhắn."))
    if delivery.status != D.FAILED:
        raise ValidationError(_("Chỉ gửi lại được thư, tin nhắn gửi lỗi."))
    delivery.status = D.QUEUED
    delivery.due_at = timezone.now()
    delivery.attempts = 0
    delivery.save(update_fields=["status", "due_at", "attempts"])
    audit.record(actor=by, action="notification.retry", target=delivery, channel=delivery.channel)
    transaction.on_commit(kick)
    return delivery


# ---- the daily digest ----------------------------------------------------------------


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Queue the daily digest of each person who opted in and has unread notifications
    since the last one. Run at 07:00 Asia/Ho_Chi_Minh; once per person per day."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    queued = 0
    preferences = Preference.objects.filter(daily_digest=True, user__is_active=True).exclude(
        user__email=""
    )
    for preference in preferences.select_related("user"):
        with transaction.atomic():
            since = preference.last_digest_at or now - dt.timedelta(days=1)
            items = list(
                Notification.objects.filter(
                    user=preference.user, read_at__isnull=True, created_at__gt=since
                ).order_by("created_at")[:100]
            )
            preference.last_digest_at = now
            preference.save(update_fields=["last_digest_at"])
            if not items:
                continue
            context = {
                "user": preference.user,
                "items": items,
                "day": today,
                "base": settings.PHOIHOP_PUBLIC_URL.rstrip("/"),
            }
            queued += queue(
                [
                    Outgoing(
                        channel=C.EMAIL,
                        recipient=preference.user.email,
                        purpose=Delivery.Purpose.DIGEST,
                        subject=_("phoihop: %(n)s thông báo mới ngày %(day)s")
                        % {"n": len(items), "day": today.strftime("%d/%m/%Y")},
                        text=render_to_string("notifications/email/digest.txt", context),
                        html=render_to_string("notifications/email/digest.html", context),
                        key=f"digest:{preference.user_id}:{today.isoformat()}",
                        about=preference.user.username,
                    )
                ]
            )
    return queued


# ---- citizens --------------------------------------------------------------------------

PHONE = re.compile(r"^(?:\+?84|0)(\d{9})$")


def citizen_address(signal: Signal) -> tuple[str, str] | None:
    """(channel, address) to reach the citizen behind a signal: the Zalo user who wrote to
    the OA, else the e-mail or phone (by SMS) they left; None when there is none."""
    metadata = signal.metadata or {}
    if metadata.get("zalo_user_id"):
        return C.ZALO, str(metadata["zalo_user_id"])
    contact = str(metadata.get("contact") or "").strip()
    if not contact:
        return None
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            return None
        return C.EMAIL, contact
    match = PHONE.match(re.sub(r"[\s.\-()]", "", contact))
    if match:
        return C.SMS, "0" + match.group(1)
    return None


def lookup_url(code: str) -> str:
    return f"{settings.PHOIHOP_PUBLIC_URL.rstrip('/')}{reverse('portal:lookup')}?ma={code}"


FEEDBACK_SALT = "phoihop.notifications.feedback"


def feedback_token(*, tracking_code: str, issue_id: int) -> str:
    return signing.dumps({"c": tracking_code, "i": issue_id}, salt=FEEDBACK_SALT, compress=True)


def feedback_url(*, tracking_code: str, issue_id: int, resolved: bool | None = None) -> str:
    token = feedback_token(tracking_code=tracking_code, issue_id=issue_id)
    url = settings.PHOIHOP_PUBLIC_URL.rstrip("/") + reverse(
        "notifications:resolution", args=[token]
    )
    if resolved is not None:
        url += "?tra-loi=" + ("co" if resolved else "chua")
    return url


def _citizen_message(
    *, signal: Signal, purpose: str, template: str, subject: str, key: str, extra: dict[str, Any]
) -> Outgoing | None:
    address = citizen_address(signal)
    if address is None or not signal.tracking_code:
        return None
    channel, recipient = address
    context = {
        "code": signal.tracking_code,
        "lookup": lookup_url(signal.tracking_code),
        "received": timezone.localtime(signal.received_at).date(),
        **extra,
    }
    short = channel != C.EMAIL
    text = render_to_string(
        f"notifications/citizen/{template}.{'sms' if short else 'txt'}", context
    )
    html = "" if short else render_to_string(f"notifications/citizen/{template}.html", context)
    return Outgoing(
        channel=channel,
        recipient=recipient,
        purpose=purpose,
        subject=subject,
        text=text.strip(),
        html=html,
        key=key,
        about=signal.tracking_code,
    )


def acknowledge_signals(signal_ids: Sequence[int]) -> int:
    """Tell each citizen whose feedback was just stored that it arrived, with its tracking
    code and where to follow it. Called once the signals are committed."""
    messages: list[Outgoing] = []
    for start in range(0, len(signal_ids), 500):
        chunk = signal_ids[start : start + 500]
        for signal in Signal.objects.filter(pk__in=chunk, tracking_code__isnull=False):
            message = _citizen_message(
                signal=signal,
                purpose=Delivery.Purpose.ACKNOWLEDGEMENT,
                template="acknowledgement",
                subject=_("Đã tiếp nhận phản ánh của bạn — mã tra cứu %(code)s")
                % {"code": signal.tracking_code},
                key=f"ack:{signal.pk}",
                extra={},
            )
            if message:
                messages.append(message)
    with transaction.atomic():
        return queue(messages)


def announce_answer(*, issue: Issue) -> int:
    """Send the published answer to each citizen whose feedback belongs to the issue, with
    the «Vấn đề đã được giải quyết chưa?» links."""
    stamp = issue.answered_at.isoformat() if issue.answered_at else ""
    messages: list[Outgoing] = []
    for signal in Signal.objects.filter(issue=issue, tracking_code__isnull=False):
        assert signal.tracking_code is not None
        code = signal.tracking_code
        message = _citizen_message(
            signal=signal,
            purpose=Delivery.Purpose.ANSWER,
            template="answer",
            subject=_("Trả lời phản ánh mã %(code)s") % {"code": code},
            key=f"answer:{signal.pk}:{stamp}",
            extra={
                "issue": issue,
                "answer": issue.answer,
                "answered_on": timezone.localtime(issue.answered_at).date()
                if issue.answered_at
                else None,
                "yes": feedback_url(tracking_code=code, issue_id=issue.pk, resolved=True),
                "no": feedback_url(tracking_code=code, issue_id=issue.pk, resolved=False),
            },
        )
        if message:
            messages.append(message)
    return queue(messages)


# ---- closing the loop ------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackAsk:
    tracking_code: str
    issue: Issue
    token: str
    given: ResolutionFeedback | None  # the citizen's verdict on the current answer, if any

    @property
    def open(self) -> bool:
        return self.given is None and self.issue.state in cases_services.FEEDBACK_STATES


def feedback_read(*, token: str) -> FeedbackAsk | None:
    """The question a signed link asks, or None for a link that is not ours."""
    try:
        data = signing.loads(token, salt=FEEDBACK_SALT)
    except signing.BadSignature:
        return None
    signal = (
        Signal.objects.select_related("issue")
        .filter(tracking_code=data.get("c"), issue_id=data.get("i"))
        .first()
    )
    if signal is None or signal.issue is None or signal.tracking_code is None:
        return None
    return _ask(signal.tracking_code, signal.issue, token)


def _ask(code: str, issue: Issue, token: str) -> FeedbackAsk:
    given = (
        ResolutionFeedback.objects.filter(
            issue=issue, tracking_code=code, answered_at=issue.answered_at
        ).first()
        if issue.answered_at
        else None
    )
    return FeedbackAsk(code, issue, token, given)


def feedback_for_code(*, code: str) -> FeedbackAsk | None:
    """The question for the look-up page: only once the answer is public (published, or
    closed after publication) does the citizen judge it."""
    signal = (
        Signal.objects.select_related("issue")
        .filter(tracking_code=(code or "").strip().upper(), issue__isnull=False)
        .first()
    )
    if signal is None or signal.issue is None or signal.tracking_code is None:
        return None
    issue = signal.issue
    if not (
        issue.published_at and issue.answered_at and issue.visibility == Issue.Visibility.PUBLIC
    ):
        return None
    token = feedback_token(tracking_code=signal.tracking_code, issue_id=issue.pk)
    return _ask(signal.tracking_code, issue, token)


def feedback_give(*, token: str, resolved: bool, reason: str = "") -> ResolutionFeedback:
    """Record the citizen's click; «chưa» with a reason reopens the issue (cases service).
    The same link used again changes nothing."""
    ask = feedback_read(token=token)
    if ask is None:
        raise ValidationError(_("Liên kết đánh giá không hợp lệ hoặc đã bị sửa."))
    verdict, _created = cases_services.issue_feedback_record(
        issue=ask.issue, tracking_code=ask.tracking_code, resolved=resolved, reason=reason
    )
    return verdict


# ---- Zalo OA webhook -----------------------------------------------------------------


class WebhookRefused(Exception):
    pass


def zalo_inbound(*, body: bytes, signature: str) -> Signal | None:
    """A user's message to the OA, signed by Zalo: a text becomes a citizen feedback signal
    (once: Zalo retries), whose acknowledgement with the tracking code goes back on Zalo.
    Other events are accepted and ignored (None)."""
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise WebhookRefused("JSON") from exc
    if not isinstance(payload, dict) or not channels.zalo_signature_valid(
        body=body, header=signature, payload=payload
    ):
        raise WebhookRefused("signature")
    if payload.get("event_name") != "user_send_text":
        return None
    user_id = str((payload.get("sender") or {}).get("id") or "")
    message = payload.get("message") or {}
    text = str(message.get("text") or "").strip()
    if not user_id or not text:
        return None
    record = Record(
        # The intake service issues tracking codes to citizen feedback: a Zalo message is
        # feedback that came by Zalo (`via`), like the web form's `via: web`.
        channel=Signal.Channel.FEEDBACK,
        source=FEEDBACK_SOURCE,
        raw_text=text[:10000],
        key_text="\n".join([text, f"zalo:{user_id}"]),
        external_id=str(message.get("msg_id") or "")[:500],
        metadata={"via": "zalo", "zalo_user_id": user_id},
    )
    received = signal_record(record=record, by=None)
    return received.signal
