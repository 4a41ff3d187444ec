"""The reporter network as people: members (with or without a login), one-tap
acknowledgement links, reminders for guidance nobody acknowledged, attendance at briefings,
and what members hear from people sent back as signals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import audit, policy
from phoihop.core.models import AdministrativeUnit, Agency, User
from phoihop.intake import services as intake_services
from phoihop.intake.models import Signal
from phoihop.intake.records import Record
from phoihop.programme.models import (
    Attendance,
    Briefing,
    FieldReport,
    Guidance,
    GuidanceRecipient,
    NetworkMember,
)
from phoihop.triage.normalize import normalize_text

_ACK_SALT = "phoihop.programme.guidance-ack"
# A link stays valid PHOIHOP_GUIDANCE_ACK_MAX_AGE (60 days), enough for a weekly reader.
# Members who have not acknowledged after this long are reminded, then again after as long.
REMIND_AFTER = dt.timedelta(hours=24)
MAX_REMINDERS = 3


@transaction.atomic
def member_register(
    *,
    by: User,
    full_name: str,
    kind: str,
    agency: Agency,
    position: str = "",
    phone: str = "",
    email: str = "",
    place: AdministrativeUnit | None = None,
    user: User | None = None,
) -> NetworkMember:
    """Add a person to the network; a login account is optional (most members have none)."""
    policy.require(by, "programme.network_manage")
    full_name = normalize_text(full_name or "")
    if not full_name and user is not None:
        full_name = user.full_name or user.username
    errors: dict[str, str] = {}
    if not full_name:
        errors["full_name"] = _("Cần nhập họ và tên thành viên.")
    if kind not in NetworkMember.Kind.values:
        errors["kind"] = _("Loại thành viên không hợp lệ.")
    phone = (phone or "").strip()
    if phone and not all(c.isdigit() or c in "+ .-()" for c in phone):
        errors["phone"] = _("Số điện thoại chỉ gồm chữ số (có thể có dấu +, khoảng trắng).")
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if not phone and not email and user is None:
        errors["phone"] = _(
            "Cần ít nhất một cách liên lạc: điện thoại, thư điện tử hoặc tài khoản."
        )
    if user is not None and NetworkMember.objects.filter(user=user).exists():
        errors["user"] = _("Tài khoản này đã là thành viên mạng lưới.")
    if errors:
        raise ValidationError(errors)
    member = NetworkMember.objects.create(
        user=user,
        full_name=full_name,
        position=normalize_text(position or ""),
        phone=phone,
        email=email,
        kind=kind,
        agency=agency,
        place=place,
    )
    audit.record(
        actor=by,
        action="network.add",
        target=member,
        scope="network",
        kind=kind,
        agency=agency.name,
        login=user is not None,
    )
    return member


@transaction.atomic
def member_deactivate(*, by: User, member: NetworkMember, reason: str) -> NetworkMember:
    """A member leaves the network; their acknowledgements and attendance stay."""
    policy.require(by, "programme.network_manage")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Cần nêu lý do thôi tham gia mạng lưới.")})
    member.is_active = False
    member.save(update_fields=["is_active"])
    audit.record(
        actor=by,
        action="network.deactivate",
        target=member,
        scope="network",
        before={"is_active": True},
        after={"is_active": False},
        reason=reason.strip(),
    )
    return member


# --- one-tap acknowledgement -------------------------------------------------------------


def ack_token(recipient: GuidanceRecipient) -> str:
    """A signed token naming one delivery; it is what the SMS, Zalo or e-mail link carries."""
    return signing.dumps({"r": recipient.pk, "m": recipient.member_id}, salt=_ACK_SALT)


def recipient_for_token(token: str) -> GuidanceRecipient:
    """The delivery a token names; ValidationError with a Vietnamese message if it is not valid."""
    max_age = settings.PHOIHOP_GUIDANCE_ACK_MAX_AGE
    try:
        data = signing.loads(token, salt=_ACK_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ValidationError(
            _("Đường dẫn xác nhận đã hết hạn; hãy liên hệ Ban Tuyên giáo và Dân vận.")
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(_("Đường dẫn xác nhận không hợp lệ.")) from error
    recipient = (
        GuidanceRecipient.objects.select_related("guidance", "member__agency")
        .filter(pk=data.get("r"), member_id=data.get("m"))
        .first()
    )
    if recipient is None or recipient.guidance.state != Guidance.State.ISSUED:
        raise ValidationError(_("Định hướng này không còn hiệu lực."))
    return recipient


@transaction.atomic
def acknowledge_by_link(*, token: str) -> GuidanceRecipient:
    """A member acknowledges through the link sent to them, without logging in (once)."""
    recipient = recipient_for_token(token)
    recipient = GuidanceRecipient.objects.select_for_update().get(pk=recipient.pk)
    if recipient.acknowledged_at is not None:
        return recipient
    recipient.acknowledged_at = timezone.now()
    recipient.save(update_fields=["acknowledged_at"])
    audit.record(
        actor=None,
        action="guidance.acknowledge",
        target=recipient.guidance,
        scope=f"guidance:{recipient.guidance_id}",
        member=recipient.member.name,
        via="link",
    )
    return recipient


# --- reminders -----------------------------------------------------------------------------


def due_for_reminder(*, now: dt.datetime | None = None) -> list[GuidanceRecipient]:
    """Deliveries of issued, still valid guidance not acknowledged within REMIND_AFTER of the
    delivery or of the last reminder (at most MAX_REMINDERS times)."""
    now = now or timezone.now()
    threshold = now - REMIND_AFTER
    today = timezone.localdate(now)
    pending = (
        GuidanceRecipient.objects.filter(
            guidance__state=Guidance.State.ISSUED,
            acknowledged_at__isnull=True,
            member__is_active=True,
            delivered_at__lte=threshold,
            reminders__lt=MAX_REMINDERS,
        )
        .select_related("guidance", "member")
        .order_by("guidance_id", "id")
    )
    return [
        r
        for r in pending
        if (r.reminded_at is None or r.reminded_at <= threshold)
        and (r.guidance.valid_until is None or today <= r.guidance.valid_until)
    ]


@transaction.atomic
def remind_unacknowledged(*, now: dt.datetime | None = None) -> int:
    """Record one more reminder on each delivery that is due; the notification channels send
    the reminder with the member's acknowledgement link. Returns how many were reminded."""
    now = now or timezone.now()
    due = due_for_reminder(now=now)
    by_guidance: dict[int, int] = {}
    for recipient in due:
        recipient.reminders += 1
        recipient.reminded_at = now
        by_guidance[recipient.guidance_id] = by_guidance.get(recipient.guidance_id, 0) + 1
    GuidanceRecipient.objects.bulk_update(due, ["reminders", "reminded_at"])
    for guidance in Guidance.objects.filter(pk__in=by_guidance):
        audit.record(
            actor=None,
            action="guidance.remind",
            target=guidance,
            scope=f"guidance:{guidance.pk}",
            recipients=by_guidance[guidance.pk],
        )
    return len(due)


# --- briefings (hội nghị báo cáo viên) -------------------------------------------------------


@transaction.atomic
def briefing_create(
    *,
    by: User,
    title: str,
    held_on: dt.date,
    venue: str = "",
    guidance: Guidance | None = None,
) -> Briefing:
    policy.require(by, "programme.network_manage")
    title = normalize_text(title or "")
    if not title:
        raise ValidationError({"title": _("Cần nhập tên hội nghị.")})
    briefing = Briefing.objects.create(
        title=title,
        held_on=held_on,
        venue=normalize_text(venue or ""),
        guidance=guidance,
        created_by=by,
    )
    audit.record(actor=by, action="briefing.create", target=briefing, scope="network")
    return briefing


@transaction.atomic
def attendance_record(
    *,
    by: User,
    briefing: Briefing,
    present: Iterable[NetworkMember],
    absent: Mapping[NetworkMember, str] | None = None,
) -> list[Attendance]:
    """Record who attended (and who did not, with a reason); recording again replaces it."""
    policy.require(by, "programme.network_manage")
    absent = dict(absent or {})
    present_list = list(present)
    overlap = {m.pk for m in present_list} & {m.pk for m in absent}
    if overlap:
        raise ValidationError({"present": _("Một thành viên không thể vừa có mặt vừa vắng mặt.")})
    before = sorted(
        briefing.attendance.filter(present=True).values_list("member__full_name", flat=True)
    )
    briefing.attendance.all().delete()
    rows = [Attendance(briefing=briefing, member=m, present=True) for m in present_list]
    rows += [
        Attendance(briefing=briefing, member=m, present=False, note=(reason or "").strip()[:300])
        for m, reason in absent.items()
    ]
    Attendance.objects.bulk_create(rows)
    audit.record(
        actor=by,
        action="briefing.attendance",
        target=briefing,
        scope="network",
        before={"present": before},
        after={"present": sorted(m.name for m in present_list)},
        absent=len(absent),
    )
    return rows


@transaction.atomic
def network_member_add(
    *,
    by: User,
    user: User,
    kind: str,
    agency: Agency,
    place: AdministrativeUnit | None = None,
) -> NetworkMember:
    """Add a person to the reporter network (or update their kind, agency and place)."""
    policy.require(by, "programme.network_manage")
    if kind not in NetworkMember.Kind.values:
        raise ValidationError({"kind": _("Loại thành viên không hợp lệ.")})
    member, created = NetworkMember.objects.update_or_create(
        user=user,
        defaults={"kind": kind, "agency": agency, "place": place, "is_active": True},
        create_defaults={
            "kind": kind,
            "agency": agency,
            "place": place,
            "full_name": user.full_name or user.username,
        },
    )
    audit.record(
        actor=by,
        action="network.add" if created else "network.update",
        target=member,
        scope="network",
        kind=kind,
        agency=agency.name,
    )
    return member


def signal_from_network(
    *,
    member: NetworkMember,
    text: str,
    guidance: Guidance | None = None,
    place: AdministrativeUnit | None = None,
) -> tuple[Signal, bool]:
    """Store what a network member heard as a collaborator signal for triage, exactly once
    per member and content (through intake, audited). Returns the signal and whether it was
    new."""
    normalized = normalize_text(text or "")
    if not normalized:
        raise ValidationError({"text": _("Cần nhập nội dung dư luận ghi nhận được.")})
    who = member.user.username if member.user else f"thanh-vien-{member.pk}"
    unit = place or member.place
    record = Record(
        channel=Signal.Channel.COLLABORATOR,
        source=f"mang-luoi:{who}",
        raw_text=text,
        key_text=normalized,
        title=normalized[:120],
        place_id=unit.pk if unit is not None else None,
        occurred_at=timezone.now(),
        metadata={
            "member": who,
            "kind": member.kind,
            "agency": member.agency.name,
            "guidance": guidance.pk if guidance else None,
        },
    )
    received = intake_services.signal_record(record=record, by=member.user)
    return received.signal, received.created


@transaction.atomic
def field_report_send(
    *,
    by: User,
    text: str,
    guidance: Guidance | None = None,
    place: AdministrativeUnit | None = None,
) -> FieldReport:
    """A network member sends back what they heard from people; it becomes a signal."""
    policy.require(by, "programme.guidance_report_back")
    member = NetworkMember.objects.select_related("user", "agency").get(user=by)
    signal, created = signal_from_network(member=member, text=text, guidance=guidance, place=place)
    report, _new = FieldReport.objects.get_or_create(
        member=member, signal=signal, defaults={"guidance": guidance}
    )
    if created:
        audit.record(
            actor=by,
            action="network.report_back",
            target=signal,
            scope=f"guidance:{guidance.pk}" if guidance else "network",
        )
    return report
