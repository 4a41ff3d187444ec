"""Coordination meetings (giao ban), their decisions, and the files kept with a meeting
(minutes signed on paper, slides, photos)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import Agency
from phoihop.programme.plan_models import Programme


class Meeting(models.Model):
    """A coordination meeting (hội nghị giao ban) whose decisions become tasks."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("chương trình"),
    )
    title = models.CharField(_("tên cuộc họp"), max_length=400)
    held_on = models.DateField(_("ngày họp"))
    agenda = models.TextField(_("chương trình họp"), blank=True)
    attendees = models.ManyToManyField(
        Agency, related_name="meetings", blank=True, verbose_name=_("cơ quan dự họp")
    )
    attendee_names = models.TextField(_("đại biểu dự họp"), blank=True)
    minutes = models.TextField(_("kết luận"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("thời điểm hủy"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)

    class Meta:
        verbose_name = _("hội nghị giao ban")
        verbose_name_plural = _("hội nghị giao ban")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """One decision (kết luận) of a meeting; it becomes a task when someone must act on it."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("cuộc họp")
    )
    text = models.TextField(_("nội dung kết luận"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kết luận giao ban")
        verbose_name_plural = _("kết luận giao ban")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]


class MeetingAttachment(models.Model):
    """A file attached to a meeting; its type was judged from its bytes, not its name."""

    meeting = models.ForeignKey(
        "programme.Meeting",
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("hội nghị giao ban"),
    )
    file = models.FileField(_("tệp"), upload_to="programme/meetings/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "programme"
        verbose_name = _("tệp kèm theo hội nghị")
        verbose_name_plural = _("tệp kèm theo hội nghị")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "sha256"], name="unique_meeting_file")
        ]

    def __str__(self) -> str:
        return self.original_name
