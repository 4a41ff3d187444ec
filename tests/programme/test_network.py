"""The reporter network as people: members without a login acknowledge guidance through a
signed link, are reminded when they do not, and their attendance at briefings is recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from tests.programme.conftest import network_of

from phoihop.core.models import AuditEvent
from phoihop.programme import network_services as network
from phoihop.programme import services
from phoihop.programme.models import Attendance, Guidance, GuidanceRecipient, NetworkMember

K = NetworkMember.Kind


def _member(prog: Any, name: str = "Hoàng Thị Mai", **kwargs: Any) -> NetworkMember:
    w = prog.world
    defaults: dict[str, Any] = {
        "by": w.coordinator,
        "full_name": name,
        "kind": K.PROPAGANDIST,
        "agency": w.dept,
        "phone": "0912 345 678",
    }
    defaults.update(kwargs)
    return network.member_register(**defaults)


def _issued(prog: Any) -> Guidance:
    w = prog.world
    guidance = services.guidance_create(
        by=w.coordinator,
        title="Định hướng về bồi thường cao tốc Đồng Đăng – Trà Lĩnh",
        key_messages="Phương án bồi thường được niêm yết công khai tại UBND các xã.",
        valid_from=timezone.localdate(),
    )
    return services.guidance_issue(by=w.coordinator, guidance=guidance)


def test_a_member_without_a_login_is_registered_with_a_way_to_reach_them(prog: Any) -> None:
    member = _member(prog, position="Bí thư chi bộ thôn Pác Luống")
    assert member.user is None and member.name == "Hoàng Thị Mai"
    assert AuditEvent.objects.filter(action="network.add", target_id=str(member.pk)).exists()
    with pytest.raises(ValidationError) as error:
        _member(prog, name="Không Liên Lạc", phone="")
    assert "Cần ít nhất một cách liên lạc" in str(error.value)
    with pytest.raises(ValidationError) as error:
        _member(prog, name=" ", phone="abc", email="khong-phai-thu")
    assert set(error.value.message_dict) == {"full_name", "phone", "email"}
    with pytest.raises(PermissionDenied):
        _member(prog, by=prog.world.handler)


def test_a_member_acknowledges_guidance_with_one_tap_on_their_link(prog: Any) -> None:
    member = _member(prog)
    guidance = _issued(prog)
    recipient = GuidanceRecipient.objects.get(guidance=guidance, member=member)
    url = f"/cong-viec/chuong-trinh/dinh-huong/nhan/{network.ack_token(recipient)}/"
    client = Client()  # nobody is logged in
    page = client.get(url)
    assert page.status_code == 200
    assert "Phương án bồi thường được niêm yết công khai" in page.content.decode()
    recipient.refresh_from_db()
    assert recipient.acknowledged_at is None  # opening the link (a link preview) is not a yes
    response = client.post(url)
    assert response.status_code == 302
    recipient.refresh_from_db()
    assert recipient.acknowledged_at is not None
    assert "Đã xác nhận tiếp nhận lúc" in client.get(url).content.decode()
    event = AuditEvent.objects.get(action="guidance.acknowledge")
    assert event.data["member"] == "Hoàng Thị Mai" and event.data["via"] == "link"
    client.post(url)  # a second tap changes nothing
    assert AuditEvent.objects.filter(action="guidance.acknowledge").count() == 1


def test_a_forged_or_expired_link_is_refused_with_a_message(prog: Any, settings: Any) -> None:
    member = _member(prog)
    guidance = _issued(prog)
    recipient = GuidanceRecipient.objects.get(guidance=guidance, member=member)
    token = network.ack_token(recipient)
    client = Client()
    forged = client.post(f"/cong-viec/chuong-trinh/dinh-huong/nhan/{token}x/")
    assert forged.status_code == 404
    assert "Đường dẫn xác nhận không hợp lệ." in forged.content.decode()
    settings.PHOIHOP_GUIDANCE_ACK_MAX_AGE = dt.timedelta(seconds=-1)
    expired = client.get(f"/cong-viec/chuong-trinh/dinh-huong/nhan/{token}/")
    assert "Đường dẫn xác nhận đã hết hạn" in expired.content.decode()
    recipient.refresh_from_db()
    assert recipient.acknowledged_at is None


def test_the_sender_lists_each_recipient_link(prog: Any) -> None:
    _member(prog)
    guidance = _issued(prog)
    client = Client()
    client.force_login(prog.world.coordinator)
    page = client.get(f"/cong-viec/chuong-trinh/dinh-huong/{guidance.pk}/duong-dan/")
    assert page.status_code == 200
    assert "Hoàng Thị Mai" in page.content.decode()
    assert "/cong-viec/chuong-trinh/dinh-huong/nhan/" in page.content.decode()
    client.force_login(prog.world.handler)
    assert (
        client.get(f"/cong-viec/chuong-trinh/dinh-huong/{guidance.pk}/duong-dan/").status_code
        == 403
    )


def test_unacknowledged_guidance_is_reminded_after_a_day_at_most_three_times(prog: Any) -> None:
    w = prog.world
    network_of(w)
    guidance = _issued(prog)
    mine = guidance.recipients.get(member__user=w.handler)
    services.guidance_acknowledge(by=w.handler, recipient=mine)
    now = timezone.now()
    assert network.remind_unacknowledged(now=now) == 0  # too early
    later = now + network.REMIND_AFTER + dt.timedelta(minutes=1)
    assert network.remind_unacknowledged(now=later) == 2
    assert network.remind_unacknowledged(now=later) == 0  # not twice in a day
    pending = guidance.recipients.filter(acknowledged_at__isnull=True)
    assert sorted(pending.values_list("reminders", flat=True)) == [1, 1]
    for day in range(2, 6):
        network.remind_unacknowledged(now=later + day * network.REMIND_AFTER)
    assert sorted(pending.values_list("reminders", flat=True)) == [3, 3]
    assert guidance.recipients.get(pk=mine.pk).reminders == 0
    assert AuditEvent.objects.filter(action="guidance.remind").count() == 3


def test_the_reminder_runs_as_a_background_task(prog: Any, settings: Any) -> None:
    from phoihop.programme.tasks import remind_unacknowledged_guidance

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _member(prog)
    guidance = _issued(prog)
    GuidanceRecipient.objects.filter(guidance=guidance).update(
        delivered_at=timezone.now() - dt.timedelta(days=2)
    )
    result = remind_unacknowledged_guidance.enqueue()
    assert result.return_value == 1


def test_attendance_at_a_briefing_is_recorded_and_replaced(prog: Any) -> None:
    w = prog.world
    mai = _member(prog)
    lan = _member(prog, name="Nông Văn Lân", kind=K.REPORTER, agency=w.other)
    briefing = network.briefing_create(
        by=w.coordinator,
        title="Hội nghị báo cáo viên tháng 11",
        held_on=timezone.localdate(),
        venue="Hội trường Tỉnh ủy",
    )
    network.attendance_record(
        by=w.coordinator, briefing=briefing, present=[mai], absent={lan: "ốm"}
    )
    assert {(a.member.name, a.present, a.note) for a in Attendance.objects.all()} == {
        ("Hoàng Thị Mai", True, ""),
        ("Nông Văn Lân", False, "ốm"),
    }
    network.attendance_record(by=w.coordinator, briefing=briefing, present=[mai, lan])
    assert Attendance.objects.filter(present=True).count() == 2
    with pytest.raises(ValidationError):
        network.attendance_record(
            by=w.coordinator, briefing=briefing, present=[mai], absent={mai: "x"}
        )
    with pytest.raises(PermissionDenied):
        network.attendance_record(by=w.handler, briefing=briefing, present=[mai])


def test_the_network_page_groups_members_by_unit_and_takes_attendance(prog: Any) -> None:
    w = prog.world
    _member(prog)
    _member(
        prog, name="Nông Văn Lân", kind=K.REPORTER, agency=w.other, phone="", email="lan@example.vn"
    )
    client = Client()
    client.force_login(w.coordinator)
    page = client.get("/cong-viec/chuong-trinh/mang-luoi/").content.decode()
    assert page.index("Sở Nông nghiệp và Môi trường") < page.index("Hoàng Thị Mai")
    assert page.index("Sở Xây dựng") < page.index("Nông Văn Lân")
    response = client.post(
        "/cong-viec/chuong-trinh/mang-luoi/",
        {
            "form": "member",
            "tv-full_name": "Lường Văn Sáu",
            "tv-kind": K.COLLABORATOR,
            "tv-agency": w.dept.pk,
            "tv-phone": "0987 000 111",
        },
    )
    assert response.status_code == 302
    assert NetworkMember.objects.get(full_name="Lường Văn Sáu").user is None
    bad = client.post(
        "/cong-viec/chuong-trinh/mang-luoi/",
        {
            "form": "member",
            "tv-full_name": "Thiếu Liên Lạc",
            "tv-kind": K.REPORTER,
            "tv-agency": w.dept.pk,
        },
    )
    assert bad.status_code == 400 and "Cần ít nhất một cách liên lạc" in bad.content.decode()
    response = client.post(
        "/cong-viec/chuong-trinh/mang-luoi/",
        {
            "form": "briefing",
            "hn-title": "Hội nghị báo cáo viên quý IV",
            "hn-held_on": "20/11/2026",
        },
    )
    assert response.status_code == 302
    sau = NetworkMember.objects.get(full_name="Lường Văn Sáu")
    page = client.get(response["Location"]).content.decode()
    assert "20/11/2026" in page and "Lường Văn Sáu" in page
    client.post(response["Location"], {"present": [str(sau.pk)]})
    attendance = Attendance.objects.get(member=sau)
    assert attendance.present and Attendance.objects.filter(present=False).count() == 2
