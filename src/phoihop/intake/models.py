"""Signals: everything that arrives (petitions, feedback, news, posts, reports), stored once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.cases.models import Issue
from phoihop.core.models import AdministrativeUnit


class CouncilSession(models.Model):
    """A session (kỳ họp) of the provincial People's Council."""

    term = models.CharField(_("khóa"), max_length=20, help_text=_("ví dụ: XVII"))
    number = models.PositiveIntegerField(_("kỳ họp thứ"))
    title = models.CharField(_("tên kỳ họp"), max_length=255)
    opens_on = models.DateField(_("ngày khai mạc"), null=True, blank=True)

    class Meta:
        verbose_name = _("kỳ họp HĐND")
        verbose_name_plural = _("kỳ họp HĐND")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="unique_council_session")
        ]

    def __str__(self) -> str:
        return self.title


class VoterContactRound(models.Model):
    """A round of voter-contact meetings (đợt tiếp xúc cử tri) before or after a session."""

    name = models.CharField(_("tên đợt tiếp xúc"), max_length=255, unique=True)
    session = models.ForeignKey(
        CouncilSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("kỳ họp"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt tiếp xúc cử tri")
        verbose_name_plural = _("đợt tiếp xúc cử tri")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Signal(models.Model):
    """One thing that arrived through one channel. Unique by source and normalised content."""

    class Channel(models.TextChoices):
        PETITION = "petition", _("Kiến nghị cử tri")
        FEEDBACK = "feedback", _("Phản ánh của người dân")
        NEWS = "news", _("Báo chí")
        SOCIAL = "social", _("Mạng xã hội")
        COLLABORATOR = "collaborator", _("Cộng tác viên dư luận xã hội")
        API = "api", _("Hệ thống khác (API)")

    channel = models.CharField(_("kênh"), max_length=20, choices=Channel.choices, db_index=True)
    # Where it came from: a file name, a feed URL, a platform, a form; part of the unique key.
    source = models.CharField(_("nguồn"), max_length=500)
    external_id = models.CharField(_("mã ở nguồn"), max_length=500, blank=True)
    raw_text = models.TextField(_("nội dung gốc"))
    text = models.TextField(_("nội dung chuẩn hóa"))
    # Folded text (lower case, no diacritics) for search with or without accents.
    search_text = models.TextField(editable=False, blank=True, default="")
    content_hash = models.CharField(max_length=64)
    title = models.CharField(_("tiêu đề"), max_length=500, blank=True)
    url = models.URLField(_("đường dẫn"), max_length=2000, blank=True)
    place = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("địa bàn"),
    )
    occurred_at = models.DateTimeField(_("thời điểm phát sinh"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), auto_now_add=True, db_index=True)
    metadata = models.JSONField(_("thông tin nguồn"), default=dict, blank=True)
    round = models.ForeignKey(
        VoterContactRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("đợt tiếp xúc cử tri"),
    )
    issue = models.ForeignKey(
        Issue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("vấn đề"),
    )
    # Citizen feedback only: the code the citizen uses to follow the status.
    tracking_code = models.CharField(
        _("mã tra cứu"), max_length=20, unique=True, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    batch = models.ForeignKey(
        "ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("lần nhập"),
    )

    class Meta:
        verbose_name = _("tín hiệu")
        verbose_name_plural = _("tín hiệu")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "content_hash"], name="signal_once_per_source"
            )
        ]
        indexes = [models.Index(fields=["channel", "content_hash"], name="signal_channel_hash")]

    def __str__(self) -> str:
        return (self.title or self.text)[:80]

    @property
    def happened_at(self) -> Any:
        """When the thing happened where the source says (a petition's meeting day, a post's
        time), else when it reached us; in a query, `cases.selectors.happened_at`."""
        return self.occurred_at or self.received_at

    @property
    def happened_on_date_only(self) -> bool:
        """The source gave a day without a time: importers store such a day as local
        midnight (a petition's meeting date, a feedback file's date column)."""
        at = self.occurred_at
        if at is None:
            return False
        local = timezone.localtime(at)
        return (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)


class Attachment(models.Model):
    """A file a citizen attached to feedback; its type was checked from the bytes."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="intake/attachments/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=60)
    size = models.PositiveIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name


class ImportBatch(models.Model):
    """One uploaded file being imported; its progress and its report live here."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Chờ ghép cột")
        QUEUED = "queued", _("Đang chờ xử lý")
        CHECKING = "checking", _("Đang kiểm tra")
        WRITING = "writing", _("Đang ghi dữ liệu")
        DONE = "done", _("Hoàn thành")
        REJECTED = "rejected", _("Không nhập (tệp có lỗi)")
        FAILED = "failed", _("Lỗi hệ thống")

    channel = models.CharField(_("loại dữ liệu"), max_length=20)
    file = models.FileField(upload_to="intake/imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng"), default=0)
    round = models.ForeignKey(
        VoterContactRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="batches",
        verbose_name=_("đợt tiếp xúc cử tri"),
    )
    round_name = models.CharField(_("tên đợt tiếp xúc"), max_length=255, blank=True)
    only_valid = models.BooleanField(_("chỉ nhập các dòng hợp lệ"), default=False)
    mapping = models.JSONField(_("ghép cột"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    processed_rows = models.PositiveIntegerField(_("đã xử lý"), default=0)
    new_count = models.PositiveIntegerField(_("mới"), default=0)
    known_count = models.PositiveIntegerField(_("đã có"), default=0)
    error_count = models.PositiveIntegerField(_("dòng lỗi"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    warnings = models.JSONField(_("lưu ý"), default=list, blank=True)
    message = models.TextField(_("thông báo"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The last sign of life of the task running it (set by every progress update); a running
    # batch silent for longer than PHOIHOP_IMPORT_STALE_SECONDS lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("lần nhập dữ liệu")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.CHECKING, self.Status.WRITING)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class FeedSource(models.Model):
    """An RSS/Atom feed that staff configured; polled by a background task."""

    name = models.CharField(_("tên nguồn tin"), max_length=255)
    url = models.URLField(_("địa chỉ RSS/Atom"), max_length=2000, unique=True)
    is_active = models.BooleanField(_("đang theo dõi"), default=True)
    last_polled_at = models.DateTimeField(_("lần lấy tin gần nhất"), null=True, blank=True)
    last_new = models.PositiveIntegerField(_("số bài mới lần gần nhất"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nguồn tin báo chí")
        verbose_name_plural = _("nguồn tin báo chí")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
