"""The public pages, feeds, sitemap, PDF and audio as a client sees them; staff pages."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from tests.portal.conftest import ARTICLE_TITLE, Editors, Portal, write

from phoihop.cases import services as cases
from phoihop.cases.models import Issue
from phoihop.portal import selectors, services
from phoihop.portal.models import Article

pytestmark = pytest.mark.django_db


def test_home_links_articles_answers_and_the_feedback_form(portal: Portal) -> None:
    page = Client().get("/").content.decode()
    assert portal.article.get_absolute_url() in page
    assert f"/tra-loi/{portal.issue.pk}/" in page
    assert 'href="/phan-anh/"' in page and 'href="/tra-cuu/"' in page
    assert page.index('class="skip-link"') < page.index("<header")
    # feed readers find every category's feed from the home page, and each feed answers
    feeds = re.findall(
        r'<link rel="alternate" type="application/rss\+xml" [^>]*href="([^"]+)"', page
    )
    assert len(feeds) == len(Article.Category.values)
    for feed in feeds:
        assert Client().get(feed)["Content-Type"].startswith("application/rss+xml")


def test_article_page_has_open_graph_and_sanitises_again_on_render(portal: Portal) -> None:
    # A row written around the services (e.g. by a migration) is still cleaned on render.
    Article.objects.filter(pk=portal.article.pk).update(
        body='<p>Nội dung</p><script>alert("x")</script><img src=x onerror=alert(1)>'
    )
    response = Client().get(portal.article.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<meta property="og:title" content="{ARTICLE_TITLE}">' in page
    assert 'property="og:url" content="http://testserver/bai-viet/' in page
    assert 'alert("x")' not in page and "onerror" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_rebuttal_page_carries_claim_review_json_ld(portal: Portal) -> None:
    page = Client().get(portal.rebuttal.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == portal.rebuttal.claim
    assert data["reviewRating"]["alternateName"] == "Sai sự thật"
    assert data["author"] == {
        "@type": "Organization",
        "name": portal.rebuttal.source_name,
        "url": "http://testserver/",
    }
    assert data["itemReviewed"]["appearance"][0]["url"] == "https://example.org/bai-dang"
    assert data["datePublished"]
    plain = Client().get(portal.article.get_absolute_url()).content.decode()
    assert "application/ld+json" not in plain


def test_drafts_and_withdrawn_articles_are_not_public(portal: Portal) -> None:
    world = portal.world
    services.article_withdraw(article=portal.article, by=world.coordinator, reason="Cũ")
    assert Client().get(portal.article.get_absolute_url()).status_code == 404
    assert Client().get(portal.article.get_absolute_url() + "pdf/").status_code == 404


def test_withdrawal_shows_at_once_despite_the_page_cache(
    portal: Portal, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    assert client.get(portal.article.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(article=portal.article, by=portal.world.coordinator, reason="Cũ")
    assert client.get(portal.article.get_absolute_url()).status_code == 404


def test_a_published_answer_shows_on_the_cached_home_page_at_once(
    portal: Portal, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world = portal.world
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    issue = cases.issue_create(
        by=world.coordinator,
        title="Đề nghị sửa đèn chiếu sáng đường Bắc Sơn",
        visibility=Issue.Visibility.PUBLIC,
    )
    cases.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    lead = cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    cases.assignment_accept(assignment=lead, by=world.handler)
    answer = "Đã thay bóng đèn trong tháng 6."
    cases.assignment_respond(assignment=lead, by=world.handler, text=answer)
    cases.issue_answer(issue=issue, by=world.leader, text=answer)
    client = Client()
    assert issue.title not in client.get("/").content.decode()
    # The page is really served from the cache: a change behind the services' back is not seen.
    Article.objects.filter(pk=portal.article.pk).update(title="Tiêu đề đổi ngầm")
    assert "Tiêu đề đổi ngầm" not in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        cases.issue_publish(issue=issue, by=world.coordinator)
    assert issue.title in client.get("/").content.decode()


def test_category_page_and_feeds(portal: Portal) -> None:
    client = Client()
    page = client.get("/chuyen-muc/giai-thich-chinh-sach/").content.decode()
    assert ARTICLE_TITLE in page and 'type="application/rss+xml"' in page
    rss = client.get("/chuyen-muc/giai-thich-chinh-sach/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert ARTICLE_TITLE in rss.content.decode()
    atom = client.get("/chuyen-muc/giai-thich-chinh-sach/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert ARTICLE_TITLE in atom.content.decode()
    assert client.get("/chuyen-muc/khong-co/rss/").status_code == 404
    assert client.get("/chuyen-muc/khong-co/").status_code == 404


def test_sitemap_lists_articles_and_answers(portal: Portal) -> None:
    response = Client().get("/sitemap.xml")
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/xml")
    assert f"<loc>http://testserver{portal.article.get_absolute_url()}</loc>" in body
    assert f"<loc>http://testserver/tra-loi/{portal.issue.pk}/</loc>" in body


def test_pdf_has_the_title_with_diacritics_date_and_source(portal: Portal, tmp_path: Path) -> None:
    response = Client().get(portal.article.get_absolute_url() + "pdf/")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "bai.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert ARTICLE_TITLE in text
    assert portal.article.source_name in text
    assert re.search(r"Ngày đăng: \d{2}/\d{2}/\d{4}", text)


def test_rebuttal_pdf_keeps_the_verdict_and_where_the_claim_appeared(
    portal: Portal, tmp_path: Path
) -> None:
    response = Client().get(portal.rebuttal.get_absolute_url() + "pdf/")
    pdf = tmp_path / "phan-bac.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    # under the same words as the web page
    assert "Đánh giá: Sai sự thật" in text
    assert f"Xuất hiện tại: {portal.rebuttal.claim_source}" in text
    assert f"Thông tin sai: {portal.rebuttal.claim}" in text


def test_answer_page_pdf_and_audio(portal: Portal) -> None:
    client = Client()
    page = client.get(f"/tra-loi/{portal.issue.pk}/").content.decode()
    assert portal.issue.answer in page and portal.world.dept.name in page
    assert client.get(f"/tra-loi/{portal.issue.pk}/pdf/").status_code == 200
    assert client.get(f"/tra-loi/{portal.issue.pk}/doc.wav")["Content-Type"] == "audio/wav"


def test_audio_supports_ranges_for_seeking(portal: Portal) -> None:
    url = portal.article.get_absolute_url() + "doc.wav"
    full = Client().get(url)
    size = int(full["Content-Length"])
    assert full["Accept-Ranges"] == "bytes"
    part = Client().get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{size}"
    assert len(b"".join(part.streaming_content)) == 100  # type: ignore[attr-defined]
    assert Client().get(url, HTTP_RANGE=f"bytes={size + 10}-").status_code == 416


def test_without_an_engine_the_browser_reads_aloud(portal: Portal, settings: Any) -> None:
    settings.PORTAL_TTS_COMMAND = "off"
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    page = Client().get(portal.article.get_absolute_url()).content.decode()
    assert 'data-engine="browser"' in page and "doc.wav" not in page
    assert Client().get(portal.article.get_absolute_url() + "doc.wav").status_code == 503


def test_print_link_works_without_javascript(portal: Portal) -> None:
    page = Client().get(portal.article.get_absolute_url() + "?ban-in=1").content.decode()
    assert 'class="no-js print-view"' in page


def test_lookup_shows_the_answer_or_says_the_code_is_unknown(portal: Portal) -> None:
    client = Client()
    page = client.get("/tra-cuu/", {"ma": portal.code.lower()}).content.decode()
    assert "Đã có trả lời" in page and portal.issue.answer in page
    assert f'href="/tra-loi/{portal.issue.pk}/"' in page
    missing = client.get("/tra-cuu/", {"ma": "KHONG-CO"}).content.decode()
    assert "Không tìm thấy phản ánh có mã «KHONG-CO»" in missing


def test_search_page_paginates_with_the_query(portal: Portal) -> None:
    page = Client().get("/tim-kiem/", {"q": "giai phong mat bang"}).content.decode()
    assert ARTICLE_TITLE in page and "Có 1 kết quả" in page
    nothing = Client().get("/tim-kiem/", {"q": "khong co gi ca"}).content.decode()
    assert "Không tìm thấy kết quả" in nothing


def test_staff_write_submit_and_approve_through_the_pages(world: Any) -> None:
    writer = Client()
    writer.force_login(world.handler)
    assert writer.get("/quan-ly/bai-viet/them/").status_code == 200
    response = writer.post(
        "/quan-ly/bai-viet/them/",
        {
            "title": "Tin hoạt động của Sở",
            "category": Article.Category.NEWS,
            "body": "Nội dung **tin** <script>alert(1)</script>\n\n- một\n- hai",
            "source_agency": world.dept.pk,
        },
    )
    article = Article.objects.get(title="Tin hoạt động của Sở")
    assert response.status_code == 302
    assert article.body.startswith("<p>Nội dung <strong>tin</strong> &lt;script&gt;")
    assert "<ul><li>một</li><li>hai</li></ul>" in article.body
    edit = writer.get(f"/quan-ly/bai-viet/{article.pk}/sua/").content.decode()
    assert 'value="Tin hoạt động của Sở"' in edit
    assert "Nội dung **tin**" in edit and "&lt;p&gt;" not in edit  # markup, not HTML
    assert "Tin hoạt động của Sở" in writer.get("/quan-ly/bai-viet/").content.decode()
    writer.post(f"/quan-ly/bai-viet/{article.pk}/", {"action": "submit"})
    article.refresh_from_db()
    assert article.state == Article.State.PENDING
    # The writer may not approve; the coordinator may.
    page = writer.get(f"/quan-ly/bai-viet/{article.pk}/").content.decode()
    assert 'value="publish"' not in page
    editor = Client()
    editor.force_login(world.coordinator)
    editor.post(f"/quan-ly/bai-viet/{article.pk}/", {"action": "publish", "note": ""})
    article.refresh_from_db()
    assert article.state == Article.State.PUBLISHED
    assert Client().get(article.get_absolute_url()).status_code == 200


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_bans_leader_lists_opens_and_approves_a_submitted_article(
    world: Any, editors: Editors
) -> None:
    article = write(editors.coordinator, world.dept, title="Hướng dẫn tiêm chủng mở rộng")
    services.article_submit(article=article, by=editors.coordinator)
    leader = _as(editors.leader)
    listing = leader.get("/quan-ly/bai-viet/").content.decode()
    assert "Hướng dẫn tiêm chủng mở rộng" in listing and "Chưa có bài viết." not in listing
    page = leader.get(f"/quan-ly/bai-viet/{article.pk}/")
    assert page.status_code == 200
    assert 'value="publish"' in page.content.decode()
    assert 'value="send_back"' in page.content.decode()
    response = leader.post(
        f"/quan-ly/bai-viet/{article.pk}/", {"action": "publish", "note": ""}, follow=True
    )
    assert "Đã duyệt và đăng bài viết lên cổng thông tin" in response.content.decode()
    article.refresh_from_db()
    assert article.state == Article.State.PUBLISHED and article.approved_by == editors.leader


def test_a_council_coordinator_is_offered_no_approval(world: Any, editors: Editors) -> None:
    council = _as(editors.council_coordinator)
    other = write(editors.coordinator, world.dept)
    services.article_submit(article=other, by=editors.coordinator)
    assert council.get(f"/quan-ly/bai-viet/{other.pk}/").status_code == 403
    response = council.post(f"/quan-ly/bai-viet/{other.pk}/", {"action": "publish"})
    assert response.status_code == 403
    own = write(editors.council_coordinator, world.dept, title="Kết quả giám sát")
    services.article_submit(article=own, by=editors.council_coordinator)
    page = council.get(f"/quan-ly/bai-viet/{own.pk}/").content.decode()
    assert 'value="publish"' not in page and 'value="send_back"' not in page
    assert "Bài viết đang chờ cán bộ điều phối hoặc lãnh đạo Ban Tuyên giáo" in page


def test_sending_for_approval_says_so_and_the_note_field_fits_the_state(
    world: Any, editors: Editors
) -> None:
    article = write(editors.coordinator, world.dept)
    response = _as(editors.coordinator).post(
        f"/quan-ly/bai-viet/{article.pk}/", {"action": "submit"}, follow=True
    )
    assert "Đã gửi bài viết chờ duyệt" in response.content.decode()
    pending = _as(editors.leader).get(f"/quan-ly/bai-viet/{article.pk}/").content.decode()
    assert "Ý kiến duyệt (bắt buộc khi trả lại người viết)" in pending
    assert "lý do gỡ" not in pending.lower()
    article.refresh_from_db()
    services.article_publish(article=article, by=editors.leader)
    published = _as(editors.leader).get(f"/quan-ly/bai-viet/{article.pk}/").content.decode()
    assert "Lý do gỡ bài" in published and "Ý kiến duyệt (bắt buộc" not in published


def test_who_writes_for_one_agency_finds_it_chosen(world: Any) -> None:
    writer = Client()
    writer.force_login(world.handler)  # a handler of one department
    page = writer.get("/quan-ly/bai-viet/them/").content.decode()
    assert f'<option value="{world.dept.pk}" selected>' in page
    editor = Client()
    editor.force_login(world.coordinator)  # editors write for any agency: none chosen
    select = editor.get("/quan-ly/bai-viet/them/").content.decode().split('name="source_agency"')[1]
    chosen = re.findall(r'<option value="([^"]*)" selected>', select.split("</select>")[0])
    assert chosen == [""]


def test_staff_form_shows_service_errors_by_field(world: Any) -> None:
    client = Client()
    client.force_login(world.handler)
    page = client.post(
        "/quan-ly/bai-viet/them/",
        {
            "title": "Phản bác",
            "category": Article.Category.REBUTTAL,
            "body": "x",
            "source_agency": world.dept.pk,
        },
    ).content.decode()
    assert "Bài phản bác cần nêu thông tin sai và mức đánh giá." in page


def test_staff_pages_need_a_login_and_a_writing_role(world: Any) -> None:
    assert Client().get("/quan-ly/bai-viet/").status_code == 302
    viewer = Client()
    viewer.force_login(world.viewer)
    assert viewer.get("/quan-ly/bai-viet/").status_code == 403


def test_registry_rebuttal_keeps_its_frozen_claim_review(world: Any) -> None:
    article = services.article_publish_rebuttal(
        by=world.coordinator,
        key="factcheck.rebuttal:1",
        title="Thông tin sai về học phí",
        text="Không tăng học phí.",
        source_agency=world.coordinator_agency,
        claim="Học phí tăng gấp đôi",
        rating="Gây hiểu lầm",
        claim_review={"reviewBody": "Không tăng học phí.", "author": {"name": "Ban Tuyên giáo"}},
    )
    page = Client().get(article.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["reviewBody"] == "Không tăng học phí."
    assert data["author"]["name"] == "Ban Tuyên giáo" and data["author"]["url"]
    assert data["reviewRating"]["alternateName"] == "Gây hiểu lầm"
    assert data["url"] == "http://testserver" + article.get_absolute_url()


def _json_ld(article: Article) -> Any:
    page = Client().get(article.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block is not None
    return json.loads(block.group(1))


def test_claim_review_names_where_the_claim_appeared_as_a_creative_work(world: Any) -> None:
    """schema.org: firstAppearance and appearance are CreativeWorks (not strings, not an empty
    list), and reviewBody is text without raw line breaks."""
    zalo = "Nhóm Zalo cư dân phường Đông Kinh"
    article = services.article_publish_rebuttal(
        by=world.coordinator,
        key="factcheck.rebuttal:2",
        title="Thông tin sai về học phí",
        text="Không tăng học phí.\r\n\r\nPhụ huynh yên tâm.",
        source_agency=world.coordinator_agency,
        claim="Học phí tăng gấp đôi",
        rating="Sai sự thật",
        claim_source=zalo,
        claim_review={
            "reviewBody": "Không tăng học phí.\r\n\r\nPhụ huynh  yên tâm.",
            "itemReviewed": {
                "@type": "Claim",
                "appearance": [],
                "firstAppearance": zalo,
                "datePublished": "2026-11-02",
            },
        },
    )
    data = _json_ld(article)
    assert data["itemReviewed"] == {
        "@type": "Claim",
        "firstAppearance": {"@type": "CreativeWork", "name": zalo},
        "datePublished": "2026-11-02",
    }
    assert data["reviewBody"] == "Không tăng học phí. Phụ huynh yên tâm."


def test_claim_review_seen_at_a_web_address_points_to_it(portal: Portal) -> None:
    item = _json_ld(portal.rebuttal)["itemReviewed"]
    work = {"@type": "CreativeWork", "url": "https://example.org/bai-dang"}
    assert item["firstAppearance"] == work and item["appearance"] == [work]


def test_claim_review_without_a_body_uses_the_summary_or_the_start_of_the_text(
    world: Any,
) -> None:
    kwargs: dict[str, Any] = {
        "by": world.coordinator,
        "title": "Tin đồn đóng cửa chợ là sai",
        "text": "Chợ Đông Kinh vẫn mở cửa\r\nbình thường.\n\nBan quản lý chợ đã thông báo.",
        "source_agency": world.coordinator_agency,
        "claim": "Chợ Đông Kinh đóng cửa",
        "rating": "Sai sự thật",
        "claim_review": {"@type": "ClaimReview"},
    }
    plain = services.article_publish_rebuttal(key="factcheck.rebuttal:3", **kwargs)
    body = _json_ld(plain)["reviewBody"]
    assert body.startswith("Chợ Đông Kinh vẫn mở cửa bình thường. Ban quản lý")
    assert "\r" not in body and "\n" not in body
    assert "firstAppearance" not in _json_ld(plain)["itemReviewed"]
    plain.summary = "Chợ vẫn mở cửa\r\nbình thường."
    review = selectors.claim_review(article=plain, url="http://x/", site_url="http://x/")
    assert review["reviewBody"] == "Chợ vẫn mở cửa bình thường."


def test_the_portal_has_its_own_404_and_staff_paths_keep_theirs(portal: Portal) -> None:
    public = Client().get("/khong-co-trang-nay/")
    assert public.status_code == 404
    html = public.content.decode()
    assert "Không tìm thấy trang bạn cần" in html and 'href="/tra-cuu/"' in html
    assert "site-header" in html  # the portal's own header, not the workspace's
    staff = Client().get("/cong-viec/van-de/999999/khong-co/")
    assert staff.status_code in (302, 404)


def test_an_empty_search_suggests_where_else_to_look(portal: Portal) -> None:
    html = Client().get("/tim-kiem/", {"q": "zzzz không có gì"}).content.decode()
    assert "Không tìm thấy kết quả" in html
    assert 'href="/chuyen-muc/giai-dap-kien-nghi/"' in html and 'href="/phan-anh/"' in html


def test_robots_point_to_the_sitemap_and_keep_private_paths_out(portal: Portal) -> None:
    response = Client().get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/cong-viec/", "/quan-tri/", "/tra-cuu/", "/phan-hoi/", "/api/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines  # the portal itself stays open to search engines
    assert Client().get("/sitemap.xml").status_code == 200


def test_every_page_names_an_icon_that_answers(portal: Portal, world: Any) -> None:
    staff = Client()
    staff.force_login(world.handler)
    for client, url in ((Client(), "/"), (staff, "/cong-viec/")):
        page = client.get(url).content.decode()
        icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
        assert icon, url
        answer = client.get(icon.group(1))
        assert answer.status_code == 200 and b"<svg" in b"".join(answer.streaming_content)
    ico = Client().get("/favicon.ico")  # asked for beside feeds and PDFs
    assert ico["Content-Type"] == "image/x-icon"
    assert b"".join(ico.streaming_content)[:4] == b"\x00\x00\x01\x00"
