"""Portal content: articles (with images and attachments) and their approval states."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from phoihop.cases.models import Issue
from phoihop.core.models import Agency


class Article(models.Model):
    """A public article. Only `published` articles are visible outside the staff pages."""

    class Category(models.TextChoices):
        # Values double as URL slugs of the category pages and feeds.
        ANSWER = "giai-dap-kien-nghi", _("Giải đáp kiến nghị")
        POLICY = "giai-thich-chinh-sach", _("Giải thích chính sách, nghị quyết")
        REBUTTAL = "phan-bac-thong-tin-sai", _("Phản bác thông tin sai sự thật")
        NEWS = "tin-hoat-dong", _("Tin hoạt động")
        EXEMPLARY = "guong-dien-hinh", _("Gương điển hình")

    class State(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PENDING = "pending", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã đăng")
        WITHDRAWN = "withdrawn", _("Đã gỡ")

    class Rating(models.TextChoices):
        # schema.org ClaimReview ratings on a 1..5 scale (1 = false).
        FALSE = "false", _("Sai sự thật")
        MOSTLY_FALSE = "mostly_false", _("Sai lệch, xuyên tạc")
        MISLEADING = "misleading", _("Gây hiểu lầm")

    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True)
    category = models.CharField(
        _("chuyên mục"), max_length=40, choices=Category.choices, db_index=True
    )
    summary = models.TextField(_("tóm tắt"), blank=True)
    body = models.TextField(
        _("nội dung"), help_text=_("HTML; được làm sạch khi lưu và khi hiển thị.")
    )
    source_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="articles", verbose_name=_("cơ quan nguồn")
    )
    # The agency's name when written: the source keeps its name after a merge or rename.
    source_name = models.CharField(_("tên cơ quan nguồn"), max_length=255)
    issue = models.ForeignKey(
        Issue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("vấn đề liên quan"),
    )
    image = models.ImageField(_("ảnh minh họa"), upload_to="portal/images/", blank=True)
    image_alt = models.CharField(_("mô tả ảnh (văn bản thay thế)"), max_length=300, blank=True)
    # Rebuttals only: what is claimed, where it appeared, how it is rated (ClaimReview).
    claim = models.TextField(_("thông tin sai được phản bác"), blank=True)
    claim_source = models.CharField(_("nơi xuất hiện thông tin"), max_length=500, blank=True)
    claim_rating = models.CharField(
        _("đánh giá"), max_length=20, choices=Rating.choices, blank=True
    )
    # A ClaimReview frozen by the false-claim registry (factcheck), used as the JSON-LD base.
    claim_review = models.JSONField(_("ClaimReview"), default=dict, blank=True)
    # Set when another app publishes through the portal (e.g. "factcheck.rebuttal:12").
    external_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người viết"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    review_note = models.TextField(_("ý kiến duyệt, lý do gỡ"), blank=True)
    published_at = models.DateTimeField(_("ngày đăng"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Folded (no diacritics, lower case) text for search with or without accents.
    search_title = models.TextField(editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article", kwargs={"slug": self.slug})

    def image_url(self) -> str:
        """Where pages show the image (served by the portal, never from /media/); the stored
        name is part of it, so a replaced image is never taken from a browser's cache."""
        if not self.image:
            return ""
        name = self.image.name.rsplit("/", 1)[-1]
        return reverse("portal:article_image", kwargs={"slug": self.slug, "name": name})


class Attachment(models.Model):
    """A file attached to an article (a resolution, a decision, a form)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("bài viết")
    )
    title = models.CharField(_("tên tệp đính kèm"), max_length=300)
    file = models.FileField(_("tệp"), upload_to="portal/attachments/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title
