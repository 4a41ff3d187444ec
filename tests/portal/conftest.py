"""Portal fixtures: published content built through the services, and one Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from tests.factories import AgencyFactory, member

from phoihop.cases import services as cases
from phoihop.cases.models import Issue
from phoihop.core.models import Agency, Membership, User
from phoihop.intake.models import Signal
from phoihop.portal import services
from phoihop.portal.models import Article
from phoihop.triage.normalize import content_hash

# The sync Playwright API runs an event loop in the test thread; Django's ORM refuses to
# run there unless told the access is deliberate (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "portal"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TRACKING_CODE = "PA-TEST-00042"
ARTICLE_TITLE = "Hướng dẫn chi trả tiền bồi thường giải phóng mặt bằng đường cao tốc"


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Each test starts with an empty page cache and its own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@dataclass
class Portal:
    world: Any
    article: Article
    rebuttal: Article
    issue: Issue
    code: str


def publish(article: Article, *, author: Any, approver: Any) -> Article:
    services.article_submit(article=article, by=author)
    return services.article_publish(article=article, by=approver)


@dataclass
class Editors:
    """Who approves (the Ban that runs the portal: its coordinator and its leader) and a
    coordinator of another body (the HĐND standing committee), who writes but approves nothing."""

    coordinator: User
    leader: User
    council_coordinator: User


@pytest.fixture
def editors(world: Any) -> Editors:
    council = AgencyFactory(code="hdnd", name="Thường trực HĐND tỉnh", kind=Agency.Kind.COUNCIL)
    return Editors(
        coordinator=world.coordinator,
        leader=member(world.coordinator_agency, Membership.Role.LEADER, "lanhdao.btgdv"),
        council_coordinator=member(council, Membership.Role.COORDINATOR, "hdnd"),
    )


def write(author: Any, agency: Any, title: str = "Giải thích chính sách hỗ trợ y tế") -> Article:
    """A draft article by `author` in the name of `agency`."""
    return services.article_create(
        by=author,
        title=title,
        category=Article.Category.POLICY,
        body="<p>Nội dung giải thích.</p>",
        source_agency=agency,
    )


@pytest.fixture
def portal(world: Any) -> Portal:
    """A published article, a published rebuttal, and a published public answer that a
    citizen's feedback (with a tracking code) is joined to."""
    article = services.article_create(
        by=world.handler,
        title=ARTICLE_TITLE,
        category=Article.Category.POLICY,
        summary="Người có đất bị thu hồi được chi trả trong 30 ngày.",
        body="<p>Theo Nghị quyết số 12/2025/NQ-HĐND, tiền bồi thường giải phóng mặt bằng được "
        "chi trả trong 30 ngày kể từ ngày 01/7/2025.</p><p>UBND tỉnh giao Sở Nông nghiệp và "
        "Môi trường hướng dẫn các xã, phường thực hiện.</p>"
        "<p>Người dân có thắc mắc liên hệ bộ phận một cửa của UBND xã, phường.</p>",
        source_agency=world.dept,
    )
    publish(article, author=world.handler, approver=world.coordinator)
    rebuttal = services.article_create(
        by=world.handler,
        title="Tin đồn thu hồi toàn bộ đất nông nghiệp là sai sự thật",
        category=Article.Category.REBUTTAL,
        body="<p>Không có chủ trương thu hồi toàn bộ đất nông nghiệp của xã.</p>",
        source_agency=world.dept,
        claim="Tỉnh sẽ thu hồi toàn bộ đất nông nghiệp của xã Na Sầm.",
        claim_source="https://example.org/bai-dang",
        claim_rating=Article.Rating.FALSE,
    )
    publish(rebuttal, author=world.handler, approver=world.coordinator)

    issue = cases.issue_create(
        by=world.coordinator,
        title="Đề nghị công khai kết quả xét xử vụ án lừa đảo",
        description="Bị hại đề nghị được biết kết quả xét xử.",
        visibility=Issue.Visibility.PUBLIC,
    )
    cases.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    lead = cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    cases.assignment_accept(assignment=lead, by=world.handler)
    answer = "Tòa án đã xét xử sơ thẩm; bản án đã có hiệu lực pháp luật."
    cases.assignment_respond(assignment=lead, by=world.handler, text=answer)
    cases.issue_answer(issue=issue, by=world.leader, text=answer)
    cases.issue_publish(issue=issue, by=world.coordinator)
    text = "Tôi đề nghị được biết kết quả xét xử vụ án lừa đảo."
    Signal.objects.create(
        channel=Signal.Channel.FEEDBACK,
        source="test",
        raw_text=text,
        text=text,
        content_hash=content_hash(text),
        issue=issue,
        tracking_code=TRACKING_CODE,
    )
    return Portal(world, article, rebuttal, issue, TRACKING_CODE)


# Every control a thumb taps on a public page: the menu's and the footer's links, the search,
# the reading preferences and tools, links that stand alone, buttons and form fields. A radio
# or checkbox counts by the label around it (its hit area). Links inside running text are
# exempt (WCAG 2.5.8); hidden controls (the honeypot, a folded menu) are not measured.
TAP_TARGETS = (
    ".main-nav a, .site-footer a, #menu-toggle, .site-search input, .site-search button, "
    ".prefs button, .tool, .section-head > a, a.eyebrow, .pagination a, main button, "
    "main input:not([type=hidden]), main select, main textarea"
)
PHONE = {"width": 390, "height": 844}


def small_tap_targets(page: Any) -> list[tuple[str, float]]:
    """The controls of the page (on a phone, with its menu open) under 44 px tall."""
    toggle = page.locator("#menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    found: list[tuple[str, float]] = page.eval_on_selector_all(
        TAP_TARGETS,
        """els => els
          .filter(e => e.offsetParent && !e.closest('.hp'))
          .map(e => {
            const box = (e.type === 'radio' || e.type === 'checkbox')
              ? (e.closest('label') || e) : e;
            const name = (e.tagName + ' ' + (e.textContent.trim() || e.name || e.id)).slice(0, 60);
            return [name, box.getBoundingClientRect().height];
          })""",
    )
    assert found, "no control measured"
    return [(name, height) for name, height in found if height < 44]
