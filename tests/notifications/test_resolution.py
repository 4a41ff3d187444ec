"""Closing the loop: «Vấn đề đã được giải quyết chưa?» on the look-up page and from the
answer message; «chưa» with a reason reopens the issue; satisfaction per agency."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.factories import AgencyFactory, member
from tests.notifications.conftest import answered_issue, attach

from phoihop.cases import satisfaction as cases_satisfaction
from phoihop.cases import services as cases
from phoihop.cases.models import Issue, ResolutionFeedback
from phoihop.core.models import AuditEvent
from phoihop.intake import services as intake
from phoihop.notifications import services
from phoihop.notifications.models import Notification
from phoihop.reports.periods import parse_period
from phoihop.reports.programme_report import programme_report

pytestmark = pytest.mark.django_db


def _citizen(world: Any, *, publish: bool = True) -> tuple[Any, Issue]:
    signal = intake.feedback_submit(content="Đường liên xã sạt lở", contact="an@example.vn").signal
    issue = answered_issue(world, publish=publish)
    return attach(signal, issue), issue


def test_lookup_page_asks_once_the_answer_is_public(world: Any, client: Client) -> None:
    signal, issue = _citizen(world, publish=False)
    page = client.get(f"/tra-cuu/?ma={signal.tracking_code}").content.decode()
    assert "Vấn đề đã được giải quyết chưa?" not in page

    cases.issue_publish(issue=issue, by=world.coordinator)
    page = client.get(f"/tra-cuu/?ma={signal.tracking_code}").content.decode()
    assert "Vấn đề đã được giải quyết chưa?" in page
    assert 'name="tra-loi" value="co"' in page and 'name="tra-loi" value="chua"' in page


def test_yes_in_one_click_from_the_lookup_page_and_only_once(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    signal, issue = _citizen(world)
    page = client.get(f"/tra-cuu/?ma={signal.tracking_code}").content.decode()
    token = services.feedback_token(tracking_code=signal.tracking_code, issue_id=issue.pk)
    csrf = client.cookies["csrftoken"].value
    reply = client.post(
        f"/phan-hoi/{token}/", {"tra-loi": "co", "csrfmiddlewaretoken": csrf}, follow=True
    )
    assert "Cảm ơn bạn đã xác nhận" in reply.content.decode()
    client.post(
        f"/phan-hoi/{token}/", {"tra-loi": "chua", "ly-do": "đổi ý", "csrfmiddlewaretoken": csrf}
    )
    verdict = ResolutionFeedback.objects.get()
    assert verdict.resolved and verdict.agency == world.dept
    issue.refresh_from_db()
    assert issue.state == Issue.State.PUBLISHED  # the second click changed nothing
    assert (
        "Cảm ơn bạn đã xác nhận"
        in client.get(f"/tra-cuu/?ma={signal.tracking_code}").content.decode()
    )
    assert page  # the page was reachable before


def test_no_needs_a_reason_then_reopens_to_the_coordinator_and_tells_the_lead_leader(
    world: Any, client: Client
) -> None:
    signal, issue = _citizen(world)
    link = services.feedback_url(
        tracking_code=signal.tracking_code, issue_id=issue.pk, resolved=False
    )
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get(f"/{path}").content.decode()
    assert "vì sao vấn đề chưa được giải quyết" in form  # the link opens the reason form

    refused = client.post(f"/{path.split('?')[0]}", {"tra-loi": "chua", "ly-do": "  "})
    assert refused.status_code == 400 and "vì sao" in refused.content.decode()
    assert not ResolutionFeedback.objects.exists()

    client.post(f"/{path.split('?')[0]}", {"tra-loi": "chua", "ly-do": "Đường vẫn sạt sau mưa."})
    issue.refresh_from_db()
    assert issue.state == Issue.State.CLASSIFIED and issue.closed_at is None
    verdict = ResolutionFeedback.objects.get()
    assert not verdict.resolved and verdict.reopened and verdict.reason == "Đường vẫn sạt sau mưa."
    assert AuditEvent.objects.filter(action="issue.reopen", target_id=str(issue.pk)).exists()
    reopened = Notification.objects.filter(kind=Notification.Kind.REOPENED)
    assert set(reopened.values_list("user__username", flat=True)) == {"dieuphoi", "lanhdao"}

    # The coordinator routes it again; the next answer is asked about again.
    cases.issue_assign(issue=issue, by=world.coordinator, agency=world.other)
    lead = issue.assignments.get(agency=world.other)
    cases.assignment_respond(assignment=lead, by=world.other_handler, text="Đã gia cố")
    issue.refresh_from_db()
    cases.issue_answer(issue=issue, by=world.other_leader, text="Đã gia cố taluy.")
    cases.issue_publish(issue=issue, by=world.coordinator)
    assert services.feedback_for_code(code=signal.tracking_code).open  # type: ignore[union-attr]


def test_a_tampered_link_is_not_found(world: Any, client: Client) -> None:
    signal, issue = _citizen(world)
    token = services.feedback_token(tracking_code=signal.tracking_code, issue_id=issue.pk)
    assert client.get(f"/phan-hoi/{token[:-2]}xx/").status_code == 404
    other = services.feedback_token(tracking_code="PA-AAAA-BBBB", issue_id=issue.pk)
    assert client.get(f"/phan-hoi/{other}/").status_code == 404


def test_ranking_needs_twenty_verdicts(world: Any) -> None:
    issue = answered_issue(world)
    for i in range(15):
        cases.issue_feedback_record(issue=issue, tracking_code=f"PA-T{i:03d}", resolved=True)
    for i in range(5):  # verdicts of «chưa» (each reopened an earlier answer of the agency)
        ResolutionFeedback.objects.create(
            issue=issue,
            tracking_code=f"PA-N{i:03d}",
            answered_at=issue.answered_at,
            agency=world.dept,
            agency_name=world.dept.name,
            resolved=False,
            reason="chưa",
            reopened=True,
        )
    small = AgencyFactory(code="so-yt", name="Sở Y tế")
    leader = member(small, "leader", "lanhdao.yt")
    handler = member(small, "handler", "xuly.yt")
    other_issue = cases.issue_create(
        by=world.coordinator, title="Trạm y tế", visibility=Issue.Visibility.PUBLIC
    )
    cases.issue_classify(issue=other_issue, by=world.coordinator, field=world.field)
    lead = cases.issue_assign(issue=other_issue, by=world.coordinator, agency=small)
    cases.assignment_respond(assignment=lead, by=handler, text="x")
    other_issue.refresh_from_db()
    cases.issue_answer(issue=other_issue, by=leader, text="Đã bố trí bác sĩ.")
    cases.issue_feedback_record(issue=other_issue, tracking_code="PA-Y001", resolved=True)

    rows = cases_satisfaction.satisfaction_by_agency()
    by_name = {r.name: r for r in rows}
    dept = by_name["Sở Nông nghiệp và Môi trường"]
    assert dept.rank == 1 and dept.verdicts == 20 and dept.satisfaction == 0.75
    assert dept.reopened == 5 and dept.answered == 5  # at least the answers reopened
    assert by_name["Sở Y tế"].rank is None  # one verdict: shown, not ranked
    assert rows[0].name == "Sở Nông nghiệp và Môi trường"


def test_dashboard_and_programme_report_show_satisfaction(world: Any, client: Client) -> None:
    issue = answered_issue(world)
    cases.issue_feedback_record(issue=issue, tracking_code="PA-X1", resolved=True)
    client.force_login(world.coordinator)
    page = client.get("/cong-viec/bao-cao/").content.decode()
    assert "Ý kiến người dân về kết quả giải quyết" in page
    assert "chưa xếp hạng" in page and "100%" in page

    period = parse_period(str(issue.answered_at.year))  # type: ignore[union-attr]
    doc = programme_report(period=period)
    tables = [b.table for b in doc.blocks if b.kind == "table" and b.table]
    [table] = [t for t in tables if t.caption and "Ý kiến người dân" in t.caption]
    assert table.rows == [["chưa xếp hạng", "Sở Nông nghiệp và Môi trường", "1", "100%", "0 (0%)"]]
