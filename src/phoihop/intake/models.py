"""Signals: everything that arrives (petitions, feedback, news, posts, reports), stored once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
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

    class Meta:
        verbose_name = _("tín hiệu")
        verbose_name_plural = _("tín hiệu")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "content_hash"], name="signal_once_per_source"
            )
        ]

    def __str__(self) -> str:
        return (self.title or self.text)[:80]
