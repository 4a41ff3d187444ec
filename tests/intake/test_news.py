"""News feeds: RSS/Atom read from a local server, article text extracted, each stored once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from phoihop.intake import services
from phoihop.intake.models import FeedSource, Signal, TriageProposal

PARAGRAPHS = [
    "Chiều 20/11, Ủy ban nhân dân tỉnh Lạng Sơn tổ chức hội nghị đánh giá tiến độ giải phóng "
    "mặt bằng dự án đường cao tốc Đồng Đăng - Trà Lĩnh đoạn qua địa bàn tỉnh.",
    "Theo báo cáo, đến nay đã bàn giao 92% diện tích mặt bằng; còn một số hộ dân chưa đồng "
    "thuận với phương án bồi thường do giá đất tái định cư chưa phù hợp.",
    "Phát biểu chỉ đạo, lãnh đạo tỉnh yêu cầu các địa phương tăng cường đối thoại, giải thích "
    "chính sách cho người dân, bảo đảm quyền lợi hợp pháp và hoàn thành bàn giao trong quý IV.",
    "Hội nghị cũng thống nhất giao Sở Nông nghiệp và Môi trường rà soát lại bảng giá đất, "
    "báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12.",
]
ARTICLE = (
    "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Đẩy nhanh GPMB</title>"
    "</head><body><nav><a href='/'>Trang chủ</a> | <a href='/thoi-su'>Thời sự</a></nav>"
    "<article><h1>Đẩy nhanh giải phóng mặt bằng cao tốc</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article><footer>Báo điện tử thử nghiệm. Mọi quyền được bảo lưu.</footer></body></html>"
)
LONG = " ".join(PARAGRAPHS)


def _rss(base: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Báo thử — Thời sự</title><link>{base}/</link><description>Tin</description>
<item><title>Toàn văn trong nguồn tin</title><link>{base}/bai-1.html?utm_source=rss</link>
  <guid>bai-1</guid><pubDate>Fri, 20 Nov 2026 08:00:00 +0700</pubDate>
  <content:encoded><![CDATA[<p>{LONG}</p>]]></content:encoded></item>
<item><title>Chỉ có tóm tắt</title><link>{base}/bai-2.html</link><guid>bai-2</guid>
  <description>Lạng Sơn đẩy nhanh giải phóng mặt bằng cao tốc.</description></item>
<item><title>Trang không tồn tại</title><link>{base}/mat-tich.html</link><guid>bai-3</guid>
  <description>Tóm tắt một bài đã bị gỡ.</description></item>
</channel></rss>"""


def _atom(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom thử</title><id>urn:x</id>
<updated>2026-11-21T00:00:00Z</updated>
<entry><title>Bài Atom</title><link href="{base}/bai-2.html"/><id>urn:a1</id>
<updated>2026-11-21T00:00:00Z</updated><summary>Tóm tắt ngắn.</summary></entry>
<entry><title>Không có đường dẫn</title><id>urn:a2</id><updated>2026-11-21T00:00:00Z</updated>
<summary>Không có link.</summary></entry>
</feed>"""


class Site:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                site.hits[path] += 1
                pages = {
                    "/feed.xml": (_rss(site.base), "application/rss+xml"),
                    "/atom.xml": (_atom(site.base), "application/atom+xml"),
                    "/bai-1.html": (ARTICLE, "text/html"),
                    "/bai-2.html": (ARTICLE, "text/html"),
                }
                if path not in pages:
                    self.send_error(404)
                    return
                body, kind = pages[path]
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


def test_a_feed_is_read_and_summaries_are_completed_from_the_page(world: Any, site: Site) -> None:
    feed = services.feed_create(by=world.coordinator, name="Báo thử", url=f"{site.base}/feed.xml")
    report = services.feed_poll(feed=feed)
    assert report is not None and report.new == 3
    assert report.errors == []
    full = Signal.objects.get(url=f"{site.base}/bai-1.html")  # tracking parameters dropped
    assert full.metadata["text_from"] == "feed" and full.title == "Toàn văn trong nguồn tin"
    assert full.occurred_at is not None
    page = Signal.objects.get(url=f"{site.base}/bai-2.html")
    assert page.metadata["text_from"] == "page"
    assert "92% diện tích mặt bằng" in page.text and "Mọi quyền" not in page.text
    assert page.metadata["summary"] == "Lạng Sơn đẩy nhanh giải phóng mặt bằng cao tốc."
    gone = Signal.objects.get(url=f"{site.base}/mat-tich.html")
    assert gone.text == "Tóm tắt một bài đã bị gỡ."  # the page is gone: keep the summary
    assert any("mat-tich" in w for w in report.warnings)
    assert site.hits["/bai-2.html"] == 1

    again = services.feed_poll(feed=feed)
    assert again is not None and (again.new, again.known) == (0, 3)
    assert site.hits["/bai-2.html"] == 1  # known articles are not fetched again
    feed.refresh_from_db()
    assert feed.last_polled_at is not None and feed.last_new == 0


def test_the_same_article_from_another_feed_is_stored_once(world: Any, site: Site) -> None:
    services.import_file(
        data=_rss(site.base).encode(), filename="feed.xml", channel="news", by=None
    )
    report = services.import_file(
        data=_atom(site.base).encode(),
        filename="atom.xml",
        channel="news",
        by=None,
        only_valid=True,
    )
    assert (report.new, report.known) == (0, 1)
    assert report.errors == ["Dòng 2: bài không có đường dẫn hợp lệ"]
    assert Signal.objects.filter(channel=Signal.Channel.NEWS).count() == 3


def test_an_unreachable_feed_is_recorded_not_raised(world: Any, site: Site) -> None:
    feed = services.feed_create(by=world.coordinator, name="Hỏng", url=f"{site.base}/khong-co.rss")
    assert services.feed_poll(feed=feed) is None
    feed.refresh_from_db()
    assert "Không tải được" in feed.last_error and Signal.objects.count() == 0


def test_the_command_line_reads_a_feed_by_address(world: Any, site: Site, capsys: Any) -> None:
    call_command("import", f"{site.base}/feed.xml", channel="news")
    out = capsys.readouterr().out
    assert "Mới: 3" in out and "Đã có: 0" in out


@pytest.mark.django_db(transaction=True)
def test_feeds_are_polled_by_a_background_task(world: Any, site: Site) -> None:
    services.feed_create(by=world.coordinator, name="Báo thử", url=f"{site.base}/feed.xml")
    call_command("poll_feeds")
    assert DBTaskResult.objects.get().status == "READY"
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0, queue_name="*")
    poll = DBTaskResult.objects.get(task_path__endswith="poll_feeds")
    assert poll.status == "SUCCESSFUL"
    assert Signal.objects.filter(channel=Signal.Channel.NEWS).count() == 3
    assert FeedSource.objects.get().last_new == 3
    # The new articles were queued for triage; the worker turns them into proposals.
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0, queue_name="*")
    triage = DBTaskResult.objects.get(task_path__endswith="triage_signals")
    assert triage.status == "SUCCESSFUL"
    assert TriageProposal.objects.filter(signal__channel=Signal.Channel.NEWS).count() == 3


def test_feeds_on_internal_addresses_are_refused_by_default(
    world: Any, site: Site, settings: Any
) -> None:
    from phoihop.intake import news
    from phoihop.intake.files import FileRejected

    settings.PHOIHOP_INTAKE_FETCH_PRIVATE = False
    with pytest.raises(FileRejected, match="địa chỉ nội bộ"):
        news.fetch(f"{site.base}/feed.xml")
    with pytest.raises(FileRejected, match="địa chỉ nội bộ"):
        news.fetch("http://10.0.0.1/feed.xml")
    assert not Signal.objects.exists()
