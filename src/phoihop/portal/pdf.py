"""Server-rendered PDF of an article or answer page (WeasyPrint, Noto fonts from Debian)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from phoihop.core import province
from phoihop.portal.sanitize import clean_html
from phoihop.portal.selectors import Document


def pdf_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "portal" / "pdf"


def render_pdf(*, document: Document, absolute_url: str) -> Path:
    """The cached PDF of `document` (keyed by its rendered HTML), made if missing."""
    html = render_to_string(
        "portal/pdf/document.html",
        {
            "doc": document,
            "body": clean_html(document.body_html),
            "absolute_url": absolute_url,
            "province": province.current(),
        },
    )
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    target = pdf_dir() / f"{key}.pdf"
    if target.exists():
        return target
    from weasyprint import HTML  # imported lazily: it loads Pango on first use

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".tmp", delete=False) as tmp:
        # Relative image paths resolve inside MEDIA_ROOT only.
        HTML(string=html, base_url=f"{Path(settings.MEDIA_ROOT).as_uri()}/").write_pdf(tmp.name)
    os.replace(tmp.name, target)
    return target
