"""Attachments (images, PDF) are judged by their first bytes, never by their name."""

from __future__ import annotations

ATTACHMENT_TYPES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "application/pdf": (b"%PDF-",),
}


def attachment_type(head: bytes) -> str | None:
    """The content type of an attachment judged from its first bytes, or None if not allowed."""
    for content_type, magics in ATTACHMENT_TYPES.items():
        if head.startswith(magics):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None
