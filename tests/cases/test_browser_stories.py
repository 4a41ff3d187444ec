"""The whole loop in Debian's Chromium (vi-VN), one story per role: a citizen writes in, the
coordinator accepts the proposal and makes the issue public, the handler answers with the
signed letter, the leader approves the prefilled answer, the coordinator publishes, the
citizen reads the answer; and an agency returns work that the coordinator re-routes.
Every story keeps screenshots under artifacts/stories/, and fails on a 5xx from the server
or an error in the browser console. axe checks the staff pages."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from tests.portal.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, small_tap_targets

from phoihop.cases import services as cases
from phoihop.cases.models import Issue, Response
from phoihop.core.models import Agency, Field, RoutingEntry
from phoihop.core.places import places_load
from phoihop.intake.models import Signal
from phoihop.triaging import runtime
from phoihop.triaging import services as triaging

pytestmark = pytest.mark.django_db(transaction=True)

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "stories"
PASSWORD = "mat-khau-thu"
LANG_SON = 20
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COMPLAINT = "Cống thoát nước trước nhà văn hóa khối 5 phường Đông Kinh bị tắc, nước tràn lên đường."
ANSWER = "Sở đã chỉ đạo nạo vét cống thoát nước khối 5 xong ngày 28/11/2026."


class ServerErrors(logging.Handler):
    """Collects what Django logs for requests that ended in a 5xx."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "status_code", 500) >= 500:
            self.records.append(record.getMessage())


@pytest.fixture
def server_errors() -> Iterator[ServerErrors]:
    handler = ServerErrors()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    assert handler.records == [], handler.records


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `bash scripts/system-deps.sh` as root.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _settings(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PHOIHOP_INTAKE_MIN_FILL_SECONDS = 0


@pytest.fixture
def province(world: Any) -> Any:
    places_load(province_code=LANG_SON)
    RoutingEntry.objects.create(field=world.field, agency=world.dept)
    Field.objects.create(code="tu_phap", name="Tư pháp")
    runtime.forget()
    return world


class Role:
    """One person's browser: their own context, console errors and screenshots."""

    def __init__(
        self, browser: Browser, live_url: str, name: str, color_scheme: Any = "light"
    ) -> None:
        self.context: BrowserContext = browser.new_context(
            locale="vi-VN",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
            color_scheme=color_scheme,
        )
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.url = live_url
        self.name = name
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "response",
            lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
        )
        self.shots = 0

    def go(self, path: str) -> Page:
        response = self.page.goto(self.url + path)
        assert response is not None and response.status < 400, f"{path}: {response}"
        return self.page

    def login(self, username: str) -> None:
        self.go("/dang-nhap/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")

    def shot(self, label: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        path = ARTIFACTS / f"{self.name}-{self.shots:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], f"{self.name}: {self.errors}"


def _buttons_fit_a_thumb(page: Page) -> None:
    """Citizens mostly write from phones: on a 390 px screen each control of the page (the
    menu's links, the search, the toolbar, buttons, fields, a radio's or checkbox's label) is
    44 px tall at least; the page is then shown at its desktop size again."""
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        assert small_tap_targets(page) == []
    finally:
        toggle = page.locator("#menu-toggle")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "true":
            toggle.click()
        if desktop:
            page.set_viewport_size(desktop)


def _citizen_writes_in(browser: Browser, url: str) -> str:
    citizen = Role(browser, url, "cong-dan")
    page = citizen.go("/phan-anh/")
    page.fill("textarea[name=content]", COMPLAINT)
    page.select_option("select[name=place]", label="Phường Đông Kinh")
    citizen.shot("phan-anh")
    _buttons_fit_a_thumb(page)
    with page.expect_navigation():
        page.click("button:has-text('Gửi phản ánh')")
    code = page.locator(".tracking-code").inner_text().strip()
    assert re.fullmatch(r"PA-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    _buttons_fit_a_thumb(page)  # «Sao chép mã», «In mã tra cứu»
    citizen.shot("da-gui")
    page = citizen.go(f"/tra-cuu/?ma={code}")
    assert "Đã tiếp nhận" in page.locator("#ket-qua").inner_text()
    citizen.shot("tra-cuu-moi")
    citizen.close()
    return code


def test_the_whole_loop_role_by_role(
    live_server: Any, province: Any, browser: Browser, server_errors: ServerErrors
) -> None:
    world = province
    url = live_server.url

    # Citizen: submit, get a tracking code, look it up.
    code = _citizen_writes_in(browser, url)
    signal = Signal.objects.get(tracking_code=code)
    triaging.triage_signals(signal_ids=[signal.pk])  # what the background worker does

    # Coordinator: accept the proposal on the signal page, correct the issue (public).
    coordinator = Role(browser, url, "dieu-phoi")
    coordinator.login(world.coordinator.username)
    page = coordinator.go(f"/cong-viec/tiep-nhan/{signal.pk}/")
    assert "Đề xuất phân loại" in page.content()
    coordinator.shot("tin-hieu")
    with page.expect_navigation():
        page.click("form[action$='/de-xuat/chap-nhan/'] button")
    signal.refresh_from_db()
    issue = signal.issue
    assert issue is not None
    page = coordinator.go(f"/cong-viec/van-de/{issue.pk}/")
    if issue.state == Issue.State.RECEIVED:  # the engine proposed no field: classify here
        page.select_option("#form-classify select[name=field]", str(world.field.pk))
        with page.expect_navigation():
            page.click("#form-classify button[type=submit]")
        issue.refresh_from_db()
    if issue.state == Issue.State.CLASSIFIED:  # no routing rule matched: assign by hand
        page.locator("#form-assign .picker-search").fill("nong nghiep")
        page.select_option("#form-assign select[name=agency]", str(world.dept.pk))
        with page.expect_navigation():
            page.click("#form-assign button[type=submit]")
        assert "Đã giao xử lý." in page.content()
    page = coordinator.go(f"/cong-viec/van-de/{issue.pk}/")
    page.click("text=Sửa thông tin vấn đề")
    page.fill("#form-edit input[name=short_title]", "Cống tắc khối 5")
    page.select_option("#form-edit select[name=visibility]", "public")
    coordinator.shot("sua-thong-tin")
    with page.expect_navigation():
        page.click("#form-edit button[type=submit]")
    assert "Đã sửa thông tin vấn đề." in page.content()
    issue.refresh_from_db()
    assert issue.visibility == Issue.Visibility.PUBLIC and issue.state == Issue.State.ASSIGNED

    # Handler: accept and respond with the signed letter as PDF.
    handler = Role(browser, url, "xu-ly")
    handler.login(world.handler.username)
    page = handler.go("/cong-viec/")
    assert issue.code in page.content()
    handler.shot("viec-cua-toi")
    page = handler.go(f"/cong-viec/van-de/{issue.pk}/")
    letter = ARTIFACTS / "cong-van.pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    letter.write_bytes(PDF)
    page.fill("textarea[name$='-text']", ANSWER)
    page.set_input_files("input[type=file][name$='-attachment']", str(letter))
    handler.shot("gui-y-kien")
    with page.expect_navigation():
        page.click("form[enctype='multipart/form-data'] button[type=submit]")
    assert "cong-van.pdf" in page.content()
    handler.shot("da-gui-y-kien")
    handler.close()
    assert Response.objects.get().attachment_name == "cong-van.pdf"

    # Leader: «Chờ duyệt» first; the answer is prefilled; approve it.
    leader = Role(browser, url, "lanh-dao")
    leader.login(world.leader.username)
    page = leader.go("/cong-viec/")
    assert page.locator("main h2").first.inner_text().startswith("Chờ duyệt trả lời")
    leader.shot("cho-duyet")
    with page.expect_navigation():
        page.click(f"main a:has-text('{issue.code}')")
    assert page.input_value("#form-answer textarea[name=text]").strip() == ANSWER
    with page.expect_download() as download:
        page.click("a:has-text('cong-van.pdf')")
    assert Path(download.value.path()).read_bytes() == PDF
    leader.shot("duyet")
    with page.expect_navigation():
        page.click("#form-answer button[type=submit]")
    assert "Đã duyệt trả lời chính thức." in page.content()
    leader.close()

    # Coordinator: the answer waits for publication; publish with confirmation.
    page = coordinator.go("/cong-viec/")
    assert "Trả lời chờ đăng công khai" in page.content()
    page = coordinator.go(f"/cong-viec/van-de/{issue.pk}/")
    assert page.locator("#form-publish .preview").inner_text().find(ANSWER) >= 0
    # a public answer is published before closing: no close button yet
    assert page.locator("#form-close").count() == 0
    coordinator.shot("dang-cong-khai")
    page.click("#form-publish button[type=submit]")  # not confirmed: the browser asks first
    confirm = page.locator("#form-publish input[name=confirm]")
    assert confirm.evaluate("e => e.validity.valueMissing")
    issue.refresh_from_db()
    assert issue.state == Issue.State.ANSWERED
    confirm.check()
    with page.expect_navigation():
        page.click("#form-publish button[type=submit]")
    with page.expect_navigation():
        page.click("#public-link")
    assert ANSWER in page.locator("main").inner_text()
    coordinator.shot("trang-cong-khai")
    coordinator.close()

    # Citizen: the look-up shows the published answer.
    citizen = Role(browser, url, "cong-dan-tra-cuu")
    page = citizen.go(f"/tra-cuu/?ma={code}")
    assert "Đã có trả lời" in page.locator("#ket-qua").inner_text()
    assert ANSWER in page.locator("#ket-qua").inner_text()
    citizen.shot("co-tra-loi")
    citizen.close()


def test_an_agency_returns_the_work_and_the_coordinator_reroutes_it(
    live_server: Any, province: Any, browser: Browser, server_errors: ServerErrors
) -> None:
    world = province
    issue = cases.issue_create(by=world.coordinator, title="Tranh chấp đất giữa hai hộ")
    cases.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    commune = Agency.objects.create(
        code="ubnd-dong-kinh", name="UBND Phường Đông Kinh", kind=Agency.Kind.COMMUNE
    )

    handler = Role(browser, live_server.url, "tra-lai")
    handler.login(world.handler.username)
    page = handler.go(f"/cong-viec/van-de/{issue.pk}/")
    page.click("text=Trả lại vì không thuộc thẩm quyền")
    page.fill("textarea[name$='-reason']", "Tranh chấp đất đai giữa hộ gia đình: hòa giải ở cơ sở.")
    handler.shot("tra-lai")
    with page.expect_navigation():
        page.click("form[action$='/return/'] button[type=submit]")
    handler.close()

    coordinator = Role(browser, live_server.url, "giao-lai")
    coordinator.login(world.coordinator.username)
    page = coordinator.go("/cong-viec/")
    section = page.locator("section.queue", has_text="Bị trả lại, chờ giao lại")
    assert "hòa giải ở cơ sở" in section.inner_text()
    coordinator.shot("hop-thu")
    with page.expect_navigation():
        section.locator("a").first.click()
    search = page.locator("#form-assign .picker-search")
    search.fill("dong kinh")  # without diacritics
    options = page.locator("#form-assign select[name=agency] option:not([hidden])")
    assert [o.strip() for o in options.all_inner_texts() if o.strip()][-1] == commune.name
    page.select_option("#form-assign select[name=agency]", str(commune.pk))
    page.fill("#form-assign input[name=deadline]", _next_saturday())
    assert page.locator("#form-assign button.pick-date").is_visible()
    assert "ngày nghỉ" in page.locator("#form-assign .deadline-note").inner_text()
    coordinator.shot("giao-lai-ngay-nghi")
    with page.expect_navigation():
        page.click("#form-assign button[type=submit]")
    assert "là ngày nghỉ" in page.content()  # the server asks to confirm, answering 400
    coordinator.errors = [e for e in coordinator.errors if "status of 400" not in e]
    page.check("#form-assign input[name=keep_non_working]")
    with page.expect_navigation():
        page.click("#form-assign button[type=submit]")
    assert "Đã giao xử lý." in page.content()
    coordinator.shot("da-giao-lai")
    coordinator.close()
    issue.refresh_from_db()
    lead = issue.lead_assignment
    assert lead is not None and lead.agency == commune


def _next_saturday() -> str:
    today = timezone.localdate()
    return (today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)).strftime("%d/%m/%Y")


STAFF_PAGES = {
    "inbox": lambda w: "/cong-viec/",
    "issue": lambda w: f"/cong-viec/van-de/{w.issue.pk}/",
    "signal": lambda w: f"/cong-viec/tiep-nhan/{w.signal.pk}/",
    "dashboard": lambda w: "/cong-viec/bao-cao/",
    "import": lambda w: "/cong-viec/tiep-nhan/nhap/",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])  # dark: the system asks for night
def test_staff_pages_have_no_serious_accessibility_violations(
    live_server: Any, province: Any, browser: Browser, server_errors: ServerErrors, scheme: str
) -> None:
    world = province
    signal = Signal.objects.create(
        channel=Signal.Channel.FEEDBACK,
        source="phan-anh",
        raw_text=COMPLAINT,
        text=COMPLAINT,
        content_hash="x" * 64,
        metadata={"via": "web", "place_text": "Phường Đông Kinh", "name": "Nguyễn Văn A"},
    )
    triaging.triage_signals(signal_ids=[signal.pk])
    issue = cases.issue_create(by=world.coordinator, title="Đường ngập", visibility="public")
    cases.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    world.issue, world.signal = issue, signal
    coordinator = Role(browser, live_server.url, f"axe-{scheme}", color_scheme=scheme)
    coordinator.login(world.coordinator.username)
    theme = coordinator.page.evaluate("() => document.documentElement.dataset.theme")
    assert theme == scheme  # the staff pages follow the system until one chooses
    axe = Axe()
    problems: list[str] = []
    for name, path in STAFF_PAGES.items():
        page = coordinator.go(path(world))
        coordinator.shot(name)
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"]][:5]
                problems.append(f"{name}: {violation['id']} {targets}")
    coordinator.close()
    assert problems == []


def test_night_mode_on_the_staff_pages_is_chosen_and_remembered(
    live_server: Any, province: Any, browser: Browser, server_errors: ServerErrors
) -> None:
    """«Chế độ ban đêm» in the top bar: dark text on a dark page is never what one gets."""
    handler = Role(browser, live_server.url, "night")
    handler.login(province.handler.username)
    page = handler.go("/cong-viec/")

    def background() -> str:
        return str(page.evaluate("() => getComputedStyle(document.body).backgroundColor"))

    day = background()
    toggle = page.get_by_role("button", name="Chế độ ban đêm")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert toggle.get_attribute("aria-pressed") == "true"
    night = background()
    assert night != day and sum(map(int, re.findall(r"\d+", night)[:3])) < 120  # dark
    handler.shot("staff-night")
    page.reload()  # remembered, under the key the portal's toggle uses too
    assert page.evaluate("() => localStorage.getItem('phoihop.theme')") == "dark"
    assert background() == night
    page.get_by_role("button", name="Chế độ ban đêm").click()
    assert background() == day
    handler.close()
