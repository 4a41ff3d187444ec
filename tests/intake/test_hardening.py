"""Issue 14, defect 8 (intake side): single-use form tokens, the trusted-proxy address,
documented settings that are read."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from tests.factories import AssignmentFactory, IssueFactory
from tests.intake.conftest import PETITION_HEADERS, petition_rows, xlsx_bytes

from phoihop.cases.models import Assignment
from phoihop.core.models import AuditEvent
from phoihop.core.web import client_ip
from phoihop.intake import files, services
from phoihop.intake.forms import form_token
from phoihop.intake.models import ImportBatch, Signal
from phoihop.intake.services import imports

CONTENT = "Cống thoát nước trước nhà văn hóa khối 5 bị tắc, nước tràn lên đường."


def test_a_form_token_is_accepted_once(db: None) -> None:
    token = form_token(time.time() - 30)
    first = Client().post(
        "/phan-anh/", {"content": CONTENT, "started": token, "website": ""}, REMOTE_ADDR="10.1.0.1"
    )
    assert first.status_code == 302
    replay = Client().post(
        "/phan-anh/",
        {"content": CONTENT + " lần hai", "started": token, "website": ""},
        REMOTE_ADDR="10.1.0.2",
    )
    assert replay.status_code == 400
    assert "đã hết hạn" in replay.content.decode()
    assert Signal.objects.count() == 1


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),  # not a proxy: the header is ignored
        ("10.0.0.5", "198.51.100.7", "198.51.100.7"),  # the proxy: its client
        ("10.0.0.5", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a spoofed left part
        ("10.0.0.5", "198.51.100.7, 10.0.0.6", "198.51.100.7"),  # two proxies in a row
        ("10.0.0.5", "rác", "10.0.0.5"),
    ],
)
def test_client_address_behind_trusted_proxies(
    settings: Any, remote: str, forwarded: str, expected: str
) -> None:
    settings.PHOIHOP_TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_rate_limits_key_on_the_client_behind_the_proxy(db: None, settings: Any) -> None:
    settings.PHOIHOP_TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.PHOIHOP_FEEDBACK_RATE = "2/h"

    def post(client_address: str) -> int:
        data = {"content": f"{CONTENT} {time.time()}", "started": form_token(time.time() - 30)}
        return (
            Client()
            .post("/phan-anh/", data, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=client_address)
            .status_code
        )

    assert [post("198.51.100.20") for _ in range(3)] == [302, 302, 429]
    assert post("198.51.100.21") == 302  # another citizen behind the same proxy


def _settings_in_subprocess(
    env: dict[str, str], expression: str
) -> subprocess.CompletedProcess[str]:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    base = {k: v for k, v in os.environ.items() if not k.startswith("PHOIHOP_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "phoihop.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_documented_settings_are_read_from_the_environment(tmp_path: Path) -> None:
    env = {
        "PHOIHOP_VAR_DIR": str(tmp_path),
        "PHOIHOP_FEEDBACK_RATE": "3/m",
        "PHOIHOP_INTAKE_MAX_FILE_BYTES": "1234",
        "PHOIHOP_INTAKE_MAX_UNZIPPED_BYTES": "5678",
        "PHOIHOP_INTAKE_MAX_ATTACHMENT_BYTES": "910",
    }
    result = _settings_in_subprocess(
        env,
        "settings.PHOIHOP_FEEDBACK_RATE, settings.PHOIHOP_INTAKE_MAX_FILE_BYTES, "
        "settings.PHOIHOP_INTAKE_MAX_UNZIPPED_BYTES, settings.PHOIHOP_INTAKE_MAX_ATTACHMENT_BYTES",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3/m 1234 5678 910"


def test_the_file_size_setting_limits_imports(settings: Any) -> None:
    settings.PHOIHOP_INTAKE_MAX_FILE_BYTES = 100
    with pytest.raises(files.FileRejected, match="quá lớn"):
        list(files.read_rows(data=b"a,b\n" * 100, filename="x.csv"))


def test_the_published_demo_key_is_refused_and_none_is_built_in(tmp_path: Path) -> None:
    refused = _settings_in_subprocess(
        {
            "PHOIHOP_VAR_DIR": str(tmp_path),
            "PHOIHOP_SECRET_KEY": "phoihop-embedded-demo-key-change-me-in-production",
        },
        "settings.SECRET_KEY",
    )
    assert refused.returncode != 0 and "PHOIHOP_SECRET_KEY" in refused.stderr
    first = _settings_in_subprocess({"PHOIHOP_VAR_DIR": str(tmp_path)}, "settings.SECRET_KEY")
    second = _settings_in_subprocess({"PHOIHOP_VAR_DIR": str(tmp_path)}, "settings.SECRET_KEY")
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert key == second.stdout.strip() and len(key) >= 50
    assert "change-me" not in key
    assert oct((tmp_path / "secret.key").stat().st_mode & 0o777) == "0o600"
    other = _settings_in_subprocess({"PHOIHOP_VAR_DIR": str(tmp_path / "b")}, "settings.SECRET_KEY")
    assert other.stdout.strip() != key


# ---- defect 4: a web import whose worker died is offered again -------------------------


def test_an_import_whose_worker_died_is_offered_again(world: Any, places: Any) -> None:
    client = Client()
    client.force_login(world.coordinator)
    upload = SimpleUploadedFile("dot.xlsx", xlsx_bytes([PETITION_HEADERS, *petition_rows(5)]))
    client.post("/cong-viec/tiep-nhan/nhap/", {"file": upload, "channel": "petitions"})
    batch = ImportBatch.objects.get()
    # The worker checked every row, started writing, and was killed: «Đang ghi dữ liệu 100%».
    long_ago = timezone.now() - dt.timedelta(hours=2)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.WRITING, processed_rows=5, total_rows=5, heartbeat_at=long_ago
    )
    page = client.get(f"/cong-viec/tiep-nhan/nhap/{batch.pk}/").content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "every 2s" not in page and "dừng giữa chừng" in page and "Nhập lại" in page

    DBTaskResult.objects.all().delete()
    response = client.post(f"/cong-viec/tiep-nhan/nhap/{batch.pk}/nhap-lai/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED
    assert DBTaskResult.objects.get(task_path__endswith="run_import").args_kwargs["args"] == [
        batch.pk
    ]


def test_a_running_import_with_a_live_worker_is_left_alone(world: Any) -> None:
    batch = ImportBatch.objects.create(
        channel="petitions", file_name="x.xlsx", status=ImportBatch.Status.WRITING
    )
    imports._batch_update(batch, processed_rows=1)  # a progress update: a sign of life
    assert services.import_batches_recover() == []
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.WRITING


# ---- defect 6: a citizen's contact details -----------------------------------------------


def test_contact_details_only_for_coordinators_and_the_lead_agency_audited(world: Any) -> None:
    received = services.feedback_submit(
        content=CONTENT, name="Nguyễn Thị Hoa", contact="0912345678"
    )
    signal = received.signal
    issue = IssueFactory()
    AssignmentFactory(issue=issue, agency=world.dept, role=Assignment.Role.LEAD)
    AssignmentFactory(issue=issue, agency=world.other, role=Assignment.Role.SUPPORT)
    Signal.objects.filter(pk=signal.pk).update(issue=issue)

    def page(user: Any) -> str:
        client = Client()
        client.force_login(user)
        response = client.get(f"/cong-viec/tiep-nhan/{signal.pk}/")
        assert response.status_code == 200
        return response.content.decode()

    for user in (world.coordinator, world.handler, world.leader):
        html = page(user)
        assert "Nguyễn Thị Hoa" in html and "0912345678" in html
    for user in (world.other_handler, world.viewer):
        html = page(user)
        assert "Nguyễn Thị Hoa" not in html and "0912345678" not in html
        assert "chỉ hiển thị cho cơ quan điều phối" in html
    viewers = set(
        AuditEvent.objects.filter(
            action="signal.contact.view", target_id=str(signal.pk)
        ).values_list("actor_id", flat=True)
    )
    assert viewers == {world.coordinator.pk, world.handler.pk, world.leader.pk}
