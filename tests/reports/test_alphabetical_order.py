"""Reports list fields, agencies and places in Vietnamese alphabetical order («Đ» right after
«D»), never in code-point order, which puts «Đất đai» after «Y tế»."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from tests.factories import FieldFactory, SignalFactory

from phoihop.cases import services as case_services
from phoihop.cases.models import Issue
from phoihop.core.models import AdministrativeUnit
from phoihop.intake.models import Signal
from phoihop.reports import selectors, services
from phoihop.reports.periods import parse_period

FIELDS = ["Y tế", "Đất đai", "Dân tộc"]  # code-point order: Dân tộc, Y tế, Đất đai


def _issues_with_petitions(world: Any) -> None:
    places = [
        AdministrativeUnit.objects.create(level="commune", code=code, name=name)
        for code, name in [
            ("90001", "Xã Yên Bình"),
            ("90002", "Xã Đình Lập"),
            ("90003", "Xã Bắc Sơn"),
        ]
    ]
    for n, name in enumerate(FIELDS):
        issue = case_services.issue_create(by=world.coordinator, title=f"Vấn đề {name}")
        case_services.issue_classify(
            issue=issue, by=world.coordinator, field=FieldFactory(code=f"f{n}", name=name)
        )
        for place in places:
            text = f"Kiến nghị về {name} tại {place.name}"
            SignalFactory(
                channel=Signal.Channel.PETITION,
                source="kien-nghi.xlsx",
                raw_text=text,
                issue=issue,
                place=place,
                occurred_at=timezone.now(),
            )


def test_summary_report_lists_fields_and_places_in_vietnamese_order(world: Any) -> None:
    _issues_with_petitions(world)
    doc = services.build(
        kind="petitions-summary", period=parse_period(str(timezone.localdate().year))
    )
    headings = [b.text for b in doc.blocks if b.kind == "heading" and b.level == 2]
    assert headings == ["Lĩnh vực dân tộc", "Lĩnh vực đất đai", "Lĩnh vực y tế"]
    table = next(b.table for b in doc.blocks if b.kind == "table")
    assert [row[0] for row in table.rows] == ["Dân tộc", "Đất đai", "Y tế", "Tổng cộng"]
    paragraphs = [b.text for b in doc.blocks if b.kind == "paragraph" and "(cử tri" in b.text]
    assert paragraphs
    assert all("xã bắc sơn, xã đình lập, xã yên bình" in p.lower() for p in paragraphs)


def test_dashboard_lists_fields_in_vietnamese_order(world: Any) -> None:
    _issues_with_petitions(world)
    board = selectors.dashboard(issues=Issue.objects.all())
    assert [name for name, _counts in board.weekly] == ["Dân tộc", "Đất đai", "Y tế"]


def test_dashboard_counts_petitions_in_the_week_of_their_meeting(world: Any) -> None:
    """A round of petitions imported today from a meeting four weeks ago: the weekly chart
    counts them in the meeting's week, and they are not among the last 14 days' hot issues."""
    issue = case_services.issue_create(by=world.coordinator, title="Đường ĐT.234 xuống cấp")
    case_services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    meeting = timezone.now() - dt.timedelta(weeks=4)
    for n in range(3):
        text = f"Đề nghị sửa đường ĐT.234, ý kiến {n}"
        SignalFactory(
            channel=Signal.Channel.PETITION, raw_text=text, issue=issue, occurred_at=meeting
        )
    board = selectors.dashboard(issues=Issue.objects.all())
    counts = dict(board.weekly)[world.field.name]
    assert counts[-1] == 0 and sum(counts) == 3 and counts[-5] == 3
    assert issue not in [i for i, _n in board.hot]
