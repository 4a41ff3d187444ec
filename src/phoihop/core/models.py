"""Agencies, people and roles, fields and routing, places, the working calendar, the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username


class AdministrativeUnit(models.Model):
    """A province or a commune-level unit (xã, phường, đặc khu) of the two-level system."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        COMMUNE = "commune", _("Xã, phường, đặc khu")

    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    code = models.PositiveIntegerField(_("mã đơn vị hành chính"))
    name = models.CharField(_("tên"), max_length=120)
    division_type = models.CharField(_("loại"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thuộc"),
    )
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    # The unit's centre and area, for maps (from the `vietnamadminunits` data set).
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    area_km2 = models.FloatField(_("diện tích (km²)"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="unique_unit_level_code")
        ]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An agency of the programme. A merge or rename points the old agency at its successor."""

    class Kind(models.TextChoices):
        PARTY = "party", _("Cơ quan Đảng")
        COUNCIL = "council", _("Hội đồng nhân dân")
        PEOPLES_COMMITTEE = "committee", _("Ủy ban nhân dân")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        COURT = "court", _("Tòa án nhân dân")
        PROCURACY = "procuracy", _("Viện kiểm sát nhân dân")
        COMMUNE = "commune", _("Xã, phường")
        OTHER = "other", _("Khác")

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại cơ quan"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("cơ quan kế nhiệm"),
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("địa bàn"),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    active_until = models.DateField(_("ngừng hoạt động từ"), null=True, blank=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        seen: set[int | None] = {self.pk}
        node = self.successor
        while node is not None:
            if node.pk in seen:
                raise ValidationError({"successor": _("Cơ quan kế nhiệm tạo thành vòng lặp.")})
            seen.add(node.pk)
            node = node.successor

    @property
    def current(self) -> Agency:
        """The agency that carries this one's work today (itself, or the end of its successors)."""
        node = self
        while node.successor is not None:
            node = node.successor
        return node


class Membership(models.Model):
    """A person's role in an agency. Coordinators work across agencies."""

    class Role(models.TextChoices):
        VIEWER = "viewer", _("Xem")
        HANDLER = "handler", _("Cán bộ xử lý")
        LEADER = "leader", _("Lãnh đạo duyệt")
        COORDINATOR = "coordinator", _("Điều phối")
        ADMINISTRATOR = "administrator", _("Quản trị")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("người dùng")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("cơ quan")
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("còn hiệu lực"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò trong cơ quan")
        verbose_name_plural = _("vai trò trong cơ quan")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"


class Field(models.Model):
    """A field (lĩnh vực) of the taxonomy used to classify and route issues."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RoutingEntry(models.Model):
    """The routing table: the agency competent by default for a field."""

    field = models.OneToOneField(
        Field, on_delete=models.CASCADE, related_name="routing", verbose_name=_("lĩnh vực")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="routing_entries",
        verbose_name=_("cơ quan chủ trì mặc định"),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("bảng phân công theo lĩnh vực")
        verbose_name_plural = _("bảng phân công theo lĩnh vực")

    def __str__(self) -> str:
        return f"{self.field} → {self.agency}"


class CalendarException(models.Model):
    """A day that differs from the national calendar: an extra day off or a make-up working day."""

    date = models.DateField(_("ngày"), unique=True)
    is_working_day = models.BooleanField(_("là ngày làm việc"))
    note = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}"


class DeadlineRule(models.Model):
    """How many working days an item of a kind and urgency gets."""

    class Kind(models.TextChoices):
        LEAD = "lead", _("Cơ quan chủ trì giải quyết")
        SUPPORT = "support", _("Cơ quan phối hợp cho ý kiến")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Thường")
        URGENT = "urgent", _("Khẩn")
        VERY_URGENT = "very_urgent", _("Thượng khẩn")
        FLASH = "flash", _("Hỏa tốc")

    kind = models.CharField(_("loại việc"), max_length=20, choices=Kind.choices)
    urgency = models.CharField(_("độ khẩn"), max_length=20, choices=Urgency.choices)
    working_days = models.PositiveIntegerField(_("số ngày làm việc"))

    class Meta:
        verbose_name = _("thời hạn xử lý")
        verbose_name_plural = _("thời hạn xử lý")
        constraints = [
            models.UniqueConstraint(fields=["kind", "urgency"], name="unique_deadline_rule")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.get_urgency_display()}: {self.working_days}"


class AuditEvent(models.Model):
    """One append-only, hash-chained entry of the audit log."""

    at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=200, blank=True)
    action = models.CharField(_("hành động"), max_length=80, db_index=True)
    target_type = models.CharField(_("loại đối tượng"), max_length=80)
    target_id = models.CharField(_("mã đối tượng"), max_length=64)
    target_repr = models.CharField(_("đối tượng"), max_length=300)
    scope = models.CharField(_("phạm vi"), max_length=80, db_index=True, blank=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    data = models.JSONField(_("chi tiết"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("nhật ký kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.target_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("Nhật ký kiểm toán chỉ được ghi thêm, không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("Nhật ký kiểm toán không được xóa."))
