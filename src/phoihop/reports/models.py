"""Report documents: a draft whose wording staff may edit, then issued and frozen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.cases.models import Issue
from phoihop.intake.models import CouncilSession
from phoihop.programme.models import Meeting
from phoihop.reports.periods import parse_period


class ReportDocument(models.Model):
    class Kind(models.TextChoices):
        PETITIONS_SUMMARY = "petitions-summary", _("Báo cáo tổng hợp ý kiến, kiến nghị cử tri")
        PETITIONS_RESULTS = "petitions-results", _("Báo cáo kết quả trả lời kiến nghị cử tri")
        PROGRAMME = "programme", _("Báo cáo kết quả thực hiện Chương trình phối hợp")
        SITUATION = "situation", _("Báo cáo tình hình dư luận xã hội")
        CONCLUSIONS = "conclusions", _("Thông báo kết luận hội nghị giao ban")

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")

    kind = models.CharField(_("loại báo cáo"), max_length=30, choices=Kind.choices)
    period = models.CharField(_("kỳ báo cáo"), max_length=10, blank=True)
    session = models.ForeignKey(
        CouncilSession, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kỳ họp")
    )
    # On demand: the situation report of one urgent matter.
    issue = models.ForeignKey(
        Issue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vấn đề"),
    )
    # The meeting whose conclusions a notice announces.
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("hội nghị giao ban"),
    )
    title = models.CharField(_("trích yếu"), max_length=500)
    content = models.JSONField(_("nội dung"))
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("ngày ban hành"), null=True, blank=True)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    docx = models.FileField(_("tệp DOCX"), upload_to="reports/%Y/", blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to="reports/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("văn bản báo cáo")
        verbose_name_plural = _("văn bản báo cáo")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        when = self.period_label or self.session or self.meeting or ""
        return f"{self.get_kind_display()} — {when}"

    @property
    def period_label(self) -> str:
        """The period as the form's picker says it («Quý 4/2026», «Tháng 12/2026»), not its
        stored key; a stored key the parser refuses is shown as it is."""
        if not self.period:
            return ""
        try:
            return parse_period(self.period).short_label
        except ValueError:
            return self.period
