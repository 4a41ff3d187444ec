"""The demo province loads twice without duplicates and gives every role something to see."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

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


def _docx_text(data: bytes) -> str:
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_second_province_loads_with_one_setting_changed(db: None, settings: Any) -> None:
    """PHOIHOP_PROVINCE_CODE=4 (Cao Bằng): the demo, the public portal, its feeds and the
    official documents all name Cao Bằng, and Lạng Sơn nowhere."""
    from django.core.cache import cache
    from django.template.loader import render_to_string

    from phoihop.intake.models import CouncilSession
    from phoihop.portal.models import Article
    from phoihop.programme.briefs import project_brief_docx
    from phoihop.programme.models import KeyProject
    from phoihop.reports import selectors as reports
    from phoihop.reports.render_docx import render_docx

    settings.PHOIHOP_PROVINCE_CODE = 4
    cache.clear()  # the portal's cached pages of another test
    load_demo()

    province = AdministrativeUnit.objects.get(level=AdministrativeUnit.Level.PROVINCE)
    assert (province.code, province.name) == (4, "Cao Bằng")
    communes = AdministrativeUnit.objects.filter(parent=province)
    assert communes.count() > 40 and not communes.filter(name="Phường Lương Văn Tri").exists()
    assert Agency.objects.get(code="btgdv").name == "Ban Tuyên giáo và Dân vận Tỉnh ủy Cao Bằng"
    assert Agency.objects.get(code="ubnd").name == "Ủy ban nhân dân tỉnh Cao Bằng"
    assert not Agency.objects.filter(name__contains="Lạng Sơn").exists()
    commune_user = User.objects.get(username="xuly.xa").memberships.get().agency
    assert commune_user.unit is not None and commune_user.unit.parent_id == province.pk
    assert not Issue.objects.filter(title__contains="Lạng Sơn").exists()

    client = Client()
    home = client.get("/").content.decode()
    assert "Tỉnh Cao Bằng" in home and "Lạng Sơn" not in home
    feed = client.get("/chuyen-muc/phan-bac-thong-tin-sai/rss/").content.decode()
    assert "tỉnh Cao Bằng" in feed and "Lạng Sơn" not in feed
    for article in Article.objects.filter(state=Article.State.PUBLISHED)[:3]:
        page = client.get(article.get_absolute_url()).content.decode()
        assert "tỉnh Cao Bằng" in page and "Lạng Sơn" not in page

    session = CouncilSession.objects.get()
    assert "Cao Bằng" in session.title
    summary = reports.petitions_summary(session=session)
    assert summary.parent_body == "HĐND TỈNH CAO BẰNG"
    assert summary.place_date.startswith("Cao Bằng, ngày ")
    department = reports.department_issuer()
    assert (department.parent, department.name) == ("TỈNH ỦY CAO BẰNG", "BAN TUYÊN GIÁO VÀ DÂN VẬN")
    html = render_to_string("reports/document.html", {"doc": summary})
    text = _docx_text(render_docx(summary))
    assert "CAO BẰNG" in text
    brief = _docx_text(project_brief_docx(project=KeyProject.objects.get()))
    assert "Cao Bằng, ngày" in brief
    for page in (html, text, brief):
        assert "Lạng Sơn" not in page and "LẠNG SƠN" not in page


def test_demo_deadlines_are_working_days_and_the_notifications_carry_them(db: None) -> None:
    from phoihop.core.selectors import working_calendar
    from phoihop.notifications.models import Notification

    load_demo()
    calendar = working_calendar()
    assignments = list(Assignment.objects.select_related("issue"))
    assert assignments
    for assignment in assignments:
        assert calendar.is_working_day(assignment.deadline), (
            assignment.issue.code,
            assignment.deadline,
        )
    told_late = 0
    for notification in Notification.objects.filter(key__startswith="assigned:"):
        assignment = Assignment.objects.get(pk=int(notification.key.split(":")[1]))
        assert f"hạn {assignment.deadline:%d/%m/%Y}." in notification.text, notification.text
        told_late += assignment.deadline < timezone.localdate()
    assert told_late  # the late work's notifications say the late date
    late = [a for a in assignments if a.is_open and a.deadline < timezone.localdate()]
    assert late  # the demo still shows overdue work
    from phoihop.cases.deadlines import legal_due

    for assignment in late:  # the public page and the agency's desk say the same date
        if assignment.role == Assignment.Role.LEAD:
            assert legal_due(assignment.issue).on == assignment.deadline, assignment.issue.code


def test_make_run_escalates_overdue_work_hourly_beside_the_worker_and_server() -> None:
    root = Path(__file__).resolve().parents[1]
    recipe = subprocess.run(
        ["make", "-n", "run"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    served = next(line for line in recipe.splitlines() if "runserver" in line)
    # one shell whose trap stops the worker, the hourly escalation and the server together
    assert 'bash -c \'trap "kill 0" EXIT;' in served
    assert "phoihop db_worker" in served
    assert "while true; do .venv/bin/phoihop escalate-overdue" in served
    assert "; .venv/bin/phoihop announce-deadlines >>var/worker.log 2>&1; sleep 3600;" in served
    assert "sleep 3600" in served


def test_the_demo_rebuttal_waiting_for_sign_off_rings_its_confirming_leader_only(
    db: None,
) -> None:
    from phoihop.notifications.models import Notification

    load_demo()
    waiting = Notification.objects.filter(kind=Notification.Kind.REBUTTAL_TO_CONFIRM)
    # the draft waiting for Sở NN&MT rings lanhdao.nnmt; the court's, confirmed before the
    # demo began, rings nobody
    assert [n.user.username for n in waiting] == ["lanhdao.nnmt"]
    load_demo()
    assert waiting.count() == 1
