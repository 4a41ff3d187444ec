"""Staff list signals per channel with filters, import files on the web, and see progress."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult
from tests.factories import AssignmentFactory, IssueFactory
from tests.intake.conftest import PETITION_HEADERS, jsonl_bytes, petition_rows, posts, xlsx_bytes

from phoihop.intake import services
from phoihop.intake.files import read_rows
from phoihop.intake.headers import map_headers
from phoihop.intake.models import ImportBatch, Signal

IMMEDIATE = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "triage"],
    }
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, data: bytes, name: str, **fields: Any) -> Any:
    payload = {"file": SimpleUploadedFile(name, data, content_type=XLSX), "channel": "petitions"}
    payload.update(fields)
    return client.post("/cong-viec/tiep-nhan/nhap/", payload)


def test_coordinators_list_signals_per_channel_and_search_without_accents(
    world: Any, places: Any
) -> None:
    services.import_file(
        data=xlsx_bytes([PETITION_HEADERS, *petition_rows(3)]),
        filename="dot.xlsx",
        channel="petitions",
        by=world.coordinator,
    )
    services.import_file(
        data=jsonl_bytes(posts(2)), filename="mxh.jsonl", channel="posts", by=world.coordinator
    )
    client = _client(world.coordinator)
    page = client.get("/cong-viec/tiep-nhan/").content.decode()
    assert 'Kiến nghị cử tri <span class="count">3</span>' in page
    assert 'Mạng xã hội <span class="count">2</span>' in page
    social = client.get("/cong-viec/tiep-nhan/?channel=social").content.decode()
    assert "Đường qua xã Cao Lộc ngập sâu" in social and "liên thôn" not in social
    found = client.get("/cong-viec/tiep-nhan/?q=lien+thon+so+2").content.decode()
    assert "liên thôn số 2" in found and "liên thôn số 3" not in found
    place = places["Phường Tam Thanh"].pk
    by_place = client.get(f"/cong-viec/tiep-nhan/?place={place}").content.decode()
    assert "1 tín hiệu" in by_place
    signal = Signal.objects.get(external_id="fb_1")
    detail = client.get(f"/cong-viec/tiep-nhan/{signal.pk}/").content.decode()
    assert "Nội dung gốc" in detail and "nguoidan1" in detail


def test_other_staff_see_only_signals_behind_issues_they_can_see(world: Any) -> None:
    services.import_file(
        data=jsonl_bytes(posts(3)), filename="mxh.jsonl", channel="posts", by=world.coordinator
    )
    mine, theirs = IssueFactory(), IssueFactory()
    AssignmentFactory(issue=mine, agency=world.dept)
    AssignmentFactory(issue=theirs, agency=world.other)
    Signal.objects.filter(external_id="fb_1").update(issue=mine)
    Signal.objects.filter(external_id="fb_2").update(issue=theirs)
    page = _client(world.handler).get("/cong-viec/tiep-nhan/").content.decode()
    assert "bài số 1" in page and "bài số 2" not in page and "bài số 3" not in page
    hidden = Signal.objects.get(external_id="fb_2")
    assert _client(world.handler).get(f"/cong-viec/tiep-nhan/{hidden.pk}/").status_code == 404
    assert _client(world.handler).get("/cong-viec/tiep-nhan/nhap/").status_code == 403
    assert Client().get("/cong-viec/tiep-nhan/").status_code == 302


def test_web_import_runs_as_a_task_and_reports_counts(
    world: Any, places: Any, immediate_tasks: None
) -> None:
    client = _client(world.coordinator)
    response = _upload(client, xlsx_bytes([PETITION_HEADERS, *petition_rows(4)]), "dot 1.xlsx")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cong-viec/tiep-nhan/nhap/{batch.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Hoàn thành" in page and "Đã nhập 4 tín hiệu mới, 0 đã có từ trước." in page
    assert Signal.objects.count() == 4
    _upload(client, xlsx_bytes([PETITION_HEADERS, *petition_rows(4)]), "dot 1.xlsx")
    again = ImportBatch.objects.order_by("-id").first()
    assert again is not None and (again.new_count, again.known_count) == (0, 4)


def test_web_import_asks_to_map_unknown_headers(
    world: Any, places: Any, immediate_tasks: None
) -> None:
    client = _client(world.coordinator)
    data = xlsx_bytes([["TT", "Ý kiến của cử tri gửi tới kỳ họp", "Xã"], [1, "Đề nghị A", "x"]])
    response = _upload(client, data, "dot.xlsx")
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/cong-viec/tiep-nhan/nhap/{batch.pk}/ghep-cot/"
    page = client.get(response["Location"]).content.decode()
    assert "Ý kiến của cử tri gửi tới kỳ họp" in page
    response = client.post(response["Location"], {"col0": "stt", "col1": "content", "col2": ""})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.new_count == 1
    assert Signal.objects.get().metadata["stt"] == "1"


def test_web_import_of_a_file_with_bad_rows_offers_the_good_rows_only(
    world: Any, places: Any, immediate_tasks: None
) -> None:
    rows = petition_rows(5)
    rows[2][1] = ""
    client = _client(world.coordinator)
    _upload(client, xlsx_bytes([PETITION_HEADERS, *rows]), "dot.xlsx")
    batch = ImportBatch.objects.get()
    page = client.get(f"/cong-viec/tiep-nhan/nhap/{batch.pk}/").content.decode()
    assert "Dòng 4: thiếu nội dung kiến nghị" in page and "Chỉ nhập các dòng hợp lệ" in page
    assert Signal.objects.count() == 0
    client.post(f"/cong-viec/tiep-nhan/nhap/{batch.pk}/chi-dong-hop-le/")
    batch.refresh_from_db()
    assert (batch.status, batch.new_count, batch.error_count) == ("done", 4, 1)
    assert batch.errors == ["Dòng 4: thiếu nội dung kiến nghị"]


def test_web_import_of_a_hostile_file_is_a_message_not_a_500(
    world: Any, immediate_tasks: None
) -> None:
    client = _client(world.coordinator)
    response = _upload(client, b"PK\x03\x04 this is no workbook", "bom.xlsx")
    batch = ImportBatch.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert batch.status in ("rejected",) or "Tệp nén bị hỏng" in page
    assert "Tệp nén bị hỏng" in page
    response = _upload(client, b"", "rong.xlsx")
    assert response.status_code == 400
    assert Signal.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after each task
def test_web_import_through_the_real_database_worker(world: Any, places: Any) -> None:
    client = _client(world.coordinator)
    response = _upload(client, xlsx_bytes([PETITION_HEADERS, *petition_rows(30)]), "dot.xlsx")
    batch = ImportBatch.objects.get()
    progress = client.get(f"/cong-viec/tiep-nhan/nhap/{batch.pk}/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in progress.content.decode()  # the page polls while queued
    assert DBTaskResult.objects.get().status == "READY"
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0, queue_name="*")
    assert DBTaskResult.objects.get(task_path__endswith="run_import").status == "SUCCESSFUL"
    batch.refresh_from_db()
    assert (batch.status, batch.new_count, batch.percent) == ("done", 30, 100)
    # The imported petitions were queued for triage in bulk.
    assert DBTaskResult.objects.filter(task_path__endswith="triage_signals").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "every 2s" not in page and "Đã nhập 30 tín hiệu mới" in page


NEWS_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Báo thử</title><link>https://bao.example.vn/</link><description>Tin</description>
<item><title>Cao tốc Đồng Đăng</title><link>https://bao.example.vn/bai-1.html</link>
  <guid>bai-1</guid><pubDate>Fri, 20 Nov 2026 08:00:00 +0700</pubDate>
  <content:encoded><![CDATA[<p>{body}</p>]]></content:encoded></item>
</channel></rss>""".format(
    body="Người dân xã Đồng Đăng đề nghị công khai phương án bồi thường giải phóng mặt bằng "
    "cao tốc, vì nhiều hộ chưa nhận được tiền đền bù sau hai năm chờ đợi. " * 3
)


def test_web_import_of_a_news_file_stores_its_articles_not_a_500(
    world: Any, places: Any, immediate_tasks: None
) -> None:
    client = _client(world.coordinator)
    upload = SimpleUploadedFile("tin.xml", NEWS_FILE.encode(), content_type="application/rss+xml")
    response = client.post("/cong-viec/tiep-nhan/nhap/", {"file": upload, "channel": "news"})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cong-viec/tiep-nhan/nhap/{batch.pk}/"
    batch.refresh_from_db()
    assert (batch.status, batch.new_count) == ("done", 1)
    signal = Signal.objects.get()
    assert (
        signal.channel == Signal.Channel.NEWS and signal.url == "https://bao.example.vn/bai-1.html"
    )


def test_the_import_page_lists_accepted_headers_and_offers_a_template_that_imports_back(
    world: Any,
) -> None:
    client = _client(world.coordinator)
    page = client.get("/cong-viec/tiep-nhan/nhap/").content.decode()
    assert "Nội dung kiến nghị <strong>*</strong>" in page
    assert 'href="/cong-viec/tiep-nhan/nhap/mau/petitions.xlsx"' in page
    response = client.get("/cong-viec/tiep-nhan/nhap/mau/petitions.xlsx")
    assert response.status_code == 200
    assert "mau-kien-nghi-cu-tri.xlsx" in response["Content-Disposition"]
    _number, first = next(read_rows(data=response.content, filename="mau.xlsx"))
    found = map_headers("petitions", list(first))
    assert not found.missing("petitions") and not found.unknown
    assert client.get("/cong-viec/tiep-nhan/nhap/mau/khac.xlsx").status_code == 404
    handler = _client(world.handler)
    assert handler.get("/cong-viec/tiep-nhan/nhap/mau/feedback.xlsx").status_code == 403


def test_staff_find_a_citizens_feedback_by_its_tracking_code_typed_any_way(world: Any) -> None:
    from phoihop.intake.selectors import SignalFilters, signals_visible_to

    received = services.signals_receive(
        by=world.coordinator,
        items=[
            {"channel": Signal.Channel.FEEDBACK, "text": "Khói bụi từ trạm trộn bê tông"},
            {"channel": Signal.Channel.FEEDBACK, "text": "Đèn đường thôn Nà Pàn hỏng"},
        ],
    )
    signal = received.signals[0].signal
    code = signal.tracking_code or ""
    assert code.startswith("PA-")
    for typed in (code, code.replace("-", ""), code.lower(), code[3:7]):
        found = signals_visible_to(user=world.coordinator, filters=SignalFilters(q=typed))
        assert list(found) == [signal], typed
    page = _client(world.coordinator).get(
        "/cong-viec/tiep-nhan/", {"q": code.replace("-", "").lower()}
    )
    text = page.content.decode()
    assert "1 tín hiệu" in text and "Khói bụi từ trạm trộn bê tông" in text
    assert "Đèn đường thôn Nà Pàn" not in text


def test_a_feedbacks_source_says_how_it_came_in() -> None:
    from phoihop.intake.selectors import source_label

    assert source_label("phan-anh", {"via": "web"}) == "Phản ánh qua cổng thông tin"
    assert source_label("phan-anh", {"via": "zalo"}) == "Phản ánh qua Zalo OA"
    assert source_label("phan-anh", {"via": "api"}) == "Phản ánh qua hệ thống khác (API)"
    open311 = {"via": "api", "open311_service_code": "moi_truong"}
    assert source_label("phan-anh", open311) == "Phản ánh qua hệ thống khác (Open311)"
    # imported from a file: not said to have come through the portal
    assert source_label("phan-anh", {"name": "Nguyễn Văn A"}) == "Phản ánh của người dân"
