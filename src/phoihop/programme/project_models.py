"""Key projects and the opinion linked to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import AdministrativeUnit, Agency


class KeyProject(models.Model):
    """A key socio-economic project (dự án, đề án trọng điểm) whose public opinion is watched."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên dự án"), max_length=400)
    owner_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="key_projects",
        verbose_name=_("cơ quan chủ quản"),
    )
    places = models.ManyToManyField(
        AdministrativeUnit, related_name="key_projects", blank=True, verbose_name=_("địa bàn")
    )
    description = models.TextField(_("mô tả"), blank=True)
    phases = models.TextField(_("các giai đoạn"), blank=True, help_text=_("mỗi dòng một giai đoạn"))
    keywords = models.TextField(
        _("từ khóa nhận diện"),
        blank=True,
        help_text=_("mỗi dòng một cụm từ; tín hiệu, vấn đề chứa cụm từ được gắn với dự án"),
    )
    plan_messages = models.TextField(_("thông điệp truyền thông"), blank=True)
    plan_channels = models.TextField(_("kênh truyền thông"), blank=True)
    plan_schedule = models.TextField(_("lịch truyền thông"), blank=True)
    plan_agencies = models.ManyToManyField(
        Agency,
        related_name="+",
        blank=True,
        verbose_name=_("cơ quan chịu trách nhiệm truyền thông"),
    )
    cancelled_at = models.DateTimeField(_("thời điểm hủy"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)

    class Meta:
        verbose_name = _("dự án trọng điểm")
        verbose_name_plural = _("dự án trọng điểm")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProjectLink(models.Model):
    """A signal or issue linked to a key project (by its keywords or by a person)."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="links", verbose_name=_("dự án")
    )
    signal = models.ForeignKey(
        "intake.Signal", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    issue = models.ForeignKey(
        "cases.Issue", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    matched = models.CharField(_("cụm từ khớp"), max_length=200, blank=True)
    linked_at = models.DateTimeField(auto_now_add=True)
    score = models.FloatField(_("độ tương đồng"), null=True, blank=True)
    # None: linked by the matcher; a person otherwise.
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A link staff removed stays as a record, so the matcher does not link it again.
    removed = models.BooleanField(_("đã bỏ gắn"), default=False)

    class Meta:
        verbose_name = _("tín hiệu gắn với dự án")
        verbose_name_plural = _("tín hiệu gắn với dự án")
        constraints = [
            models.UniqueConstraint(fields=["project", "signal"], name="unique_project_signal"),
            models.UniqueConstraint(fields=["project", "issue"], name="unique_project_issue"),
        ]

    def __str__(self) -> str:
        return f"{self.project} ← {self.signal_id or self.issue_id}"
