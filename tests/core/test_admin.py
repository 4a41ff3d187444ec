"""Administrators configure agencies, fields, routing, calendar and deadlines in admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.factories import AgencyFactory

from phoihop.cases import services
from phoihop.cases.models import Assignment

PAGES = [
    "/quan-tri/",
    "/quan-tri/core/agency/",
    "/quan-tri/core/field/",
    "/quan-tri/core/routingentry/",
    "/quan-tri/core/calendarexception/",
    "/quan-tri/core/deadlinerule/",
    "/quan-tri/core/membership/",
    "/quan-tri/core/user/",
    "/quan-tri/core/auditevent/",
    "/quan-tri/cases/issue/",
    "/quan-tri/api/apitoken/",
]


@pytest.fixture
def admin_client(world: Any) -> Client:
    world.administrator.is_staff = True
    world.administrator.is_superuser = True
    world.administrator.save()
    client = Client()
    client.force_login(world.administrator)
    return client


@pytest.mark.parametrize("url", PAGES)
def test_admin_pages_open(admin_client: Client, url: str) -> None:
    assert admin_client.get(url).status_code == 200


def test_staff_without_admin_rights_is_kept_out(world: Any) -> None:
    client = Client()
    client.force_login(world.handler)
    assert client.get("/quan-tri/core/agency/").status_code == 302


def test_audit_log_cannot_be_edited_in_admin(admin_client: Client, world: Any) -> None:
    services.issue_create(by=world.coordinator, title="X")
    from phoihop.core.models import AuditEvent

    event = AuditEvent.objects.first()
    assert event is not None
    url = f"/quan-tri/core/auditevent/{event.pk}/change/"
    assert admin_client.get(url).status_code == 200  # readable
    assert admin_client.post(url, {"action": "khác"}).status_code == 403
    assert admin_client.post(f"/quan-tri/core/auditevent/{event.pk}/delete/").status_code == 403


def test_confidential_issues_are_not_listed_in_admin_without_clearance(
    admin_client: Client, world: Any
) -> None:
    secret = services.issue_create(
        by=world.coordinator, title="Đơn thư mật", visibility="confidential"
    )
    assert secret.code not in admin_client.get("/quan-tri/cases/issue/").content.decode()
    assert admin_client.get(f"/quan-tri/cases/issue/{secret.pk}/change/").status_code == 302


def test_merge_action_moves_open_work(admin_client: Client, world: Any) -> None:
    old = AgencyFactory(code="so-cu", name="Sở cũ")
    issue = services.issue_create(by=world.coordinator, title="Việc của sở cũ")
    services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    lead = services.issue_assign(issue=issue, by=world.coordinator, agency=old)
    old.successor = world.dept
    old.save()
    response = admin_client.post(
        "/quan-tri/core/agency/",
        {"action": "merge_into_successor", "_selected_action": [old.pk]},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.state == Assignment.State.TRANSFERRED
    assert Assignment.objects.get(transferred_from=lead).agency == world.dept
