"""«Có phải bạn muốn phản ánh…?»: the closest public answers and open public issues before a
citizen submits: a second step without JavaScript, a small JSON endpoint for as-you-type."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from tests.factories import IssueFactory

from phoihop.cases.models import Issue
from phoihop.intake import hints
from phoihop.intake.forms import form_token
from phoihop.intake.models import Signal
from phoihop.triage.normalize import fold

TYPED = "Cống thoát nước đường Trần Đăng Ninh bị tắc, mưa là ngập cả đoạn đường"


def _issue(title: str, **extra: Any) -> Issue:
    description = extra.pop("description", title)
    return IssueFactory(
        title=title,
        description=description,
        search_text=fold(f"{title} {description}"),
        **extra,
    )


def _seed() -> dict[str, Issue]:
    P = Issue.Visibility.PUBLIC
    return {
        "answered": _issue(
            "Ngập úng do cống thoát nước đường Trần Đăng Ninh bị tắc",
            visibility=P,
            state=Issue.State.PUBLISHED,
            published_at=timezone.now(),
            answer="Công ty thoát nước đã nạo vét cống, gọi 0912345678 nếu còn ngập.",
        ),
        "open": _issue(
            "Cống thoát nước bị tắc gây ngập đường Trần Đăng Ninh",
            visibility=P,
            state=Issue.State.IN_PROGRESS,
        ),
        "internal": _issue(
            "Cống thoát nước đường Trần Đăng Ninh tắc nghẽn",
            visibility=Issue.Visibility.INTERNAL,
            state=Issue.State.IN_PROGRESS,
        ),
        "unrelated": _issue(
            "Đề nghị sửa chữa trường mầm non xã Cao Lộc",
            visibility=P,
            state=Issue.State.IN_PROGRESS,
        ),
        "merged": _issue(
            "Cống thoát nước đường Trần Đăng Ninh bị tắc gây ngập",
            visibility=P,
            state=Issue.State.CLOSED,
        ),
    }


def _post(client: Client, **fields: Any) -> Any:
    data = {"content": TYPED, "started": form_token(time.time() - 30), "website": ""}
    data.update(fields)
    return client.post("/phan-anh/", data, REMOTE_ADDR="10.0.0.9")


def test_similar_public_issues_are_offered_best_first_and_internal_ones_never(db: None) -> None:
    issues = _seed()
    found = hints.similar_public_issues(text=TYPED)
    codes = [h.code for h in found]
    assert set(codes) == {issues["answered"].code, issues["open"].code}
    answered = next(h for h in found if h.kind == "answer")
    assert answered.url == f"/tra-loi/{issues['answered'].pk}/"
    assert "0912345678" not in answered.excerpt and "[đã ẩn]" in answered.excerpt
    opened = next(h for h in found if h.kind == "open")
    assert opened.url == f"/van-de/{issues['open'].code}/" and opened.excerpt == ""


def test_nothing_is_offered_for_short_or_unrelated_text(db: None) -> None:
    _seed()
    assert hints.similar_public_issues(text="cống") == []
    assert hints.similar_public_issues(text="Xin cấp giấy phép kinh doanh karaoke") == []


def test_without_javascript_the_form_shows_the_hints_as_a_second_step(db: None) -> None:
    issues = _seed()
    client = Client()
    first = _post(client, name="Nguyễn Thị Hoa", contact="0987654321")
    html = first.content.decode()
    assert first.status_code == 200  # a step, not an error: nothing stored yet
    assert Signal.objects.count() == 0
    assert "Có phải bạn muốn phản ánh…?" in html
    assert issues["answered"].title in html and issues["open"].title in html
    assert issues["internal"].title not in html
    assert 'name="seen_hints" value="1"' in html
    assert "Nguyễn Thị Hoa" in html  # what they typed is kept for the second step
    assert "Không phải, gửi phản ánh mới" in html
    second = _post(client, name="Nguyễn Thị Hoa", contact="0987654321", seen_hints="1")
    assert second.status_code == 302
    assert Signal.objects.count() == 1


def test_no_hints_no_second_step(db: None) -> None:
    _seed()
    response = _post(Client(), content="Xin cấp giấy phép kinh doanh karaoke ở phường Tam Thanh")
    assert response.status_code == 302 and Signal.objects.count() == 1


def test_the_json_endpoint_answers_as_you_type_and_is_rate_limited(db: None, settings: Any) -> None:
    cache.clear()
    settings.PHOIHOP_HINTS_RATE = "3/m"
    issues = _seed()
    client = Client()
    response = client.get("/phan-anh/goi-y/", {"q": TYPED}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert {h["title"] for h in body["hints"]} == {issues["answered"].title, issues["open"].title}
    assert set(body["hints"][0]) == {"kind", "title", "url", "excerpt", "status", "place"}
    assert client.get("/phan-anh/goi-y/", {"q": "ngắn"}, REMOTE_ADDR="10.0.0.7").json() == {
        "hints": []
    }
    client.get("/phan-anh/goi-y/", {"q": TYPED}, REMOTE_ADDR="10.0.0.7")
    limited = client.get("/phan-anh/goi-y/", {"q": TYPED}, REMOTE_ADDR="10.0.0.7")
    assert limited.status_code == 429 and "error" in limited.json()
    cache.clear()


def test_the_form_loads_its_script_from_a_file_and_has_no_inline_script(db: None) -> None:
    html = Client().get("/phan-anh/").content.decode()
    assert "intake/hints.js" in html and "<script>" not in html
    assert 'data-url="/phan-anh/goi-y/"' in html and 'id="hints-live"' in html


def test_a_hint_words_the_issue_state_as_the_public_list_and_the_look_up_do(db: None) -> None:
    """One public wording of an issue's state: the hint on /phan-anh/ says what /van-de/ says
    (a classified issue is not yet «being handled» there)."""
    classified = _issue(
        "Cống thoát nước đường Trần Đăng Ninh bị tắc, chờ giao xử lý",
        visibility=Issue.Visibility.PUBLIC,
        state=Issue.State.CLASSIFIED,
    )
    handled = _issue(
        "Cống thoát nước bị tắc gây ngập đường Trần Đăng Ninh",
        visibility=Issue.Visibility.PUBLIC,
        state=Issue.State.IN_PROGRESS,
    )
    found = {h.code: h.status for h in hints.similar_public_issues(text=TYPED)}
    listed = Client().get("/van-de/").content.decode()
    assert found[classified.code] == "Đã tiếp nhận, đang phân loại"
    assert found[handled.code] == "Đang được cơ quan có thẩm quyền xử lý"
    for status in found.values():
        assert f"<td>{status}</td>" in listed
