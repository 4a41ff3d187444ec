"""Read-side questions about signals."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.cases import public as cases_public
from phoihop.cases.models import Issue
from phoihop.cases.selectors import is_publicly_answered
from phoihop.core import policy, search
from phoihop.core.policy import AnyUser
from phoihop.intake import permissions
from phoihop.intake.models import (
    Attachment,
    CouncilSession,
    FeedSource,
    ImportBatch,
    Signal,
    VoterContactRound,
)


@dataclass(frozen=True)
class TrackingStatus:
    """What a citizen may see about their feedback: never who handles it internally."""

    code: str
    received_on: dt.date
    status: str
    issue_code: str | None
    answer: str | None
    answered_on: dt.date | None
    public_issue_id: int | None  # set when the answer is published on the portal
    outcome: str = ""  # «Đang giải quyết»… with the published answer
    roadmap: str = ""  # while it is still being resolved


_NOT_CODE = re.compile(r"[^0-9A-Z]")
_TRACKING_CODE = re.compile(r"PA-[0-9A-Z]{4}-[0-9A-Z]{4}")


def normalize_tracking_code(code: str) -> str:
    """A tracking code as stored («PA-7UC5-BY34») however it was typed: lower case, without
    its hyphens, with spaces, dots or dashes between the groups, or without «PA». Anything
    that is not eight characters (with or without «PA») is only trimmed and upper-cased."""
    typed = unicodedata.normalize("NFKC", code or "").strip().upper()
    bare = _NOT_CODE.sub("", typed)
    if len(bare) == 10 and bare.startswith("PA"):
        bare = bare[2:]
    return f"PA-{bare[:4]}-{bare[4:]}" if len(bare) == 8 else typed


def tracking_status(*, code: str) -> TrackingStatus | None:
    """The status of the citizen feedback with this tracking code, or None."""
    code = normalize_tracking_code(code)
    if not code:
        return None
    signal = Signal.objects.select_related("issue").filter(tracking_code=code).first()
    if signal is None:
        return None
    issue = signal.issue
    received = timezone.localtime(signal.received_at).date()
    if issue is None:
        return TrackingStatus(
            code, received, _("Đã tiếp nhận, đang phân loại"), None, None, None, None
        )
    answered = issue.state in (Issue.State.ANSWERED, Issue.State.PUBLISHED, Issue.State.CLOSED)
    # The answer text is shown only once it is public; internal answers stay internal.
    public = is_publicly_answered(issue)
    if answered and not public and issue.state != Issue.State.ANSWERED:
        status = _("Đã xử lý xong; trả lời không đăng công khai, cơ quan sẽ thông báo trực tiếp")
    else:
        status = cases_public.status_label(issue)  # the wording of /van-de/ and the hints
    return TrackingStatus(
        code=code,
        received_on=received,
        status=status,
        issue_code=issue.code if public else None,
        answer=issue.answer if public else None,
        answered_on=timezone.localtime(issue.answered_at).date()
        if public and issue.answered_at
        else None,
        public_issue_id=issue.pk if public else None,
        outcome=issue.get_outcome_display() if public and issue.outcome else "",
        roadmap=issue.roadmap if public else "",
    )


# ---- staff lists ----------------------------------------------------------------------


@dataclass(frozen=True)
class SignalFilters:
    channel: str = ""
    q: str = ""
    place: int | None = None
    round: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    linked: str = ""  # "yes": attached to an issue, "no": not yet triaged


def signals_visible_to(*, user: AnyUser, filters: SignalFilters | None = None) -> QuerySet[Signal]:
    """The signals `user` may see, newest first, filtered."""
    filters = filters or SignalFilters()
    signals = (
        Signal.objects.filter(permissions.visible_signals_filter(user))
        .select_related("place", "round", "issue")
        .defer("raw_text", "search_text")
    )
    if filters.channel:
        signals = signals.filter(channel=filters.channel)
    if filters.q:
        # a citizen's tracking code, typed any way («pa2redm8a8»), finds its signal
        code = normalize_tracking_code(filters.q)
        by_code = signals.filter(tracking_code=code) if _TRACKING_CODE.fullmatch(code) else None
        if by_code is not None and by_code.exists():
            signals = by_code
        else:
            signals = search.matching(
                signals, search.terms(filters.q), code_fields=("tracking_code",)
            )
    if filters.place:
        signals = signals.filter(place_id=filters.place)
    if filters.round:
        signals = signals.filter(round_id=filters.round)
    if filters.received_from:
        signals = signals.filter(received_at__date__gte=filters.received_from)
    if filters.received_to:
        signals = signals.filter(received_at__date__lte=filters.received_to)
    if filters.linked == "yes":
        signals = signals.filter(issue__isnull=False)
    elif filters.linked == "no":
        signals = signals.filter(issue__isnull=True)
    return signals.order_by("-received_at", "-id")


def channel_counts(*, user: AnyUser) -> dict[str, int]:
    rows = (
        Signal.objects.filter(permissions.visible_signals_filter(user))
        .values_list("channel")
        .annotate(n=Count("id"))
    )
    return {channel: n for channel, n in rows}


def signal_for(*, user: AnyUser, pk: int) -> Signal | None:
    return (
        Signal.objects.filter(permissions.visible_signals_filter(user), pk=pk)
        .select_related("place", "round", "round__session", "issue", "batch", "created_by")
        .prefetch_related("attachments")
        .first()
    )


def attachment_for(*, user: AnyUser, pk: int) -> Attachment | None:
    return (
        Attachment.objects.filter(
            signal__in=Signal.objects.filter(permissions.visible_signals_filter(user)), pk=pk
        )
        .select_related("signal")
        .first()
    )


def import_batches_for(*, user: AnyUser) -> QuerySet[ImportBatch]:
    if not policy.can(user, "intake.signal_import"):
        return ImportBatch.objects.none()
    return ImportBatch.objects.select_related("round", "created_by").order_by("-created_at")


def import_batch_for(*, user: AnyUser, pk: int) -> ImportBatch | None:
    return import_batches_for(user=user).filter(pk=pk).first()


def feeds_for(*, user: AnyUser) -> QuerySet[FeedSource]:
    if not policy.can(user, "intake.feed_manage"):
        return FeedSource.objects.none()
    return FeedSource.objects.order_by("name")


def rounds() -> QuerySet[VoterContactRound]:
    return VoterContactRound.objects.select_related("session").order_by("-created_at")


# ---- deadlines: what cases asks intake through its hooks -----------------------------


def next_council_session(after: dt.date) -> tuple[dt.date, str] | None:
    """The first council session opening after `after`, as (opening day, title)."""
    session = CouncilSession.objects.filter(opens_on__gt=after).order_by("opens_on", "id").first()
    if session is None or session.opens_on is None:
        return None
    return session.opens_on, session.title


def issue_for_tracking_code(*, code: str) -> Issue | None:
    """The issue a citizen's feedback joined, for its public due date on the look-up page."""
    code = normalize_tracking_code(code)
    if not code:
        return None
    signal = Signal.objects.select_related("issue").filter(tracking_code=code).first()
    return signal.issue if signal is not None else None


PLATFORMS = {
    "facebook": "Facebook",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "zalo": "Zalo",
    "x": "X (Twitter)",
    "twitter": "X (Twitter)",
}


FEEDBACK_WAYS = {
    "web": gettext_lazy("Phản ánh qua cổng thông tin"),
    "zalo": gettext_lazy("Phản ánh qua Zalo OA"),
    "api": gettext_lazy("Phản ánh qua hệ thống khác (API)"),
}


def source_label(source: str, metadata: dict[str, Any] | None) -> str:
    """A signal's source as staff read it, never its stored key: «Phản ánh qua cổng thông
    tin», «Mạng xã hội TikTok», «Cộng tác viên Nguyễn Văn A»… (lists, exports)."""
    source = source or ""
    head, _sep, rest = source.partition(":")
    meta = metadata or {}
    if source == "phan-anh":  # a citizen's feedback: by the way it came in
        if meta.get("open311_service_code"):
            return _("Phản ánh qua hệ thống khác (Open311)")
        return str(FEEDBACK_WAYS.get(str(meta.get("via", "")), _("Phản ánh của người dân")))
    if source == "bao-chi":
        return str(meta.get("feed_title") or _("Báo chí (nguồn tin RSS)"))
    if head == "kien-nghi":
        return _("Tổng hợp kiến nghị cử tri: %s") % rest if rest else _("Tổng hợp kiến nghị cử tri")
    if head == "mxh":
        platform = rest.partition(":")[0]
        return _("Mạng xã hội %s") % PLATFORMS.get(platform.lower(), platform.capitalize())
    if head == "ctv":
        return (
            _("Cộng tác viên %s") % (meta.get("reporter") or "").strip()
            if meta.get("reporter")
            else _("Cộng tác viên dư luận xã hội")
        )
    if head == "mang-luoi":
        return _("Mạng lưới cộng tác viên")
    if head == "import":
        return _("Tệp nhập: %s") % rest if rest else _("Tệp nhập")
    if source == "web":
        return _("Biểu mẫu trên cổng thông tin")
    if head == "demo" or source.endswith("-demo"):
        return _("Dữ liệu minh họa")
    return source
