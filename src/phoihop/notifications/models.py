"""What staff are told (the bell), what each person chose (the digest), and every message
that leaves phoihop (the outbox: what, to whom, when, result)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One event told to one staff member: the bell counts the unread ones."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Được giao xử lý")
        RETURNED = "returned", _("Cơ quan trả lại vấn đề")
        AWAITING_APPROVAL = "awaiting_approval", _("Dự thảo trả lời chờ duyệt")
        ANSWERED = "answered", _("Đã có trả lời chính thức")
        PUBLISHED = "published", _("Trả lời đã công khai")
        DUE_SOON = "due_soon", _("Sắp đến hạn")
        OVERDUE = "overdue", _("Quá hạn")
        REOPENED = "reopened", _("Người dân báo chưa được giải quyết")
        MENTIONED = "mentioned", _("Dự án trọng điểm được nhắc đến")
        EXTENSION_REQUESTED = "extension_requested", _("Đề nghị gia hạn chờ duyệt")
        EXTENSION_DECIDED = "extension_decided", _("Kết quả duyệt gia hạn")
        PROGRESS_REQUESTED = "progress_requested", _("Yêu cầu báo cáo tiến độ")
        ARTICLE_SUBMITTED = "article_submitted", _("Bài viết chờ duyệt đăng")
        ARTICLE_PUBLISHED = "article_published", _("Bài viết đã được duyệt và đăng")
        ARTICLE_SENT_BACK = "article_sent_back", _("Bài viết bị trả lại để sửa")
        ARTICLE_WITHDRAWN = "article_withdrawn", _("Bài viết bị gỡ khỏi cổng thông tin")
        REBUTTAL_TO_CONFIRM = "rebuttal_to_confirm", _("Bài phản bác chờ xác nhận thông tin")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    text = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    # One notification per person per event, however often the event is announced.
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_event")
        ]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"
            )
        ]

    def __str__(self) -> str:
        return self.text


class Preference(models.Model):
    """A staff member's choice: the daily digest email at 07:00 (off unless they opt in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    daily_digest = models.BooleanField(_("nhận thư tổng hợp hằng ngày"), default=False)
    last_digest_at = models.DateTimeField(_("thư tổng hợp gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("tùy chọn thông báo")
        verbose_name_plural = _("tùy chọn thông báo")

    def __str__(self) -> str:
        return str(self.user)


class Delivery(models.Model):
    """One message to one address on one channel, and what became of it."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")
        ZALO = "zalo", _("Zalo OA")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")
        SKIPPED = "skipped", _("Không gửi (kênh chưa cấu hình)")

    class Purpose(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("Xác nhận tiếp nhận phản ánh")
        ANSWER = "answer", _("Trả lời phản ánh")
        DIGEST = "digest", _("Thư tổng hợp hằng ngày")
        BENCH = "bench", _("Thử tải")

    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254, db_index=True)
    purpose = models.CharField(_("mục đích"), max_length=20, choices=Purpose.choices)
    subject = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    text = models.TextField(_("nội dung"))
    html = models.TextField(_("nội dung HTML"), blank=True)
    # What the message is about, for staff reading the log: «PA-7K3M-9XQ2», «VD-2026-00012».
    about = models.CharField(_("liên quan"), max_length=100, blank=True)
    # The same message is never queued twice (an event announced again, a hook re-run).
    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        _("kết quả"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    provider_id = models.CharField(_("mã ở nhà cung cấp"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # Not before this moment: the next retry, or the recipient's rate limit.
    due_at = models.DateTimeField(_("gửi từ"), db_index=True)
    # A worker took it at this moment; a claim older than the lease is taken over.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư, tin nhắn đã gửi")
        verbose_name_plural = _("thư, tin nhắn đã gửi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="delivery_waiting"),
            models.Index(fields=["recipient", "sent_at"], name="delivery_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.text[:60]}"
