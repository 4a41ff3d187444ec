"""The Zalo OA webhook: a citizen's message to the OA becomes a feedback signal."""

from __future__ import annotations

import json

from phoihop.intake.models import Signal
from phoihop.intake.records import FEEDBACK_SOURCE, Record
from phoihop.intake.services import signal_record
from phoihop.notifications import channels


class WebhookRefused(Exception):
    pass


def zalo_inbound(*, body: bytes, signature: str) -> Signal | None:
    """A user's message to the OA, signed by Zalo: a text becomes a citizen feedback signal
    (once: Zalo retries), whose acknowledgement with the tracking code goes back on Zalo.
    Other events are accepted and ignored (None)."""
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise WebhookRefused("JSON") from exc
    if not isinstance(payload, dict) or not channels.zalo_signature_valid(
        body=body, header=signature, payload=payload
    ):
        raise WebhookRefused("signature")
    if payload.get("event_name") != "user_send_text":
        return None
    user_id = str((payload.get("sender") or {}).get("id") or "")
    message = payload.get("message") or {}
    text = str(message.get("text") or "").strip()
    if not user_id or not text:
        return None
    record = Record(
        # The intake service issues tracking codes to citizen feedback: a Zalo message is
        # feedback that came by Zalo (`via`), like the web form's `via: web`.
        channel=Signal.Channel.FEEDBACK,
        source=FEEDBACK_SOURCE,
        raw_text=text[:10000],
        key_text="\n".join([text, f"zalo:{user_id}"]),
        external_id=str(message.get("msg_id") or "")[:500],
        metadata={"via": "zalo", "zalo_user_id": user_id},
    )
    received = signal_record(record=record, by=None)
    return received.signal
