"""The reporter network, council resolutions explained to it, orientation guidance with its
recipients, what members report back, and briefings with their attendance."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import AdministrativeUnit, Agency


class NetworkMember(models.Model):
    """A person of the Propaganda Department's network who receives orientation guidance."""

    class Kind(models.TextChoices):
        REPORTER = "reporter", _("Báo cáo viên")
        PROPAGANDIST = "propagandist", _("Tuyên truyền viên")
        COLLABORATOR = "collaborator", _("Cộng tác viên dư luận xã hội")

    # Many members never log in: they are people with a phone or an e-mail, reached through
    # the notification channels and a one-tap acknowledgement link.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_member",
        verbose_name=_("tài khoản"),
    )
    full_name = models.CharField(_("họ và tên"), max_length=255, blank=True)
    position = models.CharField(_("chức vụ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="network_members", verbose_name=_("cơ quan")
    )
    place = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("địa bàn"),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("thành viên mạng lưới")
        verbose_name_plural = _("mạng lưới báo cáo viên, tuyên truyền viên, cộng tác viên")
        ordering = ["agency__name", "full_name"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The member's name: their own record first, else their account's."""
        if self.full_name:
            return self.full_name
        return str(self.user) if self.user_id else ""


class Resolution(models.Model):
    """A resolution of the provincial People's Council that guidance may explain."""

    number = models.CharField(_("số nghị quyết"), max_length=60, unique=True)
    adopted_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("trích yếu"), max_length=500)
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)

    class Meta:
        verbose_name = _("nghị quyết HĐND")
        verbose_name_plural = _("nghị quyết HĐND")
        ordering = ["-adopted_on"]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class Guidance(models.Model):
    """Orientation guidance (định hướng tuyên truyền) sent to the reporter network."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã phát hành")
        WITHDRAWN = "withdrawn", _("Đã thu hồi")

    title = models.CharField(_("tiêu đề"), max_length=400)
    topic = models.CharField(_("chủ đề"), max_length=300, blank=True)
    key_messages = models.TextField(_("thông điệp chính"))
    explanation = models.TextField(_("nội dung giải thích"), blank=True)
    links = models.TextField(
        _("bài viết tham khảo"), blank=True, help_text=_("mỗi dòng một đường dẫn")
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    issue = models.ForeignKey(
        "cases.Issue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vấn đề"),
    )
    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guidances",
        verbose_name=_("nghị quyết được giải thích"),
    )
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    sender_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan phát hành")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Guidance on a council resolution is prepared with the HĐND staff, who co-sign it.
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người đồng ký (HĐND)"),
    )
    cosigned_at = models.DateTimeField(_("thời điểm đồng ký"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("thời điểm phát hành"), null=True, blank=True)

    class Meta:
        verbose_name = _("định hướng tuyên truyền")
        verbose_name_plural = _("định hướng tuyên truyền")
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return self.title

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def is_current(self) -> bool:
        """Issued and within its validity period today."""
        return self.state == self.State.ISSUED and self.is_valid_on(timezone.localdate())

    @property
    def needs_cosign(self) -> bool:
        return self.resolution_id is not None and self.cosigned_at is None

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class GuidanceRecipient(models.Model):
    """Guidance delivered to one network member, and when they acknowledged it."""

    guidance = models.ForeignKey(
        Guidance, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("định hướng")
    )
    member = models.ForeignKey(
        NetworkMember,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("người nhận"),
    )
    delivered_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("số lần nhắc"), default=0)
    reminded_at = models.DateTimeField(_("lần nhắc gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("người nhận định hướng")
        verbose_name_plural = _("người nhận định hướng")
        ordering = ["member__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["guidance", "member"], name="unique_guidance_member")
        ]

    def __str__(self) -> str:
        return f"{self.guidance} → {self.member}"


class FieldReport(models.Model):
    """What a network member heard from people, sent back; it is stored as a signal for triage."""

    guidance = models.ForeignKey(
        Guidance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="field_reports",
        verbose_name=_("định hướng"),
    )
    member = models.ForeignKey(
        NetworkMember, on_delete=models.PROTECT, related_name="field_reports"
    )
    signal = models.ForeignKey("intake.Signal", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phản ánh dư luận từ mạng lưới")
        verbose_name_plural = _("phản ánh dư luận từ mạng lưới")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "signal"], name="unique_member_signal")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.signal}"


class Briefing(models.Model):
    """A briefing of the network (hội nghị báo cáo viên), and who attended it."""

    title = models.CharField(_("tên hội nghị"), max_length=400)
    held_on = models.DateField(_("ngày tổ chức"))
    venue = models.CharField(_("địa điểm"), max_length=400, blank=True)
    guidance = models.ForeignKey(
        Guidance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="briefings",
        verbose_name=_("định hướng được quán triệt"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hội nghị báo cáo viên")
        verbose_name_plural = _("hội nghị báo cáo viên")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """One member's attendance at a briefing (present, or absent with a reason)."""

    briefing = models.ForeignKey(
        Briefing, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("hội nghị")
    )
    member = models.ForeignKey(
        NetworkMember,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("thành viên"),
    )
    present = models.BooleanField(_("có mặt"), default=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        ordering = ["member__agency__name", "member__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "member"], name="unique_briefing_member")
        ]

    def __str__(self) -> str:
        return f"{self.briefing} — {self.member}"
