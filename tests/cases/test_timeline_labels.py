"""An issue's history («Diễn biến») names every event in Vietnamese: no action key such as
«cluster.accept» reaches a page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import phoihop
from phoihop.cases import services as case_services
from phoihop.cases import timeline
from phoihop.core import audit

SRC = Path(phoihop.__file__).parent


def _recorded_in_an_issue_scope() -> set[str]:
    """Every action the sources record that can land in an issue's scope: the literal keys
    of issues, assignments, proposals and clusters, and the cases' state moves."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'"((?:issue|assignment|proposal|cluster)\.[a-z_]+)"', text))
        if path.is_relative_to(SRC / "cases"):
            for call in re.findall(r"_move\((.*?)\)\n", text, flags=re.S):
                found |= {f"issue.{a}" for a in re.findall(r'action="([a-z_]+)"', call)}
    return found


def test_every_action_of_an_issue_has_a_vietnamese_name() -> None:
    recorded = _recorded_in_an_issue_scope()
    assert {"cluster.accept", "issue.reopen", "issue.extension_refuse"} <= recorded
    assert sorted(recorded - set(timeline.TIMELINE_LABELS)) == []


@pytest.mark.django_db
def test_the_history_says_what_happened_not_the_key(world: Any) -> None:
    issue = case_services.issue_create(by=world.coordinator, title="Đường ĐT.234 xuống cấp")
    scope = f"issue:{issue.pk}"
    audit.record(
        actor=world.coordinator, action="cluster.accept", target=issue, scope=scope,
        issue=issue.code, signals=[1, 2, 3],
    )  # fmt: skip
    audit.record(
        actor=world.coordinator, action="issue.set_regime", target=issue, scope=scope,
        before={"remote_area": False}, after={"remote_area": True},
    )  # fmt: skip
    audit.record(actor=world.coordinator, action="issue.unheard_of", target=issue, scope=scope)
    texts = [entry.text for entry in timeline.issue_timeline(issue=issue)][1:]  # after «Tiếp nhận»
    # the cluster may found the issue or join one: the words fit both
    assert texts[0] == "Nhận cụm ý kiến vào vấn đề theo đề xuất: 3 ý kiến"
    assert texts[1].startswith("Xác định chế độ thời hạn giải quyết: ")
    assert texts[1].endswith(": không → có")
    assert texts[2] == "Cập nhật"  # an unknown action is not shown by its key
    assert not any("." in t.split(":")[0] for t in texts)
