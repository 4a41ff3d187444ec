"""The portal in Debian's Chromium: a keyboard-only reader, and axe-core in day and night."""

from __future__ import annotations

import json
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright
from tests.portal.conftest import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    Portal,
    small_tap_targets,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Collects Content-Security-Policy violations the page reports (init scripts are exempt).
CSP_PROBE = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `bash scripts/system-deps.sh` as root.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.add_init_script(CSP_PROBE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} was not reached by Tab")


def _focus_is_visible(page: Page) -> bool:
    """The focused element draws an outline (the visible focus indicator)."""
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    return bool(style[0] != "none" and style[1] != "0px")


def _csp_violations(page: Page) -> list[str]:
    return list(page.evaluate("() => window.__csp"))


def test_a_reader_uses_every_tool_by_keyboard(live_server: Any, portal: Portal, page: Page) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.emulate_media(color_scheme="light")
    page.goto(live_server.url + "/")

    # Skip link first in tab order, and it moves the focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('skip-link')")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "noi-dung"

    # From the main content, Tab reaches the article; Enter opens it.
    _tab_to(page, f"main a[href='{portal.article.get_absolute_url()}']")
    assert _focus_is_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == portal.article.title
    assert page.evaluate("() => document.documentElement.dataset.theme") == "light"
    page.screenshot(path=str(ARTIFACTS / "article-day.png"), full_page=True)

    # Night mode, by keyboard, remembered.
    _tab_to(page, "#night-toggle")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert page.get_attribute("#night-toggle", "aria-pressed") == "true"
    assert page.evaluate("() => localStorage.getItem('phoihop.theme')") == "dark"
    page.screenshot(path=str(ARTIFACTS / "article-night.png"), full_page=True)

    # Font size +A: larger text, remembered, and no horizontal scrolling.
    before = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.article-body')).fontSize)"
    )
    _tab_to(page, "#font-larger")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    after = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.article-body')).fontSize)"
    )
    assert after > before * 1.2
    page.reload()
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert page.evaluate("() => document.documentElement.dataset.font") == "2"
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    page.emulate_media(color_scheme="light")
    page.evaluate("() => localStorage.setItem('phoihop.theme', 'light')")
    page.reload()
    page.screenshot(path=str(ARTIFACTS / "article-large.png"), full_page=True)

    # Print: a plain link to the print-friendly page; the print stylesheet hides navigation.
    print_href = page.get_attribute("a[data-print]", "href")
    assert print_href == "?ban-in=1"
    page.emulate_media(media="print")
    assert not page.locator(".main-nav").is_visible()
    assert page.locator(".print-url").is_visible()
    page.screenshot(path=str(ARTIFACTS / "article-print.png"), full_page=True)
    page.emulate_media(media="screen")

    # Export PDF: a plain link; the PDF has the title with its diacritics, date and source.
    _tab_to(page, "#pdf-link")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    pdf_path = ARTIFACTS / "article.pdf"
    download_info.value.save_as(pdf_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert portal.article.title in flat
    assert "Ngày đăng:" in flat and portal.article.source_name in flat
    for old in ARTIFACTS.glob("pdf-page1*.png"):
        old.unlink()
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf_path),
            str(ARTIFACTS / "pdf-page1"),
        ],
        check=True,
    )
    assert list(ARTIFACTS.glob("pdf-page1*.png"))

    # Read aloud: the link gives playable audio of non-trivial length; the player opens.
    _tab_to(page, "#read-aloud")
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    audio = page.request.get(live_server.url + href)
    assert audio.ok and audio.headers["content-type"] == "audio/wav"
    wav_path = ARTIFACTS / "article.wav"
    wav_path.write_bytes(audio.body())
    with wave.open(str(wav_path)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    assert seconds > 5
    page.keyboard.press("Enter")
    assert page.locator("#reader-player").is_visible()
    page.wait_for_function(
        "() => document.getElementById('reader-audio').duration > 5", timeout=15_000
    )
    page.select_option("#reader-speed", "1.5")
    assert page.evaluate("() => document.getElementById('reader-audio').playbackRate") == 1.5

    # Search without diacritics finds the article.
    _tab_to(page, "#site-q")
    page.keyboard.type("giai phong mat bang")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    first = page.locator(".results li h2 a").first
    assert first.inner_text() == portal.article.title

    # The tracking-code look-up shows the published answer.
    page.goto(live_server.url + "/tra-cuu/")
    _tab_to(page, "#ma")
    page.keyboard.type(portal.code.lower())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    result = page.locator("#ket-qua").inner_text()
    assert "Đã có trả lời" in result
    assert portal.issue.answer in result
    _tab_to(page, f"a[href='/tra-loi/{portal.issue.pk}/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert portal.issue.answer in page.locator("main").inner_text()
    assert _csp_violations(page) == []


def test_rebuttal_carries_claim_review_without_csp_violations(
    live_server: Any, portal: Portal, page: Page
) -> None:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(live_server.url + portal.rebuttal.get_absolute_url())
    block = page.locator("script[type='application/ld+json']").text_content() or ""
    data = json.loads(block)
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == portal.rebuttal.claim
    assert data["reviewRating"]["ratingValue"] == 1
    assert data["author"]["name"] == portal.rebuttal.source_name
    assert _csp_violations(page) == []
    assert not [m for m in messages if "Content Security Policy" in m]
    # The probe does see violations: an inline script is refused and reported.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    page.wait_for_function("() => window.__csp.length > 0")
    assert page.evaluate("() => window.ran") is None


PAGES = {
    "home": lambda p: "/",
    "article": lambda p: p.article.get_absolute_url(),
    "search": lambda p: "/tim-kiem/?q=giai+phong+mat+bang",
    "lookup": lambda p: f"/tra-cuu/?ma={p.code}",
    "feedback": lambda p: "/phan-anh/",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violations_day_and_night(
    live_server: Any, portal: Portal, page: Page, name: str
) -> None:
    axe = Axe()
    url = live_server.url + PAGES[name](portal)
    problems: list[str] = []
    for theme in ("light", "dark"):
        page.emulate_media(color_scheme=theme)
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{url} answered {response}"
        assert page.evaluate("() => document.documentElement.dataset.theme") == theme
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"page-{name}-{theme}.png"), full_page=True)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"]][:5]
                problems.append(f"{theme}: {violation['id']} {targets}")
        assert _csp_violations(page) == []
    assert problems == []


def test_largest_text_on_a_phone_does_not_scroll_sideways(
    live_server: Any, portal: Portal, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    context.add_init_script("localStorage.setItem('phoihop.font', '3')")
    page = context.new_page()
    try:
        page.goto(live_server.url + portal.article.get_absolute_url())
        assert page.evaluate("() => document.documentElement.dataset.font") == "3"
        assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "24px"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "article-phone-largest.png"), full_page=True)
        too_wide = page.evaluate(
            "() => { const width = document.documentElement.clientWidth + 1;"
            " return [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > width)"
            ".map(e => e.tagName + '.' + e.className + '#' + e.id); }"
        )
        assert too_wide == []
    finally:
        context.close()


def test_a_menu_button_folds_the_header_on_a_narrow_phone(
    live_server: Any, portal: Portal, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        header = page.locator(".site-header")
        folded = header.bounding_box()
        assert folded is not None and folded["height"] < 200, folded
        assert not page.locator(".main-nav").is_visible()
        toggle = page.locator("#menu-toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert "Danh mục" in toggle.inner_text()
        box = toggle.bounding_box()
        assert box is not None and box["height"] >= 44, box  # a thumb's tap target
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator(".main-nav").is_visible() and page.locator("#site-q").is_visible()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "phone-menu-open.png"), full_page=True)
        toggle.click()
        assert not page.locator(".main-nav").is_visible()
        page.screenshot(path=str(ARTIFACTS / "phone-menu-closed.png"))
        # Escape closes the open menu and gives the focus back to its button.
        toggle.click()
        page.locator(".main-nav a").first.focus()
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator(".main-nav").is_visible()
        assert page.evaluate("() => document.activeElement.id") == "menu-toggle"
    finally:
        context.close()


def test_every_control_on_a_phone_is_a_thumb_s_tap_target(
    live_server: Any, portal: Portal, browser: Browser
) -> None:
    """44 px at least on a 390 px phone: the menu's sections, the search, the night mode and
    font-size buttons, the article tools, «Xem tất cả» and category links, form fields and the
    collaborator form's choices; on a desktop the header stays one compact row."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    small: dict[str, list[tuple[str, float]]] = {}
    try:
        for path in (
            "/",
            portal.article.get_absolute_url(),
            portal.rebuttal.get_absolute_url(),
            "/phan-anh/",
            "/phan-anh/cong-tac-vien/",
            "/tra-cuu/",
            "/tim-kiem/?q=dat",
            "/van-de/",
        ):
            page.goto(live_server.url + path)
            if found := small_tap_targets(page):
                small[path] = found
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.goto(live_server.url + "/phan-anh/cong-tac-vien/")
        page.screenshot(path=str(ARTIFACTS / "phone-collaborator.png"), full_page=True)
    finally:
        context.close()
    assert small == {}
    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    try:
        page = desktop.new_page()
        page.goto(live_server.url + "/")
        header = page.locator(".site-header").bounding_box()
        assert header is not None and header["height"] < 200, header
        # the menu is one line on a 1280 px screen: every entry's top is the first one's
        tops = page.eval_on_selector_all(
            ".main-nav li", "items => items.map(i => Math.round(i.getBoundingClientRect().top))"
        )
        assert len(tops) >= 8 and len(set(tops)) == 1, tops
    finally:
        desktop.close()
