"""The programme's new screens in Debian's Chromium (vi-VN): a member without a login
acknowledges guidance from their link; the leader sees it in «Việc của tôi»; the coordinator
reviews an exemplary model and corrects a key project's links."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, sync_playwright
from tests.portal.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.programme.conftest import network_of

from phoihop.intake.models import Signal
from phoihop.programme import network_services as network
from phoihop.programme import services
from phoihop.programme.models import ExemplaryModel, GuidanceRecipient, NetworkMember
from phoihop.triage.normalize import content_hash

pytestmark = pytest.mark.django_db(transaction=True)
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "programme"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `bash scripts/system-deps.sh` as root.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser: Browser, live_server: Any, client: Any, user: Any | None) -> Page:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    if user is not None:
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def test_the_network_inbox_and_projects_in_the_browser(
    prog: Any, browser: Browser, live_server: Any, client: Any
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w = prog.world
    network_of(w)
    mai = network.member_register(
        by=w.coordinator,
        full_name="Hoàng Thị Mai",
        kind=NetworkMember.Kind.PROPAGANDIST,
        agency=w.dept,
        phone="0912 345 678",
    )
    guidance = services.guidance_create(
        by=w.coordinator,
        title="Định hướng về bồi thường cao tốc Đồng Đăng – Trà Lĩnh",
        key_messages="Phương án bồi thường được niêm yết công khai tại UBND các xã.",
        valid_from=timezone.localdate(),
    )
    services.guidance_issue(by=w.coordinator, guidance=guidance)
    token = network.ack_token(GuidanceRecipient.objects.get(guidance=guidance, member=mai))

    # The member opens the link on a phone, without a login, and taps once.
    member = _page(browser, live_server, client, None)
    member.set_viewport_size({"width": 390, "height": 844})
    member.goto(f"{live_server.url}/cong-viec/chuong-trinh/dinh-huong/nhan/{token}/")
    member.get_by_role("button", name="Tôi đã nhận định hướng").click()
    member.get_by_text("Đã xác nhận tiếp nhận lúc").wait_for()
    member.screenshot(path=str(ARTIFACTS / "guidance-ack-link.png"), full_page=True)

    # The department's leader (a member with a login) finds it in «Việc của tôi».
    leader = _page(browser, live_server, client, w.leader)
    leader.goto(f"{live_server.url}/cong-viec/")
    leader.get_by_role("heading", name="Định hướng chờ xác nhận tiếp nhận").wait_for()
    leader.screenshot(path=str(ARTIFACTS / "inbox.png"), full_page=True)
    leader.get_by_role("link", name=guidance.title).click()
    leader.get_by_role("button", name="Xác nhận đã tiếp nhận định hướng").click()
    leader.get_by_text("Bạn đã xác nhận tiếp nhận lúc").wait_for()

    # The coordinator: members by unit, an exemplary model reviewed, a project corrected.
    coordinator = _page(browser, live_server, client, w.coordinator)
    coordinator.goto(f"{live_server.url}/cong-viec/chuong-trinh/mang-luoi/")
    coordinator.screenshot(path=str(ARTIFACTS / "network.png"), full_page=True)
    model = services.exemplary_create(
        by=w.handler,
        name="Tổ hòa giải thôn Bản Chu",
        kind=ExemplaryModel.Kind.COLLECTIVE,
        achievements="10 năm không có đơn thư vượt cấp.",
        proposing_agency=w.dept,
    )
    coordinator.goto(f"{live_server.url}/cong-viec/chuong-trinh/dien-hinh/{model.pk}/")
    coordinator.get_by_role("button", name="Công nhận điển hình").click()
    coordinator.get_by_text("Bài viết về điển hình").wait_for()
    coordinator.screenshot(path=str(ARTIFACTS / "exemplary.png"), full_page=True)
    project = services.project_create(
        by=w.coordinator,
        code="cao-toc",
        name="Dự án đường cao tốc Đồng Đăng – Trà Lĩnh",
        owner_agency=w.other,
        keywords="cao tốc Đồng Đăng",
    )
    text = "Dân Đồng Đăng mất đất làm cao tốc không được đồng nào"
    Signal.objects.create(
        channel=Signal.Channel.SOCIAL,
        source="thu",
        raw_text=text,
        text=text,
        content_hash=content_hash(text),
    )
    services.project_link_mentions(project=project)
    coordinator.goto(f"{live_server.url}/cong-viec/chuong-trinh/du-an/{project.pk}/")
    coordinator.get_by_role("link", name=text).wait_for()
    coordinator.screenshot(path=str(ARTIFACTS / "project.png"), full_page=True)
    coordinator.get_by_role("button", name="Bỏ gắn").click()
    coordinator.get_by_text("sẽ không được tự động gắn lại").wait_for()
    assert coordinator.get_by_role("link", name=text).count() == 0
