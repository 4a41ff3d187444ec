"""What an agency may attach to its response: an allow-list of document types, checked by
the file's own first bytes (not only its name), stored under a random name."""

from __future__ import annotations

import re
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MiB = 1024 * 1024
MAX_BYTES = 20 * MiB

# extension -> (signature at the start of the file, content type served on download)
ALLOWED: dict[str, tuple[bytes, str]] = {
    ".pdf": (b"%PDF-", "application/pdf"),
    ".docx": (
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
}


def content_type(name: str) -> str:
    return ALLOWED.get(PurePath(name).suffix.lower(), (b"", "application/octet-stream"))[1]


def clean_name(name: str) -> str:
    """The person's file name without folders or control characters, for the download."""
    base = PurePath(name.replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f\x7f\"]", "", base).strip() or "tep-dinh-kem"
    return base[-200:]


def check(upload: UploadedFile) -> tuple[str, str]:
    """(stored name, shown name) of an acceptable upload; a ValidationError naming the field
    `attachment` otherwise."""
    shown = clean_name(upload.name or "")
    suffix = PurePath(shown).suffix.lower()
    allowed = ", ".join(sorted({s.lstrip(".").upper() for s in ALLOWED} - {"JPEG"}))
    if suffix not in ALLOWED:
        raise ValidationError(
            {
                "attachment": _("Tệp «%(name)s» không được nhận; chỉ nhận %(allowed)s.")
                % {"name": shown, "allowed": allowed}
            }
        )
    if upload.size is None or upload.size == 0:
        raise ValidationError({"attachment": _("Tệp «%s» rỗng.") % shown})
    if upload.size > MAX_BYTES:
        raise ValidationError(
            {"attachment": _("Tệp «%(name)s» lớn hơn %(mb)d MB.") % {"name": shown, "mb": 20}}
        )
    signature = ALLOWED[suffix][0]
    upload.seek(0)
    head = upload.read(len(signature))
    upload.seek(0)
    if head != signature:
        raise ValidationError(
            {
                "attachment": _("Nội dung tệp «%(name)s» không phải tệp %(kind)s thật.")
                % {"name": shown, "kind": suffix.lstrip(".").upper()}
            }
        )
    return f"{uuid.uuid4().hex}{suffix}", shown
