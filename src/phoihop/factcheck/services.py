"""Every change to claims and rebuttals: register, verify, draft, confirm, publish, close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases import services as cases
from phoihop.cases.models import Issue
from phoihop.core import audit, policy
from phoihop.core.models import Agency, Field, User
from phoihop.factcheck import hooks
from phoihop.factcheck.models import Claim, Rebuttal, Sighting
from phoihop.intake.models import Signal
from phoihop.programme import services as programme
from phoihop.programme.models import NetworkMember
from phoihop.programme.permissions import propaganda_agency
from phoihop.triage.claims import Claim as EngineClaim
from phoihop.triage.normalize import fold, normalize_text
from phoihop.triaging import services as triaging

S = Claim.Status
GUIDANCE_VALID_DAYS = 30


def _scope(claim: Claim) -> str:
    return f"claim:{claim.pk}"


def _set_status(claim: Claim, *, to: str, by: User, action: str, **data: object) -> None:
    before = claim.status
    claim.status = to
    claim.save(update_fields=["status", "status_reason"])
    triaging.claims_changed()
    audit.record(
        actor=by,
        action=f"claim.{action}",
        target=claim,
        scope=_scope(claim),
        before={"status": before},
        after={"status": to},
        **data,
    )


def _require_status(claim: Claim, *allowed: str) -> None:
    if claim.status not in allowed:
        raise ValidationError(
            _("Thông tin đang ở trạng thái «%(state)s», không thể thực hiện thao tác này.")
            % {"state": claim.get_status_display()}
        )


@transaction.atomic
def claim_register(
    *,
    by: User,
    wording: str,
    first_seen_on: dt.date,
    risk: str,
    competent_agency: Agency,
    summary: str = "",
    first_seen_where: str = "",
    field: Field | None = None,
    issue: Issue | None = None,
    signals: Iterable[Signal] = (),
) -> Claim:
    """Register a false or distorted claim seen in public, in the state «Mới phát hiện»."""
    policy.require(by, "factcheck.claim_register")
    wording = normalize_text(wording or "")
    if not wording:
        raise ValidationError({"wording": _("Cần nhập nội dung thông tin sai sự thật.")})
    if risk not in Claim.Risk.values:
        raise ValidationError({"risk": _("Mức độ nguy hại không hợp lệ.")})
    if competent_agency is None:
        raise ValidationError({"competent_agency": _("Cần chọn cơ quan có thẩm quyền xác minh.")})
    if first_seen_on > timezone.localdate():
        raise ValidationError({"first_seen_on": _("Ngày phát hiện không được sau hôm nay.")})
    summary = normalize_text(summary or "") or wording[:300]
    claim = Claim.objects.create(
        wording=wording,
        summary=summary[:300],
        first_seen_on=first_seen_on,
        first_seen_where=(first_seen_where or "").strip()[:500],
        risk=risk,
        field=field,
        competent_agency=competent_agency,
        issue=issue,
        search_text=fold(f"{summary} {wording}"),
        created_by=by,
    )
    audit.record(
        actor=by,
        action="claim.register",
        target=claim,
        scope=_scope(claim),
        after=audit.snapshot(claim, ("status", "risk", "competent_agency", "first_seen_on")),
    )
    for signal in signals:
        claim_link_signal(claim=claim, signal=signal, by=by)
    triaging.claims_changed()
    return claim


@transaction.atomic
def claim_link_signal(
    *, claim: Claim, signal: Signal, by: User | None = None, score: float | None = None
) -> Sighting | None:
    """Record that the claim was seen in `signal` (from triage's claim matching when `by` is
    None, or from a person). Linking the same signal again changes nothing (returns None)."""
    if by is not None:
        policy.require(by, "factcheck.claim_link")
    return _link(claim=claim, signal=signal, by=by, score=score)


def _link(
    *, claim: Claim, signal: Signal, by: User | None, score: float | None = None
) -> Sighting | None:
    if Sighting.objects.filter(claim=claim, signal=signal).exists():
        return None
    sighting = Sighting.objects.create(
        claim=claim,
        signal=signal,
        score=score,
        seen_at=signal.occurred_at or signal.received_at or timezone.now(),
        linked_by=by,
    )
    audit.record(
        actor=by,
        action="claim.link_signal",
        target=claim,
        scope=_scope(claim),
        signal=signal.pk,
        score=score,
    )
    return sighting


@transaction.atomic
def claim_start_verification(*, claim: Claim, by: User) -> Claim:
    """«Mới phát hiện» → «Đang xác minh»."""
    policy.require(by, "factcheck.claim_verify", claim)
    _require_status(claim, S.NEW)
    _set_status(claim, to=S.VERIFYING, by=by, action="verify")
    return claim


@transaction.atomic
def claim_close(*, claim: Claim, by: User, outcome: str, reason: str) -> Claim:
    """Conclude an open claim without a rebuttal: «Không sai sự thật» or «Không xử lý»."""
    policy.require(by, "factcheck.claim_close", claim)
    if outcome not in (S.NOT_FALSE, S.DROPPED):
        raise ValidationError({"outcome": _("Kết luận không hợp lệ.")})
    reason = normalize_text(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Cần nêu lý do kết luận.")})
    _require_status(claim, *Claim.OPEN_STATUSES)
    claim.status_reason = reason
    _set_status(claim, to=outcome, by=by, action="close", reason=reason)
    return claim


REBUTTAL_FIELDS = ("title", "text", "rating", "state", "confirming_agency")


@transaction.atomic
def rebuttal_draft(
    *,
    claim: Claim,
    by: User,
    title: str,
    text: str,
    rating: str = Rebuttal.Rating.FALSE,
    confirming_agency: Agency | None = None,
) -> Rebuttal:
    """The Propaganda Department drafts (or rewrites) the rebuttal of a claim being verified.
    Rewriting a draft whose facts were confirmed asks for the confirmation again."""
    policy.require(by, "factcheck.rebuttal_draft", claim)
    _require_status(claim, S.VERIFYING)
    title = normalize_text(title or "")
    text = (text or "").strip()
    if not title:
        raise ValidationError({"title": _("Cần nhập tiêu đề bài phản bác.")})
    if not text:
        raise ValidationError({"text": _("Cần nhập nội dung phản bác.")})
    if rating not in Rebuttal.Rating.values:
        raise ValidationError({"rating": _("Kết luận không hợp lệ.")})
    agency = confirming_agency or claim.competent_agency.current
    existing = Rebuttal.objects.filter(claim=claim).first()
    # Still waiting for the same agency's sign-off: its leaders were already asked.
    already_asked = (
        existing is not None
        and existing.state == Rebuttal.State.DRAFT
        and not existing.returned_reason
        and existing.confirming_agency_id == agency.pk
    )
    now = timezone.now()
    if existing is None:
        rebuttal = Rebuttal.objects.create(
            claim=claim,
            title=title,
            text=text,
            rating=rating,
            confirming_agency=agency,
            drafted_by=by,
            drafted_at=now,
        )
        before = None
    else:
        rebuttal = existing
        if rebuttal.state == Rebuttal.State.PUBLISHED:
            raise ValidationError(_("Bài phản bác đã đăng, không thể sửa."))
        before = audit.snapshot(rebuttal, REBUTTAL_FIELDS)
        rebuttal.title, rebuttal.text, rebuttal.rating = title, text, rating
        rebuttal.confirming_agency = agency
        rebuttal.drafted_by, rebuttal.drafted_at = by, now
        rebuttal.state = Rebuttal.State.DRAFT
        rebuttal.confirmed_by = None
        rebuttal.confirmed_at = None
        rebuttal.returned_reason = ""  # the rewrite answers the return (kept in the audit)
        rebuttal.save()
    audit.record(
        actor=by,
        action="rebuttal.draft",
        target=rebuttal,
        scope=_scope(claim),
        before=before,
        after=audit.snapshot(rebuttal, REBUTTAL_FIELDS),
    )
    if not already_asked:
        for hook in hooks.rebuttal_awaiting_confirmation:
            hook(rebuttal)
    return rebuttal


@transaction.atomic
def rebuttal_confirm(*, rebuttal: Rebuttal, by: User, note: str = "") -> Rebuttal:
    """A leader of the agency competent for the facts signs them off (who and when)."""
    policy.require(by, "factcheck.rebuttal_confirm", rebuttal)
    if rebuttal.state != Rebuttal.State.DRAFT:
        raise ValidationError(
            _("Bài phản bác đang ở trạng thái «%(state)s», không cần xác nhận.")
            % {"state": rebuttal.get_state_display()}
        )
    rebuttal.state = Rebuttal.State.CONFIRMED
    rebuttal.confirmed_by = by
    rebuttal.confirmed_at = timezone.now()
    rebuttal.confirmation_note = (note or "").strip()
    rebuttal.returned_reason = ""
    rebuttal.save()
    audit.record(
        actor=by,
        action="rebuttal.confirm",
        target=rebuttal,
        scope=_scope(rebuttal.claim),
        before={"state": Rebuttal.State.DRAFT},
        after={"state": rebuttal.state},
        agency=rebuttal.confirming_agency.name,
        note=rebuttal.confirmation_note,
    )
    return rebuttal


@transaction.atomic
def rebuttal_return(*, rebuttal: Rebuttal, by: User, reason: str) -> Rebuttal:
    """The competent agency does not confirm the facts as drafted and says why."""
    policy.require(by, "factcheck.rebuttal_confirm", rebuttal)
    if rebuttal.state != Rebuttal.State.DRAFT:
        raise ValidationError(_("Chỉ trả lại được bài phản bác đang chờ xác nhận."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Cần nêu nội dung cần sửa.")})
    rebuttal.returned_reason = reason
    rebuttal.save(update_fields=["returned_reason"])
    audit.record(
        actor=by,
        action="rebuttal.return",
        target=rebuttal,
        scope=_scope(rebuttal.claim),
        reason=reason,
    )
    return rebuttal


@transaction.atomic
def rebuttal_publish(*, rebuttal: Rebuttal, by: User, send_guidance: bool = True) -> Rebuttal:
    """Publish a confirmed rebuttal: freeze its ClaimReview, hand it to the portal, mark the
    claim rebutted, and send it as orientation guidance to the reporter network."""
    policy.require(by, "factcheck.rebuttal_publish", rebuttal)
    if rebuttal.state != Rebuttal.State.CONFIRMED:
        raise ValidationError(
            _("Bài phản bác phải được cơ quan có thẩm quyền xác nhận trước khi đăng.")
        )
    claim = rebuttal.claim
    _require_status(claim, S.VERIFYING)
    author = propaganda_agency()
    now = timezone.now()
    rebuttal.state = Rebuttal.State.PUBLISHED
    rebuttal.published_by = by
    rebuttal.published_at = now
    rebuttal.claim_text = claim.wording
    rebuttal.author_org = author.name if author else ""
    rebuttal.date_published = timezone.localdate(now)
    rebuttal.save()
    url = None
    for hook in hooks.rebuttal_published:
        url = hook(rebuttal) or url
    if url:
        rebuttal.portal_url = url[:500]
        rebuttal.save(update_fields=["portal_url"])
        triaging.claims_changed()
    audit.record(
        actor=by,
        action="rebuttal.publish",
        target=rebuttal,
        scope=_scope(claim),
        before={"state": Rebuttal.State.CONFIRMED},
        after={"state": rebuttal.state, "portal_url": rebuttal.portal_url},
        claim_review=rebuttal.claim_review(),
    )
    _set_status(claim, to=S.REBUTTED, by=by, action="rebut")
    if send_guidance:
        today = timezone.localdate(now)
        guidance = programme.guidance_create(
            by=by,
            title=_("Phản bác: %(title)s") % {"title": rebuttal.title},
            topic=claim.summary,
            key_messages=_("Thông tin «%(claim)s» là %(rating)s.")
            % {"claim": claim.summary, "rating": rebuttal.rating.lower()},
            explanation=rebuttal.text,
            links=rebuttal.portal_url,
            valid_from=today,
            valid_until=today + dt.timedelta(days=GUIDANCE_VALID_DAYS),
            issue=claim.issue,
        )
        if NetworkMember.objects.filter(is_active=True).exists():
            programme.guidance_issue(by=by, guidance=guidance)
        rebuttal.guidance = guidance
        rebuttal.save(update_fields=["guidance"])
    return rebuttal


def rebuttal_answer_text(rebuttal: Rebuttal) -> str:
    """The official answer built from a published rebuttal."""
    text = _("%(rating)s: %(claim)s\n\n%(body)s") % {
        "rating": rebuttal.rating,
        "claim": rebuttal.claim.summary,
        "body": rebuttal.text,
    }
    if rebuttal.portal_url:
        text += "\n\n" + rebuttal.portal_url
    return text


@transaction.atomic
def answer_with_rebuttal(*, by: User, signal: Signal, rebuttal: Rebuttal) -> Issue:
    """Answer the issue of a signal that repeats an already-rebutted claim, in one step:
    the existing rebuttal becomes the official answer (by whoever may approve answers for
    the issue) and the signal is counted where the claim spreads."""
    if rebuttal.state != Rebuttal.State.PUBLISHED:
        raise ValidationError(_("Chỉ trả lời bằng bài phản bác đã đăng."))
    issue = signal.issue
    if issue is None:
        raise ValidationError(
            _("Tín hiệu chưa thuộc vấn đề nào; hãy tiếp nhận thành vấn đề trước khi trả lời.")
        )
    cases.issue_answer(issue=issue, by=by, text=rebuttal_answer_text(rebuttal))
    _link(claim=rebuttal.claim, signal=signal, by=by)
    audit.record(
        actor=by,
        action="rebuttal.answer",
        target=rebuttal,
        scope=_scope(rebuttal.claim),
        issue=issue.code,
        signal=signal.pk,
    )
    return issue


def engine_claims() -> list[EngineClaim]:
    """The registry as the triage engine matches it: every claim not found to be true, with
    its rebuttal's public address."""
    return [
        EngineClaim(str(c.pk), c.wording, getattr(getattr(c, "rebuttal", None), "portal_url", ""))
        for c in Claim.objects.exclude(status=Claim.Status.NOT_FALSE).select_related("rebuttal")
    ]


def on_claim_matched(signal: Signal, claim_id: str, score: float) -> None:
    """Triage found a signal like a registered claim: keep the sighting."""
    claim = Claim.objects.filter(pk=int(claim_id)).first()
    if claim is not None:
        _link(claim=claim, signal=signal, by=None, score=score)
