"""PDF of a document through WeasyPrint: the same layout (state, Party or joint) as the DOCX."""

from __future__ import annotations

import functools
import shutil
import subprocess

from django.template.loader import render_to_string

from phoihop.reports.content import Document

# Decree 30/2020/NĐ-CP (Appendix I) sets Times New Roman, as the DOCX does; Liberation Serif
# has its metrics (same line breaks), Noto Serif is the last resort that always covers
# Vietnamese. Only a face that covers Vietnamese is chosen: Liberation Serif 1.x (Debian's
# fonts-liberation) lacks «ệ», «ở», «ữ»…, and a page whose accented letters come from another
# face reads as a patchwork. fonts-liberation2 (2.x) covers them.
PREFERRED = ("Times New Roman", "Liberation Serif")
LAST_RESORT = "Noto Serif"


@functools.cache
def vietnamese_families() -> frozenset[str]:
    """Font families fontconfig says cover Vietnamese (`fc-list :lang=vi`), empty when
    fontconfig's tool is not installed."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    try:
        listing = subprocess.run(  # noqa: S603 - a fixed command, no user input
            [fc_list, ":lang=vi", "family"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in listing.splitlines() for name in line.split(","))


def font_family() -> str:
    """The CSS font-family of report PDFs: the first preferred face covering Vietnamese."""
    chosen = next((f for f in PREFERRED if f in vietnamese_families()), LAST_RESORT)
    return ", ".join(f'"{name}"' for name in dict.fromkeys([chosen, LAST_RESORT])) + ", serif"


def render_html(doc: Document) -> str:
    return render_to_string("reports/document.html", {"doc": doc, "font_family": font_family()})


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango

    return bytes(HTML(string=render_html(doc)).write_pdf())
