"""Back up, change, restore: the change is gone and nothing else is (issue 14, production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from phoihop.cases import services as case_services
from phoihop.cases.models import Issue
from phoihop.core import audit
from phoihop.core.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def _everything(media: Path) -> dict[str, Any]:
    """Every row of every model, and every media file with its bytes."""
    state: dict[str, Any] = {}
    for model in apps.get_models():
        rows = model._default_manager.order_by("pk")
        state[model._meta.label] = serializers.serialize("json", rows)
    state["media"] = {
        str(p.relative_to(media)): p.read_bytes() for p in sorted(media.rglob("*")) if p.is_file()
    }
    return state


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "portal").mkdir(parents=True)
    (settings.MEDIA_ROOT / "portal" / "nghi-quyet.pdf").write_bytes(b"%PDF-1.4 ban goc")
    return Path(settings.MEDIA_ROOT)


def test_back_up_change_restore_verify(world: Any, media: Path, tmp_path: Path) -> None:
    kept = case_services.issue_create(by=world.coordinator, title="Đường tỉnh lộ 1B xuống cấp")
    before = _everything(media)
    events_before = AuditEvent.objects.count()
    call_command("backup", str(tmp_path / "sao-luu"))
    names = {p.name for p in (tmp_path / "sao-luu").iterdir()}
    assert {"manifest.json", "media.tar", "audit-checkpoint.json"} < names
    assert names & {"database.sqlite3", "database.pgdump"}

    # The change: a new issue, an edited one, a new file, a deleted file.
    case_services.issue_create(by=world.coordinator, title="Vấn đề tạo sau khi sao lưu")
    case_services.issue_classify(issue=kept, by=world.coordinator, field=world.field)
    (media / "portal" / "moi.pdf").write_bytes(b"%PDF-1.4 moi")
    (media / "portal" / "nghi-quyet.pdf").unlink()
    assert AuditEvent.objects.count() > events_before

    call_command("restore", str(tmp_path / "sao-luu"))
    after = _everything(media)
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], key
    assert not Issue.objects.filter(title="Vấn đề tạo sau khi sao lưu").exists()
    assert audit.verify_chain().ok
    call_command("verify_audit")


def test_a_damaged_backup_is_refused_before_anything_changes(
    world: Any, media: Path, tmp_path: Path
) -> None:
    case_services.issue_create(by=world.coordinator, title="Trước sao lưu")
    target = tmp_path / "sao-luu"
    call_command("backup", str(target))
    case_services.issue_create(by=world.coordinator, title="Sau sao lưu")
    archive = target / "media.tar"
    archive.write_bytes(archive.read_bytes() + b"\0")
    with pytest.raises(CommandError, match=r"media\.tar"):
        call_command("restore", str(target))
    assert Issue.objects.filter(title="Sau sao lưu").exists()  # nothing was touched
