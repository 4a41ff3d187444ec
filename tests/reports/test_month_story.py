"""The department's month in Chromium (vi-VN): guidance is issued and acknowledged, an agency
reports a task, a meeting concludes (minutes, a conclusion turned into a task, the notice),
then the public-opinion situation report and the programme report are issued. Both are
read back from DOCX (python-docx) and PDF (pdftotext); the PDFs are rendered to PNG."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from docx import Document as read_docx
from playwright.sync_api import Browser, Page, expect, sync_playwright

from phoihop.cases.models import Issue
from phoihop.demo.core import DEMO_PASSWORD
from phoihop.demo.loader import load_demo
from phoihop.intake.models import Signal
from phoihop.programme.models import GuidanceRecipient, Meeting, Task
from phoihop.triage.normalize import content_hash

pytestmark = pytest.mark.django_db(transaction=True)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "reports" / "story"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
GUIDANCE = "Định hướng thông tin về chi trả bồi thường cao tốc tháng này"


@pytest.fixture
def month(settings: Any, tmp_path: Path) -> Iterator[Issue]:
    """The demo province, plus the matter of the month: complaints about compensation."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    load_demo()
    land = Issue.objects.get(title__startswith="Chậm chi trả tiền bồi thường")
    for n, channel in enumerate(["social", "social", "news", "social", "feedback", "news"]):
        text = f"Người dân phản ánh chậm chi trả bồi thường cao tốc, ý kiến {n}"
        Signal.objects.create(
            channel=channel,
            source="theo-doi",
            raw_text=text,
            text=text,
            content_hash=content_hash(text),
            issue=land,
            place=land.place,
        )
    yield land
    cache.clear()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `bash scripts/system-deps.sh` as root.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _as(browser: Browser, base: str, username: str) -> Page:
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    return page


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _issue_document(
    page: Page, base: str, kind: str, period: str, number: str, edit: dict[str, str]
) -> None:
    """Draft a report on the documents page, edit paragraphs, then issue it."""
    page.goto(f"{base}/cong-viec/bao-cao/van-ban/")
    page.select_option("#id_kind", kind)
    page.select_option("#id_period", period)
    page.get_by_role("button", name="Lập dự thảo").click()
    expect(page.get_by_text("Đã lập dự thảo báo cáo.")).to_be_visible()
    for key, text in edit.items():
        page.fill(f"#t-{key}", text)
    if edit:
        page.get_by_role("button", name="Lưu nội dung").click()
        expect(page.get_by_text("Đã lưu nội dung dự thảo.")).to_be_visible()
    page.fill("#id_number", number)
    page.check("#id_confirm")
    page.get_by_role("button", name="Ban hành", exact=True).click()
    expect(page.get_by_text("Đã ban hành văn bản.")).to_be_visible()


def _download(page: Page, link: str, name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    target = ARTIFACTS / name
    info.value.save_as(str(target))
    return target.read_bytes()


def _docx_text(data: bytes) -> str:
    document = read_docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _pdf_text(data: bytes, name: str) -> str:
    pdf = ARTIFACTS / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / name)], check=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def test_the_departments_month_ends_in_two_issued_reports(
    live_server: Any, month: Issue, browser: Browser
) -> None:
    base = live_server.url
    today = timezone.localdate()
    coordinator = _as(browser, base, "dieuphoi")

    # 1. The department issues guidance to the network.
    coordinator.goto(f"{base}/cong-viec/chuong-trinh/dinh-huong/moi/")
    coordinator.fill("#id_title", GUIDANCE)
    coordinator.fill("#id_key_messages", "Tỉnh chi trả dứt điểm trong tháng; thông tin chính thức.")
    coordinator.get_by_role("button", name="Lưu dự thảo").click()
    coordinator.get_by_role("button", name="Phát hành", exact=True).click()
    expect(coordinator.get_by_text("Đã phát hành định hướng tới mạng lưới.")).to_be_visible()
    guidance_url = coordinator.url

    # 2. A reporter acknowledges it.
    reporter = _as(browser, base, "xuly.nnmt")
    reporter.goto(guidance_url)
    reporter.get_by_role("button", name="Xác nhận đã tiếp nhận định hướng").click()
    assert GuidanceRecipient.objects.filter(
        guidance__title=GUIDANCE, member__user__username="xuly.nnmt", acknowledged_at__isnull=False
    ).exists()

    # 3. The agency reports its task.
    task = Task.objects.get(title__startswith="Phát hiện, tuyên truyền điển hình")
    reporter.goto(f"{base}/cong-viec/chuong-trinh/nhiem-vu/{task.pk}/")
    form = reporter.locator("form", has=reporter.get_by_role("button", name="Gửi báo cáo"))
    form.get_by_label("Cơ quan báo cáo", exact=True).select_option(label=task.lead_agency.name)
    form.get_by_label("Tiến độ (%)").fill("85")
    form.get_by_label("Kết quả thực hiện").fill("Đã giới thiệu 4 điển hình nông thôn mới.")
    form.get_by_role("button", name="Gửi báo cáo").click()
    expect(reporter.get_by_text("85%").first).to_be_visible()
    _shot(reporter, "1-task-reported")

    # 4. The meeting concludes: minutes, a conclusion becomes a task, the notice is issued.
    meeting = Meeting.objects.get()
    coordinator.goto(f"{base}/cong-viec/chuong-trinh/giao-ban/{meeting.pk}/")
    coordinator.get_by_text("Ghi biên bản…").click()
    coordinator.fill("#id_minutes", "Hội nghị nghe các cơ quan báo cáo tiến độ quý IV.")
    coordinator.get_by_role("button", name="Lưu biên bản").click()
    expect(coordinator.get_by_text("Đã lưu biên bản hội nghị.")).to_be_visible()
    open_decision = meeting.decisions.get(task__isnull=True)
    card = coordinator.locator("article", has_text=open_decision.text[:40])
    card.get_by_text("Giao thành nhiệm vụ…").click()
    card.get_by_label("Kế hoạch năm").select_option(index=1)
    card.get_by_label("Cơ quan chủ trì", exact=True).select_option(label=task.lead_agency.name)
    card.get_by_label("Thời hạn").fill((today + dt.timedelta(days=30)).strftime("%d/%m/%Y"))
    card.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(coordinator.get_by_text("Theo kết luận giao ban")).to_be_visible()
    coordinator.goto(f"{base}/cong-viec/chuong-trinh/giao-ban/{meeting.pk}/")
    coordinator.get_by_role("button", name="Lập dự thảo thông báo kết luận").click()
    coordinator.fill("#id_number", "7")
    coordinator.check("#id_confirm")
    coordinator.get_by_role("button", name="Ban hành", exact=True).click()
    expect(coordinator.get_by_text("Đã ban hành văn bản.")).to_be_visible()
    notice = _docx_text(_download(coordinator, "Tải DOCX", "notice.docx"))
    new_task = Task.objects.get(decision=open_decision)
    assert "Số 7-TB/BTGDVTU" in notice and f"Nhiệm vụ {new_task.code}" in notice

    # 5. The situation report of the month: drafted, one paragraph edited, issued.
    proposal = "1. Đề nghị Sở Nông nghiệp và Môi trường đối thoại với người dân."
    _issue_document(
        coordinator, base, "situation", today.strftime("%Y-%m"), "16", edit={"p1": proposal}
    )
    _shot(coordinator, "2-situation-issued")
    situation_docx = _docx_text(_download(coordinator, "Tải DOCX", "situation.docx"))
    situation_pdf = _pdf_text(_download(coordinator, "Tải PDF", "situation-dl.pdf"), "situation")

    # 6. The programme report of the year.
    _issue_document(coordinator, base, "programme", str(today.year), "17", edit={})
    _shot(coordinator, "3-programme-issued")
    programme_docx = _docx_text(_download(coordinator, "Tải DOCX", "programme.docx"))
    programme_pdf = _pdf_text(_download(coordinator, "Tải PDF", "programme-dl.pdf"), "programme")

    for text in (situation_docx, situation_pdf, programme_docx, programme_pdf):
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text
        assert "TỈNH ỦY LẠNG SƠN" in text and "K/T TRƯỞNG BAN" in text
    # The matters of the month, the edited paragraph, the number in the Party style.
    for text in (situation_docx, situation_pdf):
        assert "Số 16-BC/BTGDVTU" in text
        assert f"Tình hình dư luận xã hội tháng {today.month} năm {today.year}" in text
        assert month.title in text and "mạng xã hội" in text
        assert "Đề nghị Sở Nông nghiệp và Môi trường đối thoại với người dân." in text
    # The task table with percentages, the reported task and the conclusions. (In the PDF,
    # long cells wrap inside table columns, so only short cells are compared there.)
    for text in (programme_docx, programme_pdf):
        assert "Số 17-BC/BTGDVTU" in text
        assert "Danh mục nhiệm vụ và tiến độ" in text and "Tiến độ theo cơ quan" in text
        assert "85%" in text and task.code in text and new_task.code in text
    assert "85% (CT)" in programme_docx
    assert meeting.title in programme_docx and GUIDANCE in programme_docx
    assert "Đã giới thiệu" not in programme_docx  # narratives stay in the task pages
