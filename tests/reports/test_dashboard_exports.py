"""Dashboards for leaders and agencies; streamed exports that never run formulas."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from tests.factories import SignalFactory

from phoihop.cases import services
from phoihop.cases.models import Issue
from phoihop.reports.exports import safe_cell


@pytest.fixture
def issues(world: Any) -> dict[str, Issue]:
    made = {}
    for key, title, visibility, agency in [
        ("formula", '=HYPERLINK("http://x")', "public", "dept"),
        ("internal_other", "Việc nội bộ của Sở Xây dựng", "internal", "other"),
        ("plain", "Đường giao thông nông thôn", "internal", "dept"),
    ]:
        issue = services.issue_create(by=world.coordinator, title=title, visibility=visibility)
        services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
        services.issue_assign(issue=issue, by=world.coordinator, agency=getattr(world, agency))
        made[key] = issue
    return made


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_csv_export_streams_visible_issues_with_formulas_neutralised(
    world: Any, issues: dict[str, Issue]
) -> None:
    response = _client(world.handler).get("/cong-viec/bao-cao/xuat/van-de.csv")
    assert response.streaming
    rows = list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"))))
    assert rows[0][0] == "Mã"
    titles = {row[1] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in titles
    assert "Đường giao thông nông thôn" in titles
    assert "Việc nội bộ của Sở Xây dựng" not in titles  # another agency's internal issue


def test_xlsx_export_respects_filters(world: Any, issues: dict[str, Issue]) -> None:
    response = _client(world.coordinator).get(
        "/cong-viec/bao-cao/xuat/van-de.xlsx", {"q": "duong giao thong"}
    )
    workbook = load_workbook(io.BytesIO(_body(response)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["Đường giao thông nông thôn"]
    assert rows[1][8] == "Sở Nông nghiệp và Môi trường"


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x"])
def test_formula_cells_are_neutralised(value: str) -> None:
    assert safe_cell(value).startswith("'")
    assert safe_cell("Bình thường") == "Bình thường"
    assert safe_cell(5) == 5


def test_signal_exports_follow_the_signal_list_filters(
    world: Any, issues: dict[str, Issue]
) -> None:
    from phoihop.triage.normalize import fold

    for channel, text in [
        ("petition", "Kiến nghị về đường giao thông"),
        ("social", "=cmd|' /C calc'!A0"),
    ]:
        SignalFactory(
            channel=channel,
            source="t",
            raw_text=text,
            search_text=fold(text),
            issue=issues["plain"],
        )
    client = _client(world.coordinator)
    petitions = client.get("/cong-viec/bao-cao/xuat/kien-nghi.csv")
    rows = list(csv.reader(io.StringIO(_body(petitions).decode("utf-8-sig"))))
    assert [r[2] for r in rows[1:]] == ["Kiến nghị về đường giao thông"]
    social = client.get("/cong-viec/bao-cao/xuat/tin-hieu.csv", {"channel": "social"})
    rows = list(csv.reader(io.StringIO(_body(social).decode("utf-8-sig"))))
    assert [r[2] for r in rows[1:]] == ["'=cmd|' /C calc'!A0"]
    # A handler of another agency sees no signal of this internal issue.
    other = _client(world.other_handler).get("/cong-viec/bao-cao/xuat/tin-hieu.csv")
    assert len(list(csv.reader(io.StringIO(_body(other).decode("utf-8-sig"))))) == 1
    assert client.get("/cong-viec/bao-cao/xuat/khac.csv").status_code == 404


def test_province_dashboard_for_coordinators(world: Any, issues: dict[str, Issue]) -> None:
    page = _client(world.coordinator).get("/cong-viec/bao-cao/").content.decode()
    # the figures are those of the issues this person may see: the title says so
    assert "Tổng quan toàn tỉnh" not in page
    assert "Tổng quan các vấn đề bạn được xem" in page
    assert "chỉ tính các vấn đề bạn có quyền xem" in page
    assert "<svg" in page and "<table" in page  # every chart has its data table
    assert "Việc quá hạn theo cơ quan" in page


def test_handler_gets_their_agency_dashboard_only(world: Any, issues: dict[str, Issue]) -> None:
    client = _client(world.handler)
    page = client.get("/cong-viec/bao-cao/").content.decode()
    assert "Tổng quan công việc: Sở Nông nghiệp và Môi trường" in page
    assert client.get(f"/cong-viec/bao-cao/?co-quan={world.other.pk}").status_code == 403


def test_commune_map_cells_are_shaded_by_issues() -> None:
    from phoihop.reports.maps import Commune, commune_map

    communes = [
        Commune("Phường A", 21.85, 106.75, 6),
        Commune("Phường B", 21.80, 106.70, 3),
        Commune("Xã C", 22.10, 106.40, 0),
        Commune("Xã D", 21.60, 106.90, 1),
    ]
    drawn = commune_map(communes)
    assert drawn is not None and len(drawn.cells) == 4
    shades = {cell.name: cell.shade for cell in drawn.cells}
    assert shades == {"Phường A": 4, "Phường B": 2, "Xã C": 0, "Xã D": 1}
    assert all(cell.path.startswith("M ") and cell.path.endswith("Z") for cell in drawn.cells)
    assert commune_map(communes[:2]) is None  # too few centres to draw


def test_province_dashboard_draws_the_demo_communes(db: None) -> None:
    from phoihop.core.models import AdministrativeUnit, User
    from phoihop.demo.loader import load_demo

    load_demo()
    assert AdministrativeUnit.objects.filter(level="commune", latitude__isnull=False).count() == 65
    page = (
        _client(User.objects.get(username="dieuphoi")).get("/cong-viec/bao-cao/").content.decode()
    )
    assert 'class="commune-map"' in page
    commune_map = page.split('class="commune-map"', 1)[1].split("</svg>", 1)[0]
    assert commune_map.count("<path ") == 65
    assert "Phường Đông Kinh: 1" in page  # the demo's land-clearance issue


def test_signal_exports_give_local_times_as_dates_and_source_names(
    world: Any, issues: dict[str, Issue]
) -> None:
    import datetime as dt

    from phoihop.intake.models import Signal, VoterContactRound

    meeting = "Tiếp xúc cử tri trước Kỳ họp thứ 5, HĐND tỉnh khóa XVII"
    text = "Kiến nghị sửa đường liên xã"
    signal = SignalFactory(
        channel="petition",
        source=f"kien-nghi:{meeting}",
        raw_text=text,
        round=VoterContactRound.objects.create(name=meeting),
        issue=issues["plain"],
    )
    social = SignalFactory(
        channel="social",
        source="mxh:facebook:fb-1",
        raw_text="Đường hỏng",
        issue=issues["plain"],
    )
    utc = dt.datetime(2026, 12, 7, 21, 8, tzinfo=dt.UTC)  # 08/12/2026 04:08 in Hà Nội
    Signal.objects.filter(pk__in=[signal.pk, social.pk]).update(received_at=utc)
    client = _client(world.coordinator)

    book = load_workbook(io.BytesIO(_body(client.get("/cong-viec/bao-cao/xuat/kien-nghi.xlsx"))))
    header, row = list(book.active.iter_rows())[:2]
    assert [c.value for c in header][1] == "Nguồn" and row[1].value == meeting
    received = row[4]
    assert received.value == dt.datetime(2026, 12, 8, 4, 8)  # a real date, local time
    assert received.number_format.startswith("dd/mm/yyyy")

    rows = list(
        csv.reader(
            io.StringIO(
                _body(client.get("/cong-viec/bao-cao/xuat/tin-hieu.csv")).decode("utf-8-sig")
            )
        )
    )
    by_text = {r[2]: r for r in rows[1:]}
    assert by_text[text][1] == meeting and by_text[text][4] == "08/12/2026 04:08"
    assert by_text["Đường hỏng"][1] == "Mạng xã hội Facebook"


def test_issue_export_writes_dates_as_excel_dates(world: Any, issues: dict[str, Issue]) -> None:
    import datetime as dt

    response = _client(world.coordinator).get("/cong-viec/bao-cao/xuat/van-de.xlsx")
    book = load_workbook(io.BytesIO(_body(response)))
    header, row = list(book.active.iter_rows())[:2]
    column = [c.value for c in header].index("Ngày tiếp nhận")
    assert isinstance(row[column].value, dt.datetime)  # Excel keeps dates as date-times
    assert row[column].number_format == "dd/mm/yyyy"


def test_a_ubnd_leader_follows_its_departments_overdue_work_to_the_items(
    world: Any, issues: dict[str, Issue]
) -> None:
    import datetime as dt

    from django.utils import timezone
    from tests.factories import AgencyFactory, member

    from phoihop.cases.models import Assignment
    from phoihop.core.models import Agency, Membership

    ubnd = AgencyFactory(code="ubnd", name="UBND tỉnh", kind=Agency.Kind.PEOPLES_COMMITTEE)
    for dept in (world.dept, world.other):
        dept.parent = ubnd
        dept.save()
    late = timezone.localdate() - dt.timedelta(days=2)
    Assignment.objects.filter(issue=issues["plain"]).update(deadline=late)
    Assignment.objects.filter(issue=issues["internal_other"]).update(deadline=late)
    client = _client(member(ubnd, Membership.Role.LEADER, "lanhdao.ubnd"))
    page = client.get("/cong-viec/bao-cao/").content.decode()
    link = f"/cong-viec/van-de/?agency={world.dept.pk}&amp;overdue=on"
    assert f'<a href="{link}">{world.dept.name}</a>' in page  # its internal issue counts
    listing = client.get(link.replace("&amp;", "&")).content.decode()
    assert issues["plain"].code in listing  # internal, followed by UBND's leader
    assert issues["internal_other"].code not in listing  # late, at the other department
    assert issues["formula"].code not in listing  # the department's, not late
    other = client.get(f"/cong-viec/van-de/?agency={world.other.pk}&overdue=on").content.decode()
    assert issues["internal_other"].code in other and issues["plain"].code not in other
