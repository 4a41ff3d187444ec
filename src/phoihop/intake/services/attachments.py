"""Files a citizen attaches to feedback: checked by their bytes, stored by digest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from phoihop.intake.files import (
    attachment_type,
)
from phoihop.intake.models import (
    Attachment,
    Signal,
)

MAX_ATTACHMENTS = 5


def max_attachment_bytes() -> int:
    return int(settings.PHOIHOP_INTAKE_MAX_ATTACHMENT_BYTES)


@dataclass(frozen=True)
class CheckedAttachment:
    upload: UploadedFile
    content_type: str
    data: bytes


def check_attachments(files: list[UploadedFile]) -> list[CheckedAttachment]:
    """Type from the bytes (PNG, JPEG, WebP, GIF, PDF), size within the limit."""
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("Chỉ được gửi tối đa %(n)s tệp.") % {"n": MAX_ATTACHMENTS}}
        )
    checked = []
    limit = max_attachment_bytes()
    for upload in files:
        name = PurePath(upload.name or "tep").name
        if (upload.size or 0) > limit:
            raise ValidationError(
                {
                    "attachments": _("Tệp «%(name)s» quá lớn; tối đa %(n)s MB mỗi tệp.")
                    % {"name": name, "n": limit // 2**20}
                }
            )
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise ValidationError(
                {
                    "attachments": _("Tệp «%(name)s» quá lớn; tối đa %(n)s MB mỗi tệp.")
                    % {"name": name, "n": limit // 2**20}
                }
            )
        content_type = attachment_type(data[:16])
        if content_type is None:
            raise ValidationError(
                {
                    "attachments": _(
                        "Tệp «%(name)s» không phải ảnh (PNG, JPEG, WebP, GIF) hoặc PDF."
                    )
                    % {"name": name}
                }
            )
        checked.append(CheckedAttachment(upload, content_type, data))
    return checked


_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


def attachments_store(*, signal: Signal, files: list[CheckedAttachment]) -> None:
    """Keep the checked files with the signal, each under the digest of its bytes."""
    for item in files:
        digest = hashlib.sha256(item.data).hexdigest()
        attachment = Attachment(
            signal=signal,
            original_name=PurePath(item.upload.name or "tep").name[:255],
            content_type=item.content_type,
            size=len(item.data),
            sha256=digest,
        )
        attachment.file.save(
            f"{digest[:24]}.{_EXTENSIONS[item.content_type]}", ContentFile(item.data), save=False
        )
        attachment.save()
