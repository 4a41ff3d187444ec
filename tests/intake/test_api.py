"""Signals through the API: authenticated, single or batch, all or nothing, once."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from phoihop.api.services import token_create
from phoihop.intake.models import ImportBatch, Signal


def _api(user: Any) -> Client:
    _token, key = token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


POST = {
    "channel": "social",
    "text": "Người dân phản ánh nước sinh hoạt có mùi lạ mấy ngày nay",
    "platform": "Zalo",
    "author": "to_dan_pho_3",
    "external_id": "z-1",
    "reactions": 40,
    "url": "https://zalo.example/p/1",
    "occurred_at": "2026-11-20T08:00:00+07:00",
}


def test_a_single_signal_is_stored_once(world: Any, places: Any) -> None:
    client = _api(world.coordinator)
    response = _post(client, "/api/signals", {**POST, "place": places["Xã Cao Lộc"].code})
    assert response.status_code == 201
    body = response.json()
    assert body["created"] is True and body["signal"]["channel"] == "social"
    assert body["signal"]["place"] == places["Xã Cao Lộc"].code
    again = _post(client, "/api/signals", {**POST, "text": POST["text"] + "  "})
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["signal"]["id"] == body["signal"]["id"]
    signal = Signal.objects.get()
    assert signal.metadata["platform"] == "zalo" and signal.metadata["via"] == "api"
    listed = client.get("/api/signals?channel=social").json()
    assert listed["count"] == 1


def test_feedback_through_the_api_gets_a_tracking_code(world: Any) -> None:
    response = _post(
        _api(world.coordinator),
        "/api/signals",
        {"channel": "feedback", "text": "Đường ngập", "name": "A", "contact": "09"},
    )
    assert response.status_code == 201
    assert response.json()["signal"]["tracking_code"].startswith("PA-")


def test_a_batch_is_checked_whole_and_stored_all_or_nothing(world: Any) -> None:
    client = _api(world.coordinator)
    items = [
        {"channel": "api", "text": f"Tin nhắn đường dây nóng số {n}", "source": "1022"}
        for n in range(5)
    ]
    bad = [*items[:3], {"channel": "api", "text": "   "}, {**items[4], "url": "javascript:x"}]
    response = _post(client, "/api/signals/batch", {"signals": bad})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {"field": "signals[3].text", "message": "Dòng 4: thiếu nội dung"},
            {
                "field": "signals[4].url",
                "message": "Dòng 5: đường dẫn không hợp lệ (cần http:// hoặc https://)",
            },
        ]
    }
    assert Signal.objects.count() == 0 and ImportBatch.objects.count() == 0
    # a row the schema refuses is named the same way: signals[index].field, 0-based
    response = _post(client, "/api/signals/batch", {"signals": [*items[:2], {"x": 1}]})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"signals[2].text"}
    response = _post(client, "/api/signals/batch", {"signals": items})
    assert response.status_code == 201 and response.json()["new"] == 5
    response = _post(client, "/api/signals/batch", {"signals": items})
    assert response.status_code == 200 and response.json()["known"] == 5
    assert Signal.objects.filter(source="1022").count() == 5


def test_petitions_through_the_api_need_a_round(world: Any) -> None:
    client = _api(world.coordinator)
    response = _post(client, "/api/signals", {"channel": "petition", "text": "Đề nghị A"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "round", "message": "thiếu tên đợt tiếp xúc cử tri"}
    ]
    response = _post(
        client, "/api/signals", {"channel": "petition", "text": "Đề nghị A", "round": "Đợt 2"}
    )
    assert response.status_code == 201
    assert Signal.objects.get().round.name == "Đợt 2"  # type: ignore[union-attr]


def test_malformed_requests_are_422_and_strangers_are_refused(world: Any) -> None:
    client = _api(world.coordinator)
    response = _post(client, "/api/signals", {"title": "thiếu nội dung"})
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"field": "text", "message": "Thiếu trường bắt buộc."}
    assert _post(client, "/api/signals/batch", {"signals": []}).status_code == 422
    assert client.post(
        "/api/signals", b"\xff\xfe{", content_type="application/json"
    ).status_code in (
        400,
        422,
    )
    assert _post(_api(world.handler), "/api/signals", POST).status_code == 403
    assert _post(Client(), "/api/signals", POST).status_code == 401
    assert Signal.objects.count() == 0
