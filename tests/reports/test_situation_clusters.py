"""The situation report counts petitions still being triaged once per cluster."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from phoihop.core.places import LANG_SON, places_load
from phoihop.intake.models import Signal
from phoihop.reports.situation import matters
from phoihop.triage.normalize import content_hash, fold
from phoihop.triaging import services

FLOOD = [
    "Người dân phường Đông Kinh phản ánh ngập úng kéo dài do cống thoát nước bị tắc",
    "nguoi dan phuong dong kinh phan anh ngap ung keo dai do cong thoat nuoc bi tac",
    "Cử tri phản ánh: Người dân phường Đông Kinh phản ánh ngập úng kéo dài "
    "do cống thoát nước bị tắc",
]


def test_pending_signals_of_one_cluster_are_one_matter(world: Any) -> None:
    places_load(province_code=LANG_SON)
    ids = [
        Signal.objects.create(
            channel=Signal.Channel.SOCIAL,
            source=f"s{i}",
            raw_text=t,
            text=t,
            content_hash=content_hash(t),
            search_text=fold(t),
        ).pk
        for i, t in enumerate(FLOOD)
    ]
    services.triage_signals(signal_ids=ids)
    today = timezone.localdate()
    found = matters(start=today.replace(day=1), end=today)
    flood = [m for m in found if "ngập úng" in m.title]
    assert len(flood) == 1 and flood[0].signals == 3 and flood[0].issue is None
    assert flood[0].places["Phường Đông Kinh"] >= 1
