"""SMS and Zalo OA adapters against a local server that checks the documented request shape;
the Zalo webhook turns a signed user message into a signal and answers with its code."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from tests.notifications.conftest import Gateway

from phoihop.core.models import AuditEvent
from phoihop.intake import services as intake
from phoihop.intake.models import Signal
from phoihop.notifications import channels, services
from phoihop.notifications.models import Delivery

pytestmark = pytest.mark.django_db


def test_feedback_with_a_phone_number_is_acknowledged_by_sms(
    gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        signal = intake.feedback_submit(
            content="Đèn đường thôn Bản Cưởm hỏng.", contact="+84 912.345.678"
        ).signal

    assert services.deliver_due().sent == 1

    [(path, _headers, body)] = gateway.requests
    assert path.endswith("/SendMultipleMessage_V4_post_json/")
    assert body["Phone"] == "0912345678"
    assert body["Brandname"] == "UBND-LANGSON" and body["SmsType"] == "2"
    assert body["IsUnicode"] == "0"
    assert signal.tracking_code in body["Content"]
    assert "tra-cuu/?ma=" in body["Content"]
    assert body["Content"].isascii()  # sent without diacritics
    delivery = Delivery.objects.get()
    assert delivery.channel == "sms" and delivery.provider_id == f"sms-phoihop-{delivery.pk}"


def test_sms_gateway_rejection_is_recorded_as_failed(gateway: Gateway, settings: Any) -> None:
    settings.PHOIHOP_SMS_SECRET_KEY = "sai"
    services.queue(
        [
            services.Outgoing(
                channel="sms",
                recipient="0912345678",
                purpose="bench",
                subject="",
                text="Thử",
                key="sms:bad",
            )
        ]
    )
    assert services.deliver_due().failed == 1
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "101" in delivery.last_error


def test_gateway_down_is_retried(gateway: Gateway) -> None:
    gateway.fail_with = 503
    services.queue(
        [
            services.Outgoing(
                channel="zalo",
                recipient="8001",
                purpose="bench",
                subject="",
                text="Thử",
                key="zalo:down",
            )
        ]
    )
    assert services.deliver_due().retrying == 1
    assert Delivery.objects.get().status == Delivery.Status.QUEUED


def test_nothing_goes_out_on_unconfigured_sms_or_zalo(
    settings: Any, gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PHOIHOP_SMS_API_KEY = ""
    settings.PHOIHOP_ZALO_ACCESS_TOKEN = ""
    services.queue(
        [
            services.Outgoing(
                channel="sms",
                recipient="0912345678",
                purpose="bench",
                subject="",
                text="Thử",
                key="u:sms",
            ),
            services.Outgoing(
                channel="zalo",
                recipient="8001",
                purpose="bench",
                subject="",
                text="Thử",
                key="u:zalo",
            ),
        ]
    )
    services.deliver_due()
    assert gateway.requests == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SKIPPED}


def _signed(payload: dict[str, Any], *, secret: str = "oa-bi-mat") -> tuple[bytes, str]:  # noqa: S107
    body = json.dumps(payload, ensure_ascii=False).encode()
    mac = channels.zalo_signature(
        app_id=payload["app_id"], body=body, timestamp=payload["timestamp"], secret=secret
    )
    return body, f"mac={mac}"


def _message(text: str, *, user: str = "2468458835296117922", msg: str = "m1") -> dict[str, Any]:
    return {
        "app_id": "4321",
        "user_id_by_app": "552177279252305",
        "event_name": "user_send_text",
        "timestamp": "1733036400000",
        "sender": {"id": user},
        "recipient": {"id": "579745863508352884"},
        "message": {"msg_id": msg, "text": text},
    }


@pytest.fixture
def zalo_webhook(settings: Any, gateway: Gateway) -> Gateway:
    settings.PHOIHOP_ZALO_APP_ID = "4321"
    settings.PHOIHOP_ZALO_OA_SECRET_KEY = "oa-bi-mat"
    return gateway


def test_zalo_message_becomes_a_signal_and_the_reply_carries_its_tracking_code(
    zalo_webhook: Gateway, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    body, mac = _signed(_message("Bãi rác xã Mai Pha bốc mùi, đề nghị xử lý."))
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(
            "/zalo/webhook/", body, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE=mac
        )
    assert reply.status_code == 200
    signal = Signal.objects.get()
    assert signal.text == "Bãi rác xã Mai Pha bốc mùi, đề nghị xử lý."
    assert signal.metadata["via"] == "zalo" and signal.tracking_code
    assert reply.json()["tracking_code"] == signal.tracking_code
    assert AuditEvent.objects.filter(action="signal.record", target_id=str(signal.pk)).exists()

    assert services.deliver_due().sent == 1
    [(path, headers, sent)] = zalo_webhook.requests
    assert path == "/zalo/v3.0/oa/message/cs" and headers["access_token"] == "oa-token"
    assert sent["recipient"] == {"user_id": "2468458835296117922"}
    assert signal.tracking_code in sent["message"]["text"]

    # Zalo delivers the same event again: one signal, one reply.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/zalo/webhook/", body, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE=mac
        )
    services.deliver_due()
    assert Signal.objects.count() == 1 and len(zalo_webhook.requests) == 1


@pytest.mark.parametrize("tamper", ["body", "secret", "missing"])
def test_zalo_webhook_refuses_what_zalo_did_not_sign(
    zalo_webhook: Gateway, client: Client, tamper: str
) -> None:
    payload = _message("Tin giả mạo")
    body, mac = _signed(payload, secret="khac" if tamper == "secret" else "oa-bi-mat")
    if tamper == "body":
        body = body.replace("giả mạo".encode(), "đã sửa".encode())
    headers = {} if tamper == "missing" else {"HTTP_X_ZEVENT_SIGNATURE": mac}
    reply = client.post("/zalo/webhook/", body, content_type="application/json", **headers)
    assert reply.status_code == 401
    assert not Signal.objects.exists()


def test_zalo_webhook_is_off_until_configured(client: Client, settings: Any) -> None:
    settings.PHOIHOP_ZALO_APP_ID = ""
    body, mac = _signed(_message("Xin chào"))
    reply = client.post(
        "/zalo/webhook/", body, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE=mac
    )
    assert reply.status_code == 404
    assert not Signal.objects.exists()


def test_zalo_events_other_than_text_are_accepted_and_ignored(
    zalo_webhook: Gateway, client: Client
) -> None:
    payload = {**_message("x"), "event_name": "follow"}
    body, mac = _signed(payload)
    reply = client.post(
        "/zalo/webhook/", body, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE=mac
    )
    assert reply.status_code == 200 and reply.json()["tracking_code"] is None
    assert not Signal.objects.exists()
