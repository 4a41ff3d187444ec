"""Exemplary models and commendation proposals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import AdministrativeUnit, Agency, Field, User


class ExemplaryModel(models.Model):
    """An exemplary model (điển hình tiên tiến, nhân tố mới) worth spreading."""

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể")
        INDIVIDUAL = "individual", _("Cá nhân")

    class Review(models.TextChoices):
        PENDING = "pending", _("Chờ thẩm định")
        APPROVED = "approved", _("Đã công nhận")
        REJECTED = "rejected", _("Không công nhận")

    name = models.CharField(_("tên điển hình"), max_length=400)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    place = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("địa bàn"),
    )
    field = models.ForeignKey(
        Field,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lĩnh vực"),
    )
    achievements = models.TextField(_("thành tích"))
    evidence = models.TextField(_("minh chứng"), blank=True)
    article_links = models.TextField(
        _("bài viết lan tỏa"), blank=True, help_text=_("mỗi dòng một đường dẫn")
    )
    proposing_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan đề xuất")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Reviewed by the programme's coordinators before it is spread (and put on the portal).
    review = models.CharField(
        _("thẩm định"), max_length=20, choices=Review.choices, default=Review.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("thời điểm thẩm định"), null=True, blank=True)
    review_note = models.TextField(_("ý kiến thẩm định"), blank=True)
    portal_url = models.CharField(_("bài trên cổng thông tin"), max_length=500, blank=True)
    cancelled_at = models.DateTimeField(_("thời điểm hủy"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)

    class Meta:
        verbose_name = _("điển hình tiên tiến")
        verbose_name_plural = _("điển hình tiên tiến")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.article_links.splitlines() if line.strip()]


class CommendationProposal(models.Model):
    """A commendation proposal (đề xuất khen thưởng) moving along an approval chain:
    the proposing agency submits, the reviewing agency reviews, the approving agency decides."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Đã trình")
        REVIEWED = "reviewed", _("Đã thẩm định")
        APPROVED = "approved", _("Đã phê duyệt")
        REJECTED = "rejected", _("Không phê duyệt")
        WITHDRAWN = "withdrawn", _("Đã rút")

    class NomineeKind(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể")
        INDIVIDUAL = "individual", _("Cá nhân")

    nominee = models.CharField(_("tập thể, cá nhân được đề nghị"), max_length=400)
    nominee_kind = models.CharField(_("loại"), max_length=20, choices=NomineeKind.choices)
    exemplary_model = models.ForeignKey(
        ExemplaryModel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("điển hình"),
    )
    achievements = models.TextField(_("thành tích"))
    evidence = models.TextField(_("minh chứng"), blank=True)
    form = models.CharField(_("hình thức khen thưởng"), max_length=300)
    year = models.PositiveIntegerField(_("năm"))
    proposing_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan đề xuất")
    )
    reviewing_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan thẩm định")
    )
    approving_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan phê duyệt")
    )
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    reason = models.TextField(_("lý do"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("ngày trình"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("ngày thẩm định"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("ngày quyết định"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The commendation decision the approving agency signed (số, ngày quyết định).
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày ký quyết định"), null=True, blank=True)

    class Meta:
        verbose_name = _("đề xuất khen thưởng")
        verbose_name_plural = _("đề xuất khen thưởng")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.nominee} — {self.form}"
