"""The channels a message leaves by, behind one interface: e-mail (Django's SMTP backend),
SMS (an eSMS.vn-compatible brandname gateway) and Zalo Official Account (OA message API v3).

Each is configured by settings and is `configured()` only when every value it needs is
set; an unconfigured channel sends nothing (the delivery is recorded as skipped). A batch
opens a channel once (`open`), so the SMTP connection is reused across its messages.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from phoihop.triage.normalize import strip_diacritics


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str
    html: str
    # Stable per delivery: the provider's request id and the e-mail Message-ID, so a
    # receiver (or the benchmark) can tell a message sent twice.
    key: str


class SendError(Exception):
    """The message did not go. `permanent`: trying again will not help (a rejected address)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Channel(Protocol):
    name: str

    def configured(self) -> bool: ...

    def open(self) -> None: ...

    def send(self, message: Message) -> str:
        """Send one message; the provider's id of it (may be empty). Raises SendError."""
        ...

    def close(self) -> None: ...


class EmailChannel:
    name = "email"

    def __init__(self) -> None:
        self._connection: Any = None

    def configured(self) -> bool:
        return bool(getattr(settings, "EMAIL_HOST", ""))

    def open(self) -> None:
        self._connection = get_connection(fail_silently=False)
        try:
            self._connection.open()
        except OSError as exc:
            raise SendError(f"SMTP: {exc}") from exc
        sock = getattr(getattr(self._connection, "connection", None), "sock", None)
        if sock is not None:
            # smtplib writes each command on its own; without this, Nagle's algorithm holds
            # every small write back until the previous one is acknowledged
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, message: Message) -> str:
        sender = settings.DEFAULT_FROM_EMAIL
        domain = sender.rsplit("@", 1)[-1].strip(">") or "phoihop"
        message_id = f"<{message.key}@{domain}>"
        mail = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=sender,
            to=[message.to],
            headers={"Message-ID": message_id},
            connection=self._connection,
        )
        if message.html:
            mail.attach_alternative(message.html, "text/html")
        try:
            mail.send()
        except OSError as exc:  # smtplib's errors are OSErrors
            code = getattr(exc, "smtp_code", 0) or 0
            raise SendError(f"SMTP: {exc}", permanent=500 <= int(code) < 600) from exc
        return message_id

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(OSError):
                self._connection.close()
            self._connection = None


def _post_json(url: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 (the URL comes from settings)
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.PHOIHOP_NOTIFY_HTTP_TIMEOUT) as reply:  # noqa: S310
            data = json.loads(reply.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raise SendError(f"HTTP {exc.code}", permanent=400 <= exc.code < 500) from exc
    except (OSError, ValueError) as exc:
        raise SendError(str(exc)) from exc
    if not isinstance(data, dict):
        raise SendError("trả về không phải JSON object")
    return data


class SmsChannel:
    """eSMS.vn's «SendMultipleMessage_V4_post_json»: one customer-care (SmsType 2) brandname
    message per request; `CodeResult` "100" means accepted. Vietnamese goes without
    diacritics (IsUnicode 0): 160 characters a part instead of 70, as carriers charge."""

    name = "sms"

    def configured(self) -> bool:
        return bool(
            settings.PHOIHOP_SMS_URL
            and settings.PHOIHOP_SMS_API_KEY
            and settings.PHOIHOP_SMS_SECRET_KEY
            and settings.PHOIHOP_SMS_BRANDNAME
        )

    def open(self) -> None:
        pass

    def send(self, message: Message) -> str:
        data = _post_json(
            settings.PHOIHOP_SMS_URL,
            {
                "ApiKey": settings.PHOIHOP_SMS_API_KEY,
                "SecretKey": settings.PHOIHOP_SMS_SECRET_KEY,
                "Phone": message.to,
                "Content": strip_diacritics(message.text),
                "Brandname": settings.PHOIHOP_SMS_BRANDNAME,
                "SmsType": "2",
                "IsUnicode": "0",
                "RequestId": message.key,
            },
            {},
        )
        if str(data.get("CodeResult")) != "100":
            raise SendError(
                f"eSMS {data.get('CodeResult')}: {data.get('ErrorMessage', '')}".strip(),
                permanent=True,
            )
        return str(data.get("SMSID", ""))

    def close(self) -> None:
        pass


class ZaloChannel:
    """Zalo OA message API v3 (consultation message, «tin tư vấn») to a Zalo user id:
    POST {"recipient": {"user_id"}, "message": {"text"}} with the OA access token in the
    `access_token` header; `error` 0 means sent."""

    name = "zalo"
    MAX_TEXT = 2000

    def configured(self) -> bool:
        return bool(settings.PHOIHOP_ZALO_API_URL and settings.PHOIHOP_ZALO_ACCESS_TOKEN)

    def open(self) -> None:
        pass

    def send(self, message: Message) -> str:
        data = _post_json(
            settings.PHOIHOP_ZALO_API_URL,
            {
                "recipient": {"user_id": message.to},
                "message": {"text": message.text[: self.MAX_TEXT]},
            },
            {"access_token": settings.PHOIHOP_ZALO_ACCESS_TOKEN},
        )
        if data.get("error") != 0:
            raise SendError(
                f"Zalo {data.get('error')}: {data.get('message', '')}".strip(), permanent=True
            )
        return str((data.get("data") or {}).get("message_id", ""))

    def close(self) -> None:
        pass


def channel(name: str) -> Channel:
    if name == "email":
        return EmailChannel()
    if name == "sms":
        return SmsChannel()
    if name == "zalo":
        return ZaloChannel()
    raise KeyError(name)


def zalo_webhook_configured() -> bool:
    return bool(settings.PHOIHOP_ZALO_APP_ID and settings.PHOIHOP_ZALO_OA_SECRET_KEY)


def zalo_signature(*, app_id: str, body: bytes, timestamp: str, secret: str) -> str:
    """Zalo's documented webhook MAC: sha256(app_id + raw body + timestamp + OA secret key),
    hex, sent as `X-ZEvent-Signature: mac=<hex>` (timestamp and app_id from the body)."""
    return hashlib.sha256(app_id.encode() + body + timestamp.encode() + secret.encode()).hexdigest()


def zalo_signature_valid(*, body: bytes, header: str, payload: dict[str, Any]) -> bool:
    supplied = header.strip()
    if supplied.lower().startswith("mac="):
        supplied = supplied[4:].strip()
    app_id = str(payload.get("app_id") or "")
    timestamp = str(payload.get("timestamp") or "")
    if not supplied or app_id != settings.PHOIHOP_ZALO_APP_ID or not timestamp:
        return False
    expected = zalo_signature(
        app_id=app_id, body=body, timestamp=timestamp, secret=settings.PHOIHOP_ZALO_OA_SECRET_KEY
    )
    return hmac.compare_digest(supplied.lower(), expected)
