"""Bulk inserts (COPY on PostgreSQL, bulk_create elsewhere) store rows as the ORM would."""

from __future__ import annotations

import datetime as dt

import pytest

from phoihop.core import audit, bulk
from phoihop.intake.models import Signal
from phoihop.triage.normalize import content_hash, fold
from phoihop.triaging.models import TriageProposal

pytestmark = pytest.mark.django_db


def test_rows_keep_their_order_json_and_automatic_dates() -> None:
    texts = [f"Cử tri phản ánh đường số {n} xuống cấp" for n in range(30)]
    signals = [
        Signal.objects.create(
            channel=Signal.Channel.PETITION,
            source="bulk",
            raw_text=text,
            text=text,
            content_hash=content_hash(text),
            search_text=fold(text),
        )
        for text in texts
    ]
    before = dt.datetime.now(dt.UTC)
    rows = [
        TriageProposal(
            signal=signal,
            decision=TriageProposal.Decision.NEW,
            score=n / 100,
            evidence={"từ": ["đường", "xuống cấp"], "n": n, "nested": {"ok": True}},
        )
        for n, signal in enumerate(signals)
    ]
    assert bulk.insert_many(rows) == 30
    stored = list(TriageProposal.objects.order_by("id"))
    assert [p.signal_id for p in stored] == [s.pk for s in signals]  # ids follow the order
    assert stored[7].evidence == {"từ": ["đường", "xuống cấp"], "n": 7, "nested": {"ok": True}}
    assert stored[7].score == pytest.approx(0.07)
    assert all(p.created_at >= before - dt.timedelta(seconds=1) for p in stored)
    assert bulk.insert_many([]) == 0


def test_many_audit_events_in_one_insert_keep_the_chain_verifiable() -> None:
    events = [
        {
            "action": "signal.triage",
            "target_type": "intake.signal",
            "target_id": str(n),
            "scope": f"signal:{n}",
            "data": {"điểm": n / 3},
        }
        for n in range(1, 1201)
    ]
    assert audit.record_many(actor=None, events=events) == 1200
    report = audit.verify_chain()
    assert report.ok and report.checked >= 1200
