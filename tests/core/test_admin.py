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
    "/quan-tri/intake/signal/",
    "/quan-tri/intake/councilsession/",
    "/quan-tri/programme/programme/",
    "/quan-tri/programme/task/",
    "/quan-tri/factcheck/claim/",
    "/quan-tri/triaging/cluster/",
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


# ---- every admin edit is audited ---------------------------------------------------------


def test_an_agency_renamed_in_admin_writes_an_audit_event(admin_client: Client, world: Any) -> None:
    from phoihop.core.models import AuditEvent

    agency = world.dept
    response = admin_client.post(
        f"/quan-tri/core/agency/{agency.pk}/change/",
        {
            "code": agency.code,
            "name": "Sở Nông nghiệp và Môi trường tỉnh",
            "short_name": "SNNMT",
            "kind": agency.kind,
            "parent": "",
            "successor": "",
            "unit": "",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="core.agency.change", target_id=str(agency.pk))
    assert event.actor == world.administrator
    assert event.before["name"] == "Sở Nông nghiệp và Môi trường"
    assert event.after["name"] == "Sở Nông nghiệp và Môi trường tỉnh"
    assert event.data["changed"] == ["name", "short_name"]


def test_a_routing_rule_added_then_changed_in_admin_writes_audit_events(
    admin_client: Client, world: Any
) -> None:
    from phoihop.core.models import AuditEvent, RoutingEntry

    other = AgencyFactory(code="so-tc", name="Sở Tài chính")
    url = "/quan-tri/core/routingentry/"
    response = admin_client.post(
        f"{url}add/", {"field": world.field.pk, "agency": world.dept.pk, "note": ""}
    )
    assert response.status_code == 302
    rule = RoutingEntry.objects.get(field=world.field)
    created = AuditEvent.objects.get(action="core.routingentry.create", target_id=str(rule.pk))
    assert created.before is None and created.after["agency"] == world.dept.pk
    response = admin_client.post(
        f"{url}{rule.pk}/change/",
        {"field": world.field.pk, "agency": other.pk, "note": "Chuyển theo Quyết định 12"},
    )
    assert response.status_code == 302
    changed = AuditEvent.objects.get(action="core.routingentry.change", target_id=str(rule.pk))
    assert changed.before["agency"] == world.dept.pk and changed.after["agency"] == other.pk


def test_a_membership_deleted_in_admin_writes_an_audit_event(
    admin_client: Client, world: Any
) -> None:
    from phoihop.core.models import AuditEvent, Membership

    membership = Membership.objects.get(user=world.viewer)
    response = admin_client.post(
        f"/quan-tri/core/membership/{membership.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(action="core.membership.delete", target_id=str(membership.pk))
    assert event.before["role"] == membership.role and event.before["user"] == world.viewer.pk


def test_a_password_is_never_copied_into_the_audit_log(admin_client: Client, world: Any) -> None:
    from phoihop.core.models import AuditEvent

    user = world.viewer
    response = admin_client.post(
        f"/quan-tri/core/user/{user.pk}/password/",
        {"password1": "Mật-khẩu-mới-2026!", "password2": "Mật-khẩu-mới-2026!"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="core.user.password", target_id=str(user.pk))
    assert event.before is None and event.after is None
    assert not AuditEvent.objects.filter(after__has_key="password").exists()


# ---- records that carry history are never deleted in admin --------------------------------


def test_an_agency_party_to_a_signed_programme_cannot_be_deleted_in_admin(
    admin_client: Client, world: Any
) -> None:
    import datetime

    from phoihop.core.models import Agency
    from phoihop.programme.models import Programme

    programme = Programme.objects.create(
        title="Chương trình phối hợp", signed_on=datetime.date(2024, 3, 1)
    )
    programme.parties.set([world.coordinator_agency, world.dept])
    agency = world.coordinator_agency
    changelist = admin_client.get("/quan-tri/core/agency/").content.decode()
    assert "delete_selected" not in changelist
    response = admin_client.post(
        "/quan-tri/core/agency/",
        {"action": "delete_selected", "_selected_action": [agency.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert (
        admin_client.post(f"/quan-tri/core/agency/{agency.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Agency.objects.filter(pk=agency.pk).exists()
    assert set(programme.parties.all()) == {world.coordinator_agency, world.dept}
    # where the administrator looks for «Xóa», the page says what to do instead
    page = admin_client.get(f"/quan-tri/core/agency/{agency.pk}/change/").content.decode()
    assert "Cơ quan không bị xóa" in page


def test_a_person_is_locked_not_deleted_in_admin(admin_client: Client, world: Any) -> None:
    from phoihop.core.models import Membership, User

    user = world.viewer
    assert "delete_selected" not in admin_client.get("/quan-tri/core/user/").content.decode()
    response = admin_client.post(f"/quan-tri/core/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=user.pk).exists()
    assert Membership.objects.filter(user=user).exists()
    page = admin_client.get(f"/quan-tri/core/user/{user.pk}/change/").content.decode()
    assert "Người dùng không bị xóa" in page


# ---- the admin speaks Vietnamese ------------------------------------------------------------


def test_the_audit_log_names_actions_in_vietnamese_and_the_system_as_actor(
    admin_client: Client, world: Any
) -> None:
    from phoihop.core import audit
    from phoihop.core.models import AuditEvent

    issue = services.issue_create(by=world.coordinator, title="Đường xuống cấp")
    audit.record(actor=None, action="assignment.escalate", target=issue)
    for action in ("guidance.issue", "intake.import.upload", "api_token.create") * 2:
        audit.record(actor=world.coordinator, action=action, target=issue)
    page = admin_client.get("/quan-tri/core/auditevent/").content.decode()
    assert "Tiếp nhận vấn đề" in page  # issue.create, named by cases
    assert "Quá hạn, đã báo cáo cơ quan điều phối" in page
    # named by programme, intake and api from their ready()
    assert "Phát hành định hướng" in page and ">guidance.issue<" not in page
    assert "Tải tệp nhập dữ liệu lên" in page and "Tạo khóa API" in page
    assert ">issue.create<" not in page and ">assignment.escalate<" not in page
    assert "Hệ thống" in page  # no actor: the system
    assert '?action=issue.create"' in page  # the filter offers the name, keeps the key
    assert page.count('?action=guidance.issue"') == 1  # each action offered once, however often
    filtered = admin_client.get("/quan-tri/core/auditevent/?action=assignment.escalate")
    assert filtered.status_code == 200
    assert (
        filtered.context["cl"].result_count
        == AuditEvent.objects.filter(action="assignment.escalate").count()
    )


def test_an_edit_made_in_admin_is_named_in_vietnamese_in_the_log(
    admin_client: Client, world: Any
) -> None:
    from phoihop.core.audit_labels import label_of

    assert label_of("core.agency.change") == "Sửa cơ quan (quản trị)"
    assert label_of("report.issue") == "Ban hành báo cáo"
    assert label_of("agency.merge") == "Sáp nhập, đổi tên cơ quan"


def test_the_add_user_page_and_its_permission_picker_speak_vietnamese(
    admin_client: Client, world: Any
) -> None:
    page = admin_client.get(f"/quan-tri/core/user/{world.viewer.pk}/change/").content.decode()
    assert "Can add" not in page and "Can change" not in page
    assert "Vấn đề và giao xử lý | vấn đề | Sửa vấn đề" in page
    add = admin_client.get("/quan-tri/core/user/add/").content.decode()
    assert "Thêm người dùng" in add and "Thêm vào người dùng" not in add


def test_a_group_is_edited_with_vietnamese_permissions_and_the_edit_is_audited(
    admin_client: Client, world: Any
) -> None:
    from django.contrib.auth.models import Group, Permission

    from phoihop.core.audit_labels import label_of
    from phoihop.core.models import AuditEvent

    page = admin_client.get("/quan-tri/auth/group/add/").content.decode()
    assert "Can add" not in page and "Can change" not in page
    assert "Vấn đề và giao xử lý | vấn đề | Sửa vấn đề" in page
    assert "Xác thực và ủy quyền | Nhóm | Thêm nhóm" in page  # Django's catalog capitalises «Nhóm»
    change_issue = Permission.objects.get(codename="change_issue")
    response = admin_client.post(
        "/quan-tri/auth/group/add/", {"name": "Tổ thư ký", "permissions": [change_issue.pk]}
    )
    assert response.status_code == 302
    group = Group.objects.get(name="Tổ thư ký")
    event = AuditEvent.objects.get(action="auth.group.create")
    assert event.after["permissions"] == [change_issue.pk] and event.target_id == str(group.pk)
    assert label_of("auth.group.create") == "Thêm nhóm (quản trị)"


def test_the_admin_pickers_script_catalog_is_vietnamese(admin_client: Client) -> None:
    """Django's own vi catalog predates the picker's strings; the project's fills them in."""
    import json
    import re

    script = admin_client.get("/quan-tri/jsi18n/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    found = re.search(r"const newcatalog = (\{.*?\});", script, re.S)
    assert found is not None
    catalog = json.loads(found.group(1))
    assert catalog["Choose all %s"] == "Chọn tất cả %s"
    assert catalog["Remove selected %s"] == "Bỏ chọn các %s đang đánh dấu"
    assert catalog['Choose %s by selecting them and then select the "Choose" arrow button.']
    assert catalog["Choose"] == "Chọn"  # Django's own entries stay


def test_the_agency_autocomplete_finds_names_typed_without_diacritics(
    admin_client: Client, world: Any
) -> None:
    finance = AgencyFactory(code="so-tc", name="Sở Tài chính", short_name="STC")
    response = admin_client.get(
        "/quan-tri/autocomplete/",
        {
            "app_label": "core",
            "model_name": "membership",
            "field_name": "agency",
            "term": "tai chinh",
        },
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(finance.pk)]
    listed = admin_client.get("/quan-tri/core/agency/", {"q": "TAI CHÍNH"})
    assert list(listed.context["cl"].result_list) == [finance]
    assert list(
        admin_client.get("/quan-tri/core/agency/", {"q": "nong nghiep"}).context["cl"].result_list
    ) == [world.dept]
