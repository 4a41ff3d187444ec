"""Real servers on loopback for the notification tests: an SMTP server (aiosmtpd) that keeps
what it receives, and an HTTP server that plays the SMS gateway and the Zalo OA API,
answering as they document and refusing requests of the wrong shape."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from phoihop.cases import services as cases
from phoihop.cases.models import Issue
from phoihop.intake.models import Signal


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    """aiosmtpd handler: keeps each message; `refuse` makes it answer 451 (try later)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 4.3.0 thử lại sau"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


@pytest.fixture
def smtp(settings: Any) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "phoihop <khong-tra-loi@langson.gov.vn>"
    settings.PHOIHOP_PUBLIC_URL = "https://phoihop.langson.gov.vn"
    try:
        yield mailbox
    finally:
        controller.stop()


@dataclass
class Gateway:
    """What the local SMS/Zalo server received: (path, headers, JSON body)."""

    url: str
    requests: list[tuple[str, dict[str, str], dict[str, Any]]] = field(default_factory=list)
    fail_with: int | None = None  # an HTTP status to answer with instead


SMS_REQUIRED = ("ApiKey", "SecretKey", "Phone", "Content", "Brandname", "SmsType")


def _sms_reply(headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    missing = [k for k in SMS_REQUIRED if not str(body.get(k, "")).strip()]
    if (
        missing
        or body.get("SmsType") != "2"
        or "application/json" not in headers.get("content-type", "")
    ):
        return {"CodeResult": "99", "ErrorMessage": f"thiếu {missing}"}
    if body["ApiKey"] != "khoa-api" or body["SecretKey"] != "bi-mat":
        return {"CodeResult": "101", "ErrorMessage": "Sai ApiKey/SecretKey"}
    return {"CodeResult": "100", "CountRegenerate": 0, "SMSID": f"sms-{body.get('RequestId')}"}


def _zalo_reply(headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    if headers.get("access_token") != "oa-token":
        return {"error": -216, "message": "Access token is invalid"}
    user = (body.get("recipient") or {}).get("user_id")
    text = (body.get("message") or {}).get("text")
    if not user or not isinstance(text, str) or not text or len(text) > 2000:
        return {"error": -201, "message": "Parameters are invalid"}
    return {
        "data": {"message_id": f"zmsg-{user}", "user_id": user},
        "error": 0,
        "message": "Success",
    }


@pytest.fixture
def gateway(settings: Any) -> Iterator[Gateway]:
    """One loopback server: /sms/ is the eSMS.vn endpoint, /zalo/ the OA message API."""
    state = Gateway(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                body = json.loads(raw)
            except ValueError:
                body = {}
            state.requests.append((self.path, headers, body))
            if state.fail_with:
                self.send_response(state.fail_with)
                self.end_headers()
                return
            reply = (
                _sms_reply(headers, body)
                if self.path.startswith("/sms/")
                else _zalo_reply(headers, body)
            )
            data = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    state.url = base
    settings.PHOIHOP_SMS_URL = f"{base}/sms/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    settings.PHOIHOP_SMS_API_KEY = "khoa-api"
    settings.PHOIHOP_SMS_SECRET_KEY = "bi-mat"
    settings.PHOIHOP_SMS_BRANDNAME = "UBND-LANGSON"
    settings.PHOIHOP_ZALO_API_URL = f"{base}/zalo/v3.0/oa/message/cs"
    settings.PHOIHOP_ZALO_ACCESS_TOKEN = "oa-token"
    settings.PHOIHOP_PUBLIC_URL = "https://phoihop.langson.gov.vn"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def answered_issue(
    world: Any, *, publish: bool = True, title: str = "Đường liên xã bị sạt lở"
) -> Issue:
    """A public issue led by world.dept, answered by its leader (and published)."""
    issue = cases.issue_create(
        by=world.coordinator, title=title, visibility=Issue.Visibility.PUBLIC
    )
    cases.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    lead = cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    cases.assignment_respond(assignment=lead, by=world.handler, text="Đã khắc phục xong.")
    issue.refresh_from_db()
    cases.issue_answer(issue=issue, by=world.leader, text="Sở đã cho sửa đoạn đường sạt lở.")
    if publish:
        cases.issue_publish(issue=issue, by=world.coordinator)
    issue.refresh_from_db()
    return issue


def attach(signal: Signal, issue: Issue) -> Signal:
    Signal.objects.filter(pk=signal.pk).update(issue=issue)
    signal.refresh_from_db()
    return signal
