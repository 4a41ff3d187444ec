"""The signed coordination programme: its content areas, annual plans, tasks and their
progress reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import Agency


class Programme(models.Model):
    """The coordination programme signed between the parties (Chương trình phối hợp)."""

    title = models.CharField(_("tên chương trình"), max_length=400)
    number = models.CharField(_("số hiệu"), max_length=100, blank=True)
    signed_on = models.DateField(_("ngày ký"))
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    term_start = models.DateField(_("có hiệu lực từ"), null=True, blank=True)
    term_end = models.DateField(_("đến"), null=True, blank=True)
    parties = models.ManyToManyField(
        Agency, related_name="programmes", verbose_name=_("các bên ký kết")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chương trình phối hợp")
        verbose_name_plural = _("chương trình phối hợp")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ContentArea(models.Model):
    """One of the programme's content areas (nội dung phối hợp)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="areas", verbose_name=_("chương trình")
    )
    number = models.PositiveIntegerField(_("số thứ tự"))
    title = models.CharField(_("nội dung"), max_length=400)

    class Meta:
        verbose_name = _("nội dung phối hợp")
        verbose_name_plural = _("nội dung phối hợp")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="unique_area_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class AnnualPlan(models.Model):
    """The plan of one year that breaks the content areas into tasks (kế hoạch năm)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="plans", verbose_name=_("chương trình")
    )
    year = models.PositiveIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=400)

    class Meta:
        verbose_name = _("kế hoạch năm")
        verbose_name_plural = _("kế hoạch năm")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="unique_plan_year")
        ]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """A task of an annual plan: a lead agency, coordinating agencies, a due date, outputs."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa triển khai")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Hoàn thành")
        CANCELLED = "cancelled", _("Dừng thực hiện")

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)

    plan = models.ForeignKey(
        AnnualPlan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("kế hoạch")
    )
    area = models.ForeignKey(
        ContentArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("nội dung phối hợp"),
    )
    # The code people type in progress spreadsheets, e.g. "2026-03".
    code = models.CharField(_("mã nhiệm vụ"), max_length=30, unique=True)
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    expected_output = models.TextField(_("sản phẩm dự kiến"), blank=True)
    lead_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("cơ quan chủ trì"),
    )
    coordinating_agencies = models.ManyToManyField(
        Agency,
        related_name="coordinated_tasks",
        blank=True,
        verbose_name=_("cơ quan phối hợp"),
    )
    due_on = models.DateField(_("thời hạn"))
    status = models.CharField(
        _("tình trạng"),
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_STARTED,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    decision = models.OneToOneField(
        "programme.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task",
        verbose_name=_("theo kết luận giao ban"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["due_on", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ProgressReport(models.Model):
    """One agency's periodic report on one task: percent, narrative and evidence."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="reports", verbose_name=_("nhiệm vụ")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="progress_reports", verbose_name=_("cơ quan")
    )
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    narrative = models.TextField(_("kết quả thực hiện"), blank=True)
    evidence = models.TextField(_("minh chứng"), blank=True)
    reported_on = models.DateField(_("ngày báo cáo"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.task.code} — {self.agency} — {self.percent}%"


class ProgressRequest(models.Model):
    """The coordinator asks every agency with open tasks in an annual plan to report its
    progress for a period (a quarter, six months…) by a due date."""

    plan = models.ForeignKey(
        AnnualPlan,
        on_delete=models.CASCADE,
        related_name="progress_requests",
        verbose_name=_("kế hoạch"),
    )
    label = models.CharField(_("kỳ báo cáo"), max_length=100)
    first_day = models.DateField(_("từ ngày"))
    last_day = models.DateField(_("đến ngày"))
    due_on = models.DateField(_("hạn báo cáo"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("yêu cầu báo cáo tiến độ")
        verbose_name_plural = _("yêu cầu báo cáo tiến độ")
        ordering = ["-first_day", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "first_day", "last_day"], name="one_progress_request_per_period"
            )
        ]

    def __str__(self) -> str:
        return self.label
