"""A report document carries its issuing body's letterhead and takes a number from that body's
register, so only that body's coordinators draft, edit and issue it: the HĐND standing
committee its petition reports, the Propaganda Department its programme and situation
reports and conclusions notices. Issued documents stay readable by every reader, and the list
says who issues each document and who drafted it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from tests.conftest import World
from tests.factories import AgencyFactory, member

from phoihop.cases.models import Issue
from phoihop.core import policy
from phoihop.core.models import Agency, Membership, User
from phoihop.reports import issuers, selectors, services
from phoihop.reports.content import Document
from phoihop.reports.models import ReportDocument

R = Membership.Role
Kind = ReportDocument.Kind
COUNCIL_NAME = "Thường trực Hội đồng nhân dân tỉnh Lạng Sơn"
DEPARTMENT_NAME = "Ban Tuyên giáo và Dân vận"
DOCUMENTS = "/cong-viec/bao-cao/van-ban/"


@pytest.fixture
def council(world: World) -> User:
    """`hdnd`, coordinator of the HĐND standing committee (the world's coordinator, `dieuphoi`,
    is the Propaganda Department's)."""
    world.coordinator.full_name = "Nguyễn Thị Hoa"
    world.coordinator.save(update_fields=["full_name"])
    agency = AgencyFactory(
        code="hdnd", name=COUNCIL_NAME, short_name="TT HĐND tỉnh", kind=Agency.Kind.COUNCIL
    )
    user = member(agency, R.COORDINATOR, "hdnd")
    user.full_name = "Lương Văn Tín"
    user.save(update_fields=["full_name"])
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _kind_options(page: str) -> set[str]:
    select = re.search(r'<select name="kind".*?</select>', page, re.S)
    assert select is not None, page
    return set(re.findall(r'<option value="([^"]+)"', select.group(0)))


def test_each_kind_is_written_only_by_the_coordinators_of_its_issuing_body(
    world: World, council: User
) -> None:
    for kind in Kind.values:
        mine = kind in (Kind.PETITIONS_SUMMARY, Kind.PETITIONS_RESULTS)
        for verb in ("reports.report_draft", "reports.report_issue"):
            assert policy.can(council, verb, kind) is mine, (verb, kind)
            assert policy.can(world.coordinator, verb, kind) is not mine, (verb, kind)
    assert selectors.draftable_kinds(user=council) == [
        Kind.PETITIONS_SUMMARY,
        Kind.PETITIONS_RESULTS,
    ]
    assert selectors.draftable_kinds(user=world.coordinator) == [
        Kind.PROGRAMME,
        Kind.SITUATION,
        Kind.CONCLUSIONS,
    ]
    # a coordinator of a body that issues no report, and the readers, write none of them
    ubnd = member(AgencyFactory(code="ubnd", kind=Agency.Kind.PEOPLES_COMMITTEE), R.COORDINATOR)
    for reader in (ubnd, world.leader, world.viewer, world.administrator):
        assert selectors.draftable_kinds(user=reader) == []
        assert policy.can(reader, "reports.report_read")


def test_the_propaganda_coordinator_cannot_draft_edit_or_issue_the_councils_petition_report(
    world: World, council: User
) -> None:
    dieuphoi = world.coordinator
    with pytest.raises(PermissionDenied, match=COUNCIL_NAME):
        services.document_draft(by=dieuphoi, kind=Kind.PETITIONS_SUMMARY, period="2026-Q4")
    assert not ReportDocument.objects.exists()

    report = services.document_draft(by=council, kind=Kind.PETITIONS_SUMMARY, period="2026-Q4")
    assert Document.from_json(report.content).issuing_body == "THƯỜNG TRỰC HĐND"
    with pytest.raises(PermissionDenied, match=COUNCIL_NAME):
        services.document_edit(report=report, by=dieuphoi, texts={"intro": "Sửa hộ."})
    with pytest.raises(PermissionDenied, match=COUNCIL_NAME):
        services.document_issue(report=report, by=dieuphoi, number="13")
    report.refresh_from_db()
    assert report.state == ReportDocument.State.DRAFT and not report.number
    assert "Sửa hộ." not in str(report.content)

    services.document_edit(report=report, by=council, texts={"intro": "Lời dẫn của HĐND."})
    issued = services.document_issue(report=report, by=council, number="13")
    assert issued.number == "13/BC-HĐND" and issued.issued_by == council


def test_the_council_coordinator_cannot_draft_the_situation_report(
    world: World, council: User
) -> None:
    with pytest.raises(PermissionDenied, match=DEPARTMENT_NAME):
        services.document_draft(by=council, kind=Kind.SITUATION, period="2026-11")
    with pytest.raises(PermissionDenied, match=DEPARTMENT_NAME):
        services.document_draft(by=council, kind=Kind.PROGRAMME, period="2026")
    assert not ReportDocument.objects.exists()

    report = services.document_draft(by=world.coordinator, kind=Kind.SITUATION, period="2026-11")
    heading = Document.from_json(report.content)
    assert heading.issuing_body == "BAN TUYÊN GIÁO VÀ DÂN VẬN"
    with pytest.raises(PermissionDenied, match=DEPARTMENT_NAME):
        services.document_edit(report=report, by=council, texts={"overview": "Sửa hộ."})
    with pytest.raises(PermissionDenied, match=DEPARTMENT_NAME):
        services.document_issue(report=report, by=council, number="15")
    issued = services.document_issue(report=report, by=world.coordinator, number="15")
    assert issued.number == "15-BC/BTGDVTU"


def test_another_bodys_kind_is_refused_in_the_browser_naming_the_issuing_body(
    world: World, council: User
) -> None:
    dieuphoi, hdnd = _client(world.coordinator), _client(council)
    refused = dieuphoi.post(DOCUMENTS, {"kind": Kind.PETITIONS_SUMMARY, "period": "2026-Q4"})
    assert refused.status_code == 403
    assert COUNCIL_NAME in refused.content.decode()
    assert not ReportDocument.objects.exists()

    assert (
        hdnd.post(DOCUMENTS, {"kind": Kind.PETITIONS_SUMMARY, "period": "2026-Q4"}).status_code
        == 302
    )
    report = ReportDocument.objects.get()
    page = f"{DOCUMENTS}{report.pk}/"
    assert dieuphoi.get(page).status_code == 403
    edit = dieuphoi.post(page, {"text-intro": "Sửa hộ."})
    assert edit.status_code == 403 and COUNCIL_NAME in edit.content.decode()
    issue = dieuphoi.post(page, {"number": "13", "confirm": "on"})
    assert issue.status_code == 403 and COUNCIL_NAME in issue.content.decode()
    assert dieuphoi.get(f"{page}tai.pdf").status_code == 403  # a draft stays with its body
    report.refresh_from_db()
    assert report.state == ReportDocument.State.DRAFT and not report.number

    situation = hdnd.post(DOCUMENTS, {"kind": Kind.SITUATION, "period": "2026-11"})
    assert situation.status_code == 403 and DEPARTMENT_NAME in situation.content.decode()
    assert ReportDocument.objects.count() == 1

    assert hdnd.post(page, {"number": "13", "confirm": "on"}).status_code == 302
    report.refresh_from_db()
    assert report.number == "13/BC-HĐND"
    # issued, it is readable by the other body's coordinator like by every reader
    assert dieuphoi.get(f"{page}tai.pdf").status_code == 200
    assert _client(world.leader).get(f"{page}tai.pdf").status_code == 200


def test_the_draft_form_offers_only_the_kinds_the_user_issues(world: World, council: User) -> None:
    council_page = _client(council).get(DOCUMENTS).content.decode()
    assert _kind_options(council_page) == {Kind.PETITIONS_SUMMARY, Kind.PETITIONS_RESULTS}
    assert 'name="session"' in council_page  # by session, for the petition reports
    assert 'name="meeting"' not in council_page and 'name="issue"' not in council_page

    department_page = _client(world.coordinator).get(DOCUMENTS).content.decode()
    assert _kind_options(department_page) == {Kind.PROGRAMME, Kind.SITUATION, Kind.CONCLUSIONS}
    assert 'name="session"' not in department_page
    assert 'name="meeting"' in department_page and 'name="issue"' in department_page

    # a coordinator of a body that issues no report reads the issued documents only
    ubnd = member(AgencyFactory(code="ubnd", kind=Agency.Kind.PEOPLES_COMMITTEE), R.COORDINATOR)
    page = _client(ubnd).get(DOCUMENTS).content.decode()
    assert "Lập dự thảo" not in page and "Các văn bản đã ban hành" in page


def test_the_issue_page_offers_the_on_demand_report_to_the_department_only(
    world: World, council: User, assigned: Issue
) -> None:
    link = "Lập báo cáo dư luận đột xuất về vấn đề này"
    assert (
        link in _client(world.coordinator).get(f"/cong-viec/van-de/{assigned.pk}/").content.decode()
    )
    assert link not in _client(council).get(f"/cong-viec/van-de/{assigned.pk}/").content.decode()


def _row(page: str, cell: str) -> str:
    """The table row of the list that holds `cell`."""
    rows = [r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if cell in r]
    assert len(rows) == 1, (cell, rows)
    return rows[0]


def test_the_list_shows_the_issuing_body_and_who_drafted_each_document(
    world: World, council: User
) -> None:
    petitions = services.document_issue(
        report=services.document_draft(by=council, kind=Kind.PETITIONS_SUMMARY, period="2026-Q4"),
        by=council,
        number="13",
    )
    situation = services.document_draft(by=world.coordinator, kind=Kind.SITUATION, period="2026-11")

    page = _client(council).get(DOCUMENTS).content.decode()
    assert '<th scope="col">Cơ quan ban hành</th>' in page
    assert '<th scope="col">Người lập</th>' in page
    row = _row(page, "13/BC-HĐND")
    assert f"<td>{COUNCIL_NAME}</td>" in row and "<td>Lương Văn Tín</td>" in row
    assert f'href="{DOCUMENTS}{petitions.pk}/"' in row  # its own: opened to read or edit
    # the department's draft stays with the department
    assert f"/van-ban/{situation.pk}/" not in page

    services.document_issue(report=situation, by=world.coordinator, number="15")
    page = _client(council).get(DOCUMENTS).content.decode()
    row = _row(page, "15-BC/BTGDVTU")
    assert f"<td>{DEPARTMENT_NAME}</td>" in row and "<td>Nguyễn Thị Hoa</td>" in row
    assert f'href="{DOCUMENTS}{situation.pk}/"' not in row  # another body's: downloaded
    assert f'href="{DOCUMENTS}{situation.pk}/tai.pdf"' in row

    reader = _client(world.leader).get(DOCUMENTS).content.decode()
    assert "<td>Lương Văn Tín</td>" in _row(reader, "13/BC-HĐND")
    assert f"<td>{DEPARTMENT_NAME}</td>" in _row(reader, "15-BC/BTGDVTU")


def test_a_kind_whose_body_is_not_registered_is_refused_saying_so(world: Any) -> None:
    """No council agency in the directory: nobody writes the petition reports."""
    with pytest.raises(PermissionDenied, match="chưa có cơ quan ban hành"):
        services.document_draft(by=world.coordinator, kind=Kind.PETITIONS_RESULTS, period="2026-Q4")


def test_the_councils_letterhead_is_the_same_registered_or_not_whatever_its_code(
    db: None,
) -> None:
    usual = issuers.issuers_of(Kind.PETITIONS_SUMMARY)
    assert [(i.name, i.symbol) for i in usual] == [("THƯỜNG TRỰC HĐND", "HĐND")]
    AgencyFactory(code="tt-hdnd", name=COUNCIL_NAME, kind=Agency.Kind.COUNCIL)
    assert issuers.issuers_of(Kind.PETITIONS_SUMMARY) == usual
