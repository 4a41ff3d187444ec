"""Articles are written in a simple markup, never raw HTML; what reaches the page is safe."""

from __future__ import annotations

from phoihop.portal.markup import html_to_markup, markup_to_html

SOURCE = """## Chính sách hỗ trợ học phí

Nghị quyết hỗ trợ **50%** học phí cho *học sinh* vùng khó khăn, xem [toàn văn](https://langson.gov.vn/nq-15).
Áp dụng từ năm học 2026–2027.

- Mầm non
- Trung học cơ sở

1. Nộp đơn
2. Nhận hỗ trợ

> Mọi khoản hỗ trợ được niêm yết công khai."""


def test_markup_becomes_headings_paragraphs_lists_and_links() -> None:
    html = markup_to_html(SOURCE)
    assert html.startswith("<h2>Chính sách hỗ trợ học phí</h2>")
    assert "<strong>50%</strong>" in html and "<em>học sinh</em>" in html
    assert '<a href="https://langson.gov.vn/nq-15" rel="noopener noreferrer">toàn văn</a>' in html
    assert "<br>Áp dụng" in html
    assert "<ul><li>Mầm non</li><li>Trung học cơ sở</li></ul>" in html
    assert "<ol><li>Nộp đơn</li><li>Nhận hỗ trợ</li></ol>" in html
    assert "<blockquote><p>Mọi khoản" in html


def test_html_typed_in_the_markup_is_shown_as_text_and_bad_links_are_not_links() -> None:
    html = markup_to_html(
        "<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[bấm](javascript:alert(1))"
    )
    assert "<script" not in html and "<img" not in html  # shown as text, escaped
    assert "&lt;script&gt;" in html
    assert "<a" not in html


def test_a_stored_body_is_edited_again_as_the_same_markup() -> None:
    html = markup_to_html(SOURCE)
    assert html_to_markup(html) == SOURCE
    assert markup_to_html(html_to_markup(html)) == html
