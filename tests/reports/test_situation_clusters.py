"""The situation report counts petitions still being triaged once per cluster, and under an
issue only the signals that belong to it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from tests.factories import SignalFactory

from phoihop.cases import services as case_services
from phoihop.core.places import LANG_SON, places_load
from phoihop.intake.models import Signal
from phoihop.reports.situation import matters
from phoihop.triage.normalize import fold
from phoihop.triaging import services
from phoihop.triaging.models import Cluster, TriageProposal

FLOOD = [
    "Người dân phường Đông Kinh phản ánh ngập úng kéo dài do cống thoát nước bị tắc",
    "nguoi dan phuong dong kinh phan anh ngap ung keo dai do cong thoat nuoc bi tac",
    "Cử tri phản ánh: Người dân phường Đông Kinh phản ánh ngập úng kéo dài "
    "do cống thoát nước bị tắc",
]


def test_pending_signals_of_one_cluster_are_one_matter(world: Any) -> None:
    places_load(province_code=LANG_SON)
    ids = [
        SignalFactory(
            channel=Signal.Channel.SOCIAL,
            source=f"s{i}",
            raw_text=t,
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


def test_a_suggested_issue_does_not_count_a_signal_still_waiting_for_staff(world: Any) -> None:
    """«Có thể cùng vấn đề»: a pending proposal only suggests the issue; the signal is counted
    under its cluster until staff accept it (the issue page still shows it has no signals)."""
    places_load(province_code=LANG_SON)
    road = case_services.issue_create(
        by=world.coordinator, title="Đường tỉnh 226 đoạn qua xã Bắc Sơn xuống cấp nghiêm trọng"
    )
    own = "Cử tri xã Bắc Sơn đề nghị sửa Đường tỉnh 226"
    SignalFactory(
        channel=Signal.Channel.PETITION,
        source="kien-nghi.xlsx",
        raw_text=own,
        issue=road,
    )
    text = "Cử tri đề nghị sửa chữa tuyến đường ĐT.234 đoạn qua xã, mặt đường xuống cấp"
    maybe = SignalFactory(
        channel=Signal.Channel.PETITION,
        source="kien-nghi.xlsx",
        raw_text=text,
    )
    cluster = Cluster.objects.create(key=f"s:{maybe.pk}", founder=maybe, size=1)
    TriageProposal.objects.create(
        signal=maybe,
        decision=TriageProposal.Decision.SUGGEST,
        issue=road,
        score=0.6,
        cluster=cluster,
    )
    today = timezone.localdate()
    found = matters(start=today.replace(day=1), end=today)
    by_issue = [m for m in found if m.issue == road]
    assert len(by_issue) == 1 and by_issue[0].signals == 1
    assert [m.signals for m in found if m.issue is None and "ĐT.234" in m.title] == [1]
    # the on-demand report of the issue counts only what belongs to it
    assert [m.signals for m in matters(start=today.replace(day=1), end=today, issue=road)] == [1]
