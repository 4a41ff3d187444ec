"""The registry of false or distorted claims, where they spread, and their rebuttals."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import Agency, Field


class Claim(models.Model):
    """A false or distorted claim (thông tin sai sự thật) seen in public."""

    class Status(models.TextChoices):
        NEW = "new", _("Mới phát hiện")
        VERIFYING = "verifying", _("Đang xác minh")
        REBUTTED = "rebutted", _("Đã phản bác")
        NOT_FALSE = "not_false", _("Không sai sự thật")
        DROPPED = "dropped", _("Không xử lý")

    class Risk(models.TextChoices):
        LOW = "low", _("Thấp")
        MEDIUM = "medium", _("Trung bình")
        HIGH = "high", _("Cao")
        CRITICAL = "critical", _("Rất cao")

    OPEN_STATUSES = (Status.NEW, Status.VERIFYING)

    wording = models.TextField(_("nội dung thông tin"))
    summary = models.CharField(_("tóm tắt"), max_length=300)
    first_seen_on = models.DateField(_("phát hiện lần đầu"))
    first_seen_where = models.CharField(_("nơi phát hiện"), max_length=500, blank=True)
    risk = models.CharField(_("mức độ nguy hại"), max_length=10, choices=Risk.choices)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    status_reason = models.TextField(_("lý do"), blank=True)
    field = models.ForeignKey(
        Field,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lĩnh vực"),
    )
    # The agency that knows the facts (the court for a case, a department for a project).
    competent_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan có thẩm quyền xác minh"),
    )
    issue = models.ForeignKey(
        "cases.Issue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vấn đề"),
    )
    search_text = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thông tin sai sự thật")
        verbose_name_plural = _("thông tin sai sự thật")
        ordering = ["-first_seen_on", "-id"]

    def __str__(self) -> str:
        return self.summary


class Sighting(models.Model):
    """A signal where the claim was seen (from triage's claim matching or a person)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="sightings")
    signal = models.ForeignKey("intake.Signal", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("độ khớp"), null=True, blank=True)
    seen_at = models.DateTimeField(_("thời điểm xuất hiện"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nơi xuất hiện")
        verbose_name_plural = _("nơi xuất hiện")
        ordering = ["-seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "signal"], name="unique_claim_signal")
        ]

    def __str__(self) -> str:
        return f"{self.claim} @ {self.signal_id}"


class Rebuttal(models.Model):
    """The rebuttal of a claim: drafted by the Propaganda Department, its facts confirmed by
    the competent agency, then published; it carries everything a ClaimReview needs."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        CONFIRMED = "confirmed", _("Đã xác nhận thông tin")
        PUBLISHED = "published", _("Đã đăng")

    class Rating(models.TextChoices):
        FALSE = "Sai sự thật", _("Sai sự thật")
        DISTORTED = "Sai lệch, xuyên tạc", _("Sai lệch, xuyên tạc")
        MISLEADING = "Gây hiểu lầm", _("Gây hiểu lầm")

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="rebuttal")
    title = models.CharField(_("tiêu đề bài phản bác"), max_length=400)
    text = models.TextField(_("nội dung phản bác"))
    rating = models.CharField(_("kết luận"), max_length=40, choices=Rating.choices)
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    confirming_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan xác nhận")
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("thời điểm soạn"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    confirmation_note = models.TextField(_("ý kiến xác nhận"), blank=True)
    returned_reason = models.TextField(_("lý do đề nghị sửa"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("thời điểm đăng"), null=True, blank=True)
    # ClaimReview, frozen at publication.
    claim_text = models.TextField(_("thông tin được kiểm chứng"), blank=True)
    author_org = models.CharField(_("cơ quan phản bác"), max_length=255, blank=True)
    date_published = models.DateField(_("ngày đăng"), null=True, blank=True)
    portal_url = models.CharField(_("đường dẫn trên cổng thông tin"), max_length=500, blank=True)
    guidance = models.ForeignKey(
        "programme.Guidance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("định hướng gửi mạng lưới"),
    )

    class Meta:
        verbose_name = _("bài phản bác")
        verbose_name_plural = _("bài phản bác")

    def __str__(self) -> str:
        return self.title

    def appearances(self) -> list[dict[str, str]]:
        """Where the claim was seen: the web addresses of its sightings, oldest first, once."""
        urls = (
            self.claim.sightings.order_by("seen_at", "id")
            .values_list("signal__url", flat=True)
            .distinct()
        )
        seen: list[str] = []
        for url in urls:
            if url and url.startswith(("http://", "https://")) and url not in seen:
                seen.append(url)
        return [{"@type": "CreativeWork", "url": url} for url in seen]

    def claim_review(self) -> dict[str, Any]:
        """The schema.org ClaimReview of a published rebuttal."""
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": self.claim_text,
            "reviewRating": {"@type": "Rating", "alternateName": self.rating},
            "author": {"@type": "Organization", "name": self.author_org},
            "datePublished": self.date_published.isoformat() if self.date_published else None,
            "reviewBody": self.text,
            "itemReviewed": {
                "@type": "Claim",
                "appearance": self.appearances(),
                "firstAppearance": self.claim.first_seen_where or None,
                "datePublished": self.claim.first_seen_on.isoformat(),
            },
        }
        if self.portal_url:
            review["url"] = self.portal_url
        return review
