"""Signals sent through the HTTP API, stored all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import audit, policy
from phoihop.core.models import AdministrativeUnit, User
from phoihop.intake.models import (
    ImportBatch,
    Signal,
)
from phoihop.intake.records import (
    Checked,
    Lookups,
    RowError,
    check_feedback,
    check_generic,
    check_petition,
    check_post,
)
from phoihop.intake.services.imports import _batch_update, _line
from phoihop.intake.services.rounds import _round
from phoihop.intake.services.signals import Received, _receive
from phoihop.triage.normalize import normalize_text

C = Signal.Channel


def _check_item(item: dict[str, Any], lookups: Lookups, *, by: User) -> Checked:
    """One API item (already shaped by the API schema) as a checked record."""
    channel = item.get("channel") or C.API
    errors: list[RowError] = []
    place_id = None
    place_name = ""
    if item.get("place") is not None:
        code = item["place"]
        unit = (
            AdministrativeUnit.objects.filter(code=code).order_by("level").first()
            if isinstance(code, int) and 0 < code < 2**31
            else None
        )
        if unit is None:
            errors.append(
                RowError("place", _("không có đơn vị hành chính mã %(c)s") % {"c": item["place"]})
            )
        else:
            place_id, place_name = unit.pk, unit.name
    values = {
        "content": item.get("text"),
        "title": item.get("title"),
        "url": item.get("url"),
        "external_id": item.get("external_id"),
        "time": item.get("occurred_at"),
        "date": item.get("occurred_at"),
        "place": place_name,
        "place_id": place_id,
        "metadata": item.get("metadata") or {},
        "name": item.get("name"),
        "contact": item.get("contact"),
        "deputy": item.get("deputy"),
        "post_id": item.get("external_id"),
        "platform": item.get("platform"),
        "author": item.get("author"),
        "reactions": item.get("reactions"),
        "shares": item.get("shares"),
        "comments": item.get("comments"),
    }
    if channel == C.PETITION:
        if not normalize_text(item.get("round") or ""):
            errors.append(RowError("round", _("thiếu tên đợt tiếp xúc cử tri")))
        checked = check_petition(
            values, lookups, round_name=normalize_text(item.get("round") or "")
        )
    elif channel == C.FEEDBACK:
        checked = check_feedback(values, lookups)
    elif channel == C.SOCIAL:
        checked = check_post(values, lookups)
    else:
        source = normalize_text(item.get("source") or "") or f"api:{by.username}"
        checked = check_generic(values, lookups, channel=channel, source=source)
    if checked.record is not None:
        checked.record.place_id = place_id or checked.record.place_id
        checked.record.metadata.setdefault("via", "api")
        extra = item.get("metadata")
        if isinstance(extra, dict) and channel != C.API:
            checked.record.metadata.update({k: v for k, v in extra.items() if k not in ("via",)})
    return Checked(
        checked.record if not errors else None, errors + checked.errors, checked.warnings
    )


@dataclass
class Receipt:
    new: int
    known: int
    signals: list[Received]


# Names of the API fields, for the record fields that are called otherwise internally.
API_FIELDS = {"content": "text", "time": "occurred_at", "date": "occurred_at"}
API_FIELDS["post_id"] = "external_id"


def signals_receive(*, by: User, items: list[dict[str, Any]], single: bool = False) -> Receipt:
    """Store API items all or nothing: every item is checked before anything is written."""
    policy.require(by, "intake.signal_submit_api")
    lookups = Lookups.load()
    checked = [_check_item(item, lookups, by=by) for item in items]
    errors: dict[str, list[str]] = {}
    for index, result in enumerate(checked):
        for error in result.errors:
            name = API_FIELDS.get(error.field, error.field) or "text"
            if single:
                errors.setdefault(name, []).append(error.message)
            else:
                errors.setdefault(f"signals[{index}].{name}", []).append(_line(index + 1, error))
    if errors:
        raise ValidationError(errors)
    receipt = Receipt(0, 0, [])
    with transaction.atomic():
        batch = None
        if len(items) > 1:
            batch = ImportBatch.objects.create(
                channel="api",
                file_name=f"API ({by.username})"[:255],
                status=ImportBatch.Status.WRITING,
                created_by=by,
            )
        for item, result in zip(items, checked, strict=True):
            assert result.record is not None
            round = None
            if result.record.channel == C.PETITION:
                round = _round(normalize_text(item["round"])[:255], by=by)
            received = _receive(result.record, by=by, round=round)
            if received.created and batch is not None:
                Signal.objects.filter(pk=received.signal.pk).update(batch=batch)
            receipt.signals.append(received)
            receipt.new += received.created
            receipt.known += not received.created
        if batch is not None:
            _batch_update(
                batch,
                status=ImportBatch.Status.DONE,
                total_rows=len(items),
                processed_rows=len(items),
                new_count=receipt.new,
                known_count=receipt.known,
                message=_("Đã nhận %(new)s tín hiệu mới, %(known)s đã có từ trước.")
                % {"new": receipt.new, "known": receipt.known},
                finished_at=timezone.now(),
            )
            audit.record(
                actor=by,
                action="intake.api",
                target=batch,
                scope=f"import:{batch.pk}",
                new=receipt.new,
                known=receipt.known,
            )
        else:
            for received in receipt.signals:
                if received.created:
                    audit.record(
                        actor=by,
                        action="intake.api",
                        target=received.signal,
                        scope=f"signal:{received.signal.pk}",
                        channel=received.signal.channel,
                    )
    return receipt


# ---- news feeds ---------------------------------------------------------------------
