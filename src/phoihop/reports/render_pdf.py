"""PDF of a document through WeasyPrint: the same layout (state, Party or joint) as the DOCX."""

from __future__ import annotations

from django.template.loader import render_to_string

from phoihop.reports.content import Document


def render_html(doc: Document) -> str:
    return render_to_string("reports/document.html", {"doc": doc})


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango

    return bytes(HTML(string=render_html(doc)).write_pdf())
