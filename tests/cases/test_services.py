"""The rules of handling an issue: routing, return and re-route, answers, deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.factories import AgencyFactory, member

from phoihop.cases import selectors, services, timeline
from phoihop.cases.models import Assignment, Issue
from phoihop.core.models import AuditEvent, DeadlineRule
from phoihop.core.selectors import working_calendar

S = Issue.State


def _new(world: Any, **kwargs: Any) -> Issue:
    issue = services.issue_create(by=world.coordinator, title="Chậm bồi thường đất", **kwargs)
    return services.issue_classify(issue=issue, by=world.coordinator, field=world.field)


def test_return_and_reroute_path(world: Any) -> None:
    issue = _new(world, visibility=Issue.Visibility.PUBLIC)
    wrong = services.issue_assign(issue=issue, by=world.coordinator, agency=world.other)
    assert issue.state == S.ASSIGNED

    services.assignment_return(
        assignment=wrong, by=world.other_handler, reason="Thuộc thẩm quyền Sở NN&MT"
    )
    issue.refresh_from_db()
    wrong.refresh_from_db()
    assert issue.state == S.CLASSIFIED
    assert wrong.state == Assignment.State.RETURNED
    assert wrong.return_reason == "Thuộc thẩm quyền Sở NN&MT"
    assert issue in selectors.routing_queue_for(user=world.coordinator)

    right = services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    issue.refresh_from_db()
    assert issue.state == S.ASSIGNED
    assert issue.lead_assignment == right

    services.assignment_accept(assignment=right, by=world.handler)
    services.assignment_respond(assignment=right, by=world.handler, text="Dự thảo trả lời")
    services.issue_answer(issue=issue, by=world.leader, text="Đã chi trả đủ tiền bồi thường.")
    services.issue_publish(issue=issue, by=world.coordinator)
    services.issue_close(issue=issue, by=world.coordinator)
    issue.refresh_from_db()
    assert issue.state == S.CLOSED
    assert issue.answer == "Đã chi trả đủ tiền bồi thường."

    texts = [entry.text for entry in timeline.issue_timeline(issue=issue)]
    assert any("Thuộc thẩm quyền Sở NN&MT" in text for text in texts)
    assert any("Sở Xây dựng" in text for text in texts)


def test_a_supporting_agencys_return_waits_for_the_coordinator_to_reroute(world: Any) -> None:
    issue = _new(world, visibility=Issue.Visibility.PUBLIC)
    services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    support = services.issue_assign(
        issue=issue, by=world.coordinator, agency=world.other, role=Assignment.Role.SUPPORT
    )
    services.assignment_return(
        assignment=support, by=world.other_handler, reason="Không thuộc lĩnh vực xây dựng"
    )
    assert selectors.returned_for(user=world.coordinator) == [support]
    assert selectors.returned_for(user=world.handler) == []  # only coordinators re-route
    client = Client()
    client.force_login(world.coordinator)
    page = client.get(reverse("cases:inbox")).content.decode()
    queue = page.split("Bị trả lại, chờ giao lại")[-1]
    assert issue.code in queue
    assert "Sở Xây dựng (Phối hợp) trả lại: Không thuộc lĩnh vực xây dựng" in queue
    assert (
        'id="form-assign"'
        in client.get(reverse("cases:issue_detail", args=[issue.pk])).content.decode()
    )
    # Another supporting agency is given the issue: the return is dealt with.
    services.issue_assign(
        issue=issue,
        by=world.coordinator,
        agency=AgencyFactory(code="so-tc", name="Sở Tài chính"),
        role=Assignment.Role.SUPPORT,
    )
    assert selectors.returned_for(user=world.coordinator) == []


def test_return_needs_a_reason(world: Any) -> None:
    issue = _new(world)
    lead = services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    with pytest.raises(ValidationError) as refused:
        services.assignment_return(assignment=lead, by=world.handler, reason="   ")
    assert refused.value.message_dict == {"reason": ["Cần nêu lý do trả lại."]}
    lead.refresh_from_db()
    assert lead.state == Assignment.State.PENDING


def test_returned_assignment_cannot_be_answered_by_the_agency(world: Any) -> None:
    issue = _new(world)
    lead = services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    services.assignment_return(assignment=lead, by=world.handler, reason="Sai thẩm quyền")
    with pytest.raises(ValidationError):
        services.assignment_respond(assignment=lead, by=world.handler, text="Ý kiến")


def test_only_one_open_lead(world: Any) -> None:
    issue = _new(world)
    services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    with pytest.raises(ValidationError):
        services.issue_assign(issue=issue, by=world.coordinator, agency=world.other)


def test_support_agency_responds_and_is_done(world: Any) -> None:
    issue = _new(world)
    services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    support = services.issue_assign(
        issue=issue, by=world.coordinator, agency=world.other, role=Assignment.Role.SUPPORT
    )
    services.assignment_respond(assignment=support, by=world.other_handler, text="Thống nhất")
    support.refresh_from_db()
    assert support.state == Assignment.State.RESPONDED
    assert support.completed_at is not None


def test_the_official_answer_ends_the_supporting_agencies_open_work(world: Any) -> None:
    issue = _new(world, visibility=Issue.Visibility.PUBLIC)
    lead = services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    silent = services.issue_assign(
        issue=issue, by=world.coordinator, agency=world.other, role=Assignment.Role.SUPPORT
    )
    helped = services.issue_assign(
        issue=issue,
        by=world.coordinator,
        agency=AgencyFactory(code="so-tc", name="Sở Tài chính"),
        role=Assignment.Role.SUPPORT,
    )
    services.assignment_respond(
        assignment=helped, by=member(helped.agency, "handler", "xuly.tc"), text="Đồng ý"
    )
    services.assignment_respond(assignment=lead, by=world.handler, text="Dự thảo")
    services.issue_answer(issue=issue, by=world.leader, text="Đã khắc phục.")

    silent.refresh_from_db()
    helped.refresh_from_db()
    assert silent.state == Assignment.State.CANCELLED and silent.completed_at is not None
    assert helped.state == Assignment.State.RESPONDED  # what it said stays as it was
    # No longer pending work for the supporting agency, nor overdue, nor escalated later.
    assert not selectors.inbox_for(user=world.other_handler).exists()
    client = Client()
    client.force_login(world.other_handler)
    assert issue.code not in client.get(reverse("cases:inbox")).content.decode()
    later = timezone.localdate() + dt.timedelta(days=400)
    assert not selectors.overdue_for(user=world.coordinator, today=later).exists()
    assert services.escalate_overdue(today=later) == 0
    services.issue_publish(issue=issue, by=world.coordinator)
    texts = [entry.text for entry in timeline.issue_timeline(issue=issue)]
    assert "Hủy việc giao: Sở Xây dựng; Lý do: Vấn đề đã có trả lời chính thức" in texts


def test_support_needs_a_lead_first(world: Any) -> None:
    issue = _new(world)
    with pytest.raises(ValidationError) as refused:
        services.issue_assign(
            issue=issue, by=world.coordinator, agency=world.other, role=Assignment.Role.SUPPORT
        )
    assert "role" in refused.value.message_dict


def test_only_the_lead_agency_leader_approves_the_answer(world: Any) -> None:
    issue = _new(world)
    lead = services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    services.assignment_accept(assignment=lead, by=world.handler)
    for user in (world.handler, world.other_leader, world.coordinator, world.viewer):
        with pytest.raises(PermissionDenied):
            services.issue_answer(issue=issue, by=user, text="Trả lời")
    services.issue_answer(issue=issue, by=world.leader, text="Trả lời")


def test_only_public_issues_are_published(world: Any) -> None:
    issue = _new(world, visibility=Issue.Visibility.INTERNAL)
    lead = services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    services.assignment_accept(assignment=lead, by=world.handler)
    services.issue_answer(issue=issue, by=world.leader, text="Trả lời")
    with pytest.raises(ValidationError) as refused:
        services.issue_publish(issue=issue, by=world.coordinator)
    assert "visibility" in refused.value.message_dict
    services.issue_close(issue=issue, by=world.leader)
    issue.refresh_from_db()
    assert issue.state == S.CLOSED


def test_deadline_counts_working_days_by_rule(world: Any) -> None:
    DeadlineRule.objects.create(kind="lead", urgency="urgent", working_days=5)
    issue = _new(world, urgency=Issue.Urgency.URGENT)
    lead = services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    today = timezone.localdate()
    assert lead.deadline == working_calendar().add_working_days(today, 5)
    assert (lead.deadline - today).days >= 5


def test_deadline_in_the_past_is_refused(world: Any) -> None:
    issue = _new(world)
    with pytest.raises(ValidationError) as refused:
        services.issue_assign(
            issue=issue,
            by=world.coordinator,
            agency=world.dept,
            deadline=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "deadline" in refused.value.message_dict


def test_assigning_an_inactive_agency_names_its_successor(world: Any) -> None:
    old = AgencyFactory(
        code="so-tnmt", name="Sở Tài nguyên và Môi trường", is_active=False, successor=world.dept
    )
    issue = _new(world)
    with pytest.raises(ValidationError) as refused:
        services.issue_assign(issue=issue, by=world.coordinator, agency=old)
    assert "Sở Nông nghiệp và Môi trường" in refused.value.message_dict["agency"][0]


def test_confidential_assignment_clears_the_agency_leaders_only(world: Any) -> None:
    issue = _new(world, visibility=Issue.Visibility.CONFIDENTIAL)
    services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    cleared = set(issue.cleared_users.values_list("username", flat=True))
    assert cleared == {"dieuphoi", "lanhdao"}
    services.issue_grant_clearance(issue=issue, by=world.leader, user=world.handler)
    assert issue.cleared_users.filter(pk=world.handler.pk).exists()


def test_every_change_is_audited_with_before_and_after(world: Any) -> None:
    issue = _new(world)
    event = AuditEvent.objects.filter(action="issue.classify", target_id=str(issue.pk)).get()
    assert event.before["state"] == S.RECEIVED
    assert event.after["state"] == S.CLASSIFIED
    assert event.after["field"] == world.field.pk
    assert event.actor == world.coordinator


def test_on_time_rate_counts_open_overdue_as_late(world: Any) -> None:
    today = dt.date(2026, 3, 10)
    issue = _new(world)
    base = {"issue": issue, "agency": world.dept, "agency_name": "x", "role": "support"}
    Assignment.objects.create(
        **base,
        deadline=dt.date(2026, 3, 5),
        state="responded",
        completed_at=timezone.make_aware(dt.datetime(2026, 3, 4, 9)),
    )
    Assignment.objects.create(
        **base,
        deadline=dt.date(2026, 3, 5),
        state="responded",
        completed_at=timezone.make_aware(dt.datetime(2026, 3, 6, 9)),
    )
    Assignment.objects.create(**base, deadline=dt.date(2026, 3, 9), state="accepted")
    Assignment.objects.create(**base, deadline=dt.date(2026, 3, 20), state="pending")
    Assignment.objects.create(**base, deadline=dt.date(2026, 3, 1), state="returned")
    result = selectors.on_time_rate(assignments=Assignment.objects.filter(issue=issue), today=today)
    assert (result.on_time, result.late, result.pending) == (1, 2, 1)
    assert result.rate == pytest.approx(1 / 3)


def test_issue_code_is_sequential_per_year(world: Any) -> None:
    first = services.issue_create(
        by=world.coordinator, title="Một", received_on=dt.date(2026, 1, 5)
    )
    second = services.issue_create(
        by=world.coordinator, title="Hai", received_on=dt.date(2026, 2, 5)
    )
    assert (first.code, second.code) == ("VD-2026-00001", "VD-2026-00002")


def test_titles_are_stored_normalised_and_searchable_without_accents(world: Any) -> None:
    issue = services.issue_create(
        by=world.coordinator, title="Giải phóng mặt bằng  chậm ở xã Hoà Bình"
    )
    assert issue.title == "Giải phóng mặt bằng chậm ở xã Hòa Bình"
    found = selectors.issues_visible_to(
        user=world.coordinator, filters=selectors.IssueFilters(q="giai phong mat bang hoa binh")
    )
    assert list(found) == [issue]


def test_member_without_coordinator_role_cannot_create(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.issue_create(by=world.handler, title="X")
    outsider = member(world.other, "viewer")
    with pytest.raises(PermissionDenied):
        services.issue_create(by=outsider, title="X")


def test_answer_records_its_outcome_and_needs_a_roadmap_when_in_progress(world: Any) -> None:
    issue = _new(world)
    lead = services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    services.assignment_accept(assignment=lead, by=world.handler)
    with pytest.raises(ValidationError) as refused:
        services.issue_answer(issue=issue, by=world.leader, text="Đang làm", outcome="in_progress")
    assert "roadmap" in refused.value.message_dict
    services.issue_answer(
        issue=issue,
        by=world.leader,
        text="Đang làm",
        outcome="in_progress",
        roadmap="Hoàn thành trong quý I/2027",
    )
    issue.refresh_from_db()
    assert (issue.outcome, issue.roadmap) == ("in_progress", "Hoàn thành trong quý I/2027")


def test_classification_sets_the_competence_level(world: Any) -> None:
    issue = services.issue_create(by=world.coordinator, title="Cấp đổi căn cước")
    services.issue_classify(
        issue=issue, by=world.coordinator, field=world.field, competence="central"
    )
    assert issue.competence == Issue.Competence.CENTRAL
    with pytest.raises(ValidationError):
        other = services.issue_create(by=world.coordinator, title="Khác")
        services.issue_classify(
            issue=other, by=world.coordinator, field=world.field, competence="x"
        )
