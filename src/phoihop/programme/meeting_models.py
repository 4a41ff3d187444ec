"""Files kept with a coordination meeting (minutes signed on paper, slides, photos)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
