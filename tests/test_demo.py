"""The demo province loads twice without duplicates and gives every role something to see."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.test import Client

from phoihop.cases.models import Assignment, Issue
from phoihop.core.audit import verify_chain
from phoihop.core.models import AdministrativeUnit, Agency, User
from phoihop.demo.core import DEMO_PASSWORD
from phoihop.demo.loader import load_demo


def test_demo_is_idempotent_and_keeps_agency_history(db: None) -> None:
    first = load_demo()
    counts = (
        Agency.objects.count(),
        User.objects.count(),
        Issue.objects.count(),
        Assignment.objects.count(),
    )
    second = load_demo()
    assert second["new_issues"] == 0 and first["new_issues"] > 0
    assert counts == (
        Agency.objects.count(),
        User.objects.count(),
        Issue.objects.count(),
        Assignment.objects.count(),
    )

    old = Agency.objects.get(code="btg")
    assert old.name == "Ban Tuyên giáo Tỉnh ủy Lạng Sơn"
    assert not old.is_active
    assert old.current.name == "Ban Tuyên giáo và Dân vận Tỉnh ủy Lạng Sơn"
    communes = AdministrativeUnit.objects.filter(parent__name="Lạng Sơn")
    assert communes.count() == 65
    assert communes.filter(name="Phường Lương Văn Tri").exists()
    assert verify_chain().ok


def test_demo_handler_logs_in_and_sees_issues_with_deadlines(db: None, settings: object) -> None:
    load_demo()
    client = Client()
    response = client.post(
        "/dang-nhap/", {"username": "xuly.nnmt", "password": DEMO_PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert "Việc của tôi" in page
    assert "Chậm chi trả tiền bồi thường giải phóng mặt bằng" in page
    assert re.search(r"\d{2}/\d{2}/\d{4}", page)
    assert "Quá hạn" in page


def test_load_demo_command_prints_the_logins(db: None, capsys: object) -> None:
    call_command("load_demo")
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert DEMO_PASSWORD in out and "xuly.nnmt" in out and "dieuphoi" in out


def test_console_script_runs_hyphenated_commands(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "phoihop"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PHOIHOP_VAR_DIR"] = str(tmp_path)
    migrate = subprocess.run(
        [script, "migrate", "-v0"], env=env, capture_output=True, text=True, check=False
    )
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [script, "verify-audit"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Nhật ký kiểm toán toàn vẹn: 0 sự kiện." in result.stdout
    usage = subprocess.run(
        [script, "help", "verify-audit"], env=env, capture_output=True, text=True, check=False
    )
    assert "chuỗi băm" in usage.stdout
