"""Orientation guidance: issued to the network, acknowledged, co-signed, reported back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from tests.factories import member
from tests.programme.conftest import network_of

from phoihop.core.models import AuditEvent, Membership
from phoihop.intake.models import Signal
from phoihop.programme import selectors, services
from phoihop.programme.models import FieldReport, Guidance, NetworkMember, Resolution


def _guidance(prog: Any, **kwargs: Any) -> Guidance:
    return services.guidance_create(
        by=prog.world.coordinator,
        title="Định hướng tuyên truyền về bồi thường, giải phóng mặt bằng",
        key_messages="Mọi khoản bồi thường đều được niêm yết công khai.",
        valid_from=timezone.localdate(),
        **kwargs,
    )


def test_sender_sees_who_has_and_has_not_acknowledged(prog: Any) -> None:
    w = prog.world
    network_of(w)
    guidance = services.guidance_issue(by=w.coordinator, guidance=_guidance(prog))
    assert guidance.state == Guidance.State.ISSUED

    state = selectors.acknowledgements(guidance=guidance)
    assert state.total == 3 and not state.acknowledged

    mine = selectors.recipient_of(guidance=guidance, user=w.handler)
    assert mine is not None
    services.guidance_acknowledge(by=w.handler, recipient=mine)
    services.guidance_acknowledge(by=w.handler, recipient=mine)  # twice is once

    state = selectors.acknowledgements(guidance=guidance)
    assert [r.member.user for r in state.acknowledged] == [w.handler]
    assert {r.member.user for r in state.pending} == {w.leader, w.other_handler}
    listed = selectors.guidance_list(user=w.coordinator).get(pk=guidance.pk)
    assert (listed.recipient_count, listed.acknowledged_count) == (3, 1)  # type: ignore[attr-defined]


def test_nobody_acknowledges_for_someone_else(prog: Any) -> None:
    w = prog.world
    network_of(w)
    guidance = services.guidance_issue(by=w.coordinator, guidance=_guidance(prog))
    theirs = selectors.recipient_of(guidance=guidance, user=w.other_handler)
    assert theirs is not None
    with pytest.raises(PermissionDenied):
        services.guidance_acknowledge(by=w.handler, recipient=theirs)


def test_only_propaganda_coordinators_write_guidance(prog: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.guidance_create(
            by=prog.council_staff,
            title="x",
            key_messages="y",
            valid_from=timezone.localdate(),
        )


def test_guidance_can_go_to_some_kinds_only(prog: Any) -> None:
    w = prog.world
    network_of(w)
    services.network_member_add(
        by=w.coordinator,
        user=w.viewer,
        kind=NetworkMember.Kind.COLLABORATOR,
        agency=w.dept,
    )
    guidance = services.guidance_issue(
        by=w.coordinator, guidance=_guidance(prog), kinds=[NetworkMember.Kind.COLLABORATOR]
    )
    assert [r.member.user for r in guidance.recipients.all()] == [w.viewer]


def test_guidance_on_a_resolution_needs_the_council_cosign(prog: Any) -> None:
    w = prog.world
    network_of(w)
    resolution = Resolution.objects.create(
        number="15/2025/NQ-HĐND", adopted_on=dt.date(2025, 7, 10), title="Hỗ trợ học phí"
    )
    guidance = _guidance(prog, resolution=resolution)
    with pytest.raises(ValidationError):
        services.guidance_issue(by=w.coordinator, guidance=guidance)
    with pytest.raises(PermissionDenied):
        services.guidance_cosign(by=w.leader, guidance=guidance)
    services.guidance_cosign(by=prog.council_staff, guidance=guidance)
    assert guidance.cosigned_by == prog.council_staff and guidance.cosigned_at is not None
    services.guidance_issue(by=w.coordinator, guidance=guidance)
    assert guidance.state == Guidance.State.ISSUED


def test_what_members_heard_becomes_a_collaborator_signal_once(
    prog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    w = prog.world
    network_of(w)
    guidance = services.guidance_issue(by=w.coordinator, guidance=_guidance(prog))
    text = "Bà con  hỏi về tiến độ chi trả  tiền bồi thường"
    with django_capture_on_commit_callbacks(execute=True):
        first = services.field_report_send(by=w.handler, text=text, guidance=guidance)
    # The new signal is queued for triage like any other.
    assert DBTaskResult.objects.filter(task_path__endswith="triage_signals").count() == 1
    again = services.field_report_send(
        by=w.handler, text=text.replace("  ", " "), guidance=guidance
    )
    assert first.pk == again.pk
    signal = Signal.objects.get()
    assert signal.channel == Signal.Channel.COLLABORATOR
    assert signal.text == "Bà con hỏi về tiến độ chi trả tiền bồi thường"
    assert signal.source == "mang-luoi:xuly"
    assert FieldReport.objects.get().guidance == guidance
    # Stored through intake's one way to record a signal: audited once, by the member.
    recorded = AuditEvent.objects.get(action="signal.record", target_id=str(signal.pk))
    assert recorded.actor == w.handler and recorded.data["channel"] == "collaborator"


def test_people_outside_the_network_cannot_report_back(prog: Any) -> None:
    outsider = member(prog.world.dept, Membership.Role.HANDLER, "ngoai")
    with pytest.raises(PermissionDenied):
        services.field_report_send(by=outsider, text="Dư luận")


def _pages(user: Any, guidance: Guidance) -> tuple[str, int]:
    client = Client()
    client.force_login(user)
    listing = client.get("/cong-viec/chuong-trinh/dinh-huong/").content.decode()
    detail = client.get(f"/cong-viec/chuong-trinh/dinh-huong/{guidance.pk}/")
    return listing, detail.status_code


def test_a_draft_is_seen_only_by_the_issuing_side(prog: Any) -> None:
    w = prog.world
    network_of(w)
    draft = _guidance(prog, topic="Học phí")
    ubnd_viewer = member(prog.ubnd, Membership.Role.VIEWER, "xem.ubnd")
    for outsider in (ubnd_viewer, w.handler, w.other_handler, prog.council_staff):
        listing, status = _pages(outsider, draft)
        assert draft.title not in listing, outsider
        assert status == 403, outsider
    listing, status = _pages(w.coordinator, draft)
    assert draft.title in listing and status == 200


def test_a_draft_explaining_a_resolution_is_seen_by_the_council_that_cosigns(prog: Any) -> None:
    resolution = Resolution.objects.create(
        number="12/2026/NQ-HĐND", adopted_on=dt.date(2026, 7, 10), title="Hỗ trợ học phí"
    )
    draft = _guidance(prog, resolution=resolution)
    listing, status = _pages(prog.council_staff, draft)
    assert draft.title in listing and status == 200
    listing, status = _pages(prog.ubnd_leader, draft)
    assert draft.title not in listing and status == 403


def test_issued_guidance_is_read_by_its_recipients_and_coordinators_only(prog: Any) -> None:
    w = prog.world
    network_of(w)  # the department's handler and leader, the other department's handler
    services.network_member_add(
        by=w.coordinator, user=w.viewer, kind=NetworkMember.Kind.PROPAGANDIST, agency=w.dept
    )
    guidance = services.guidance_issue(
        by=w.coordinator,
        guidance=_guidance(prog),
        kinds=[NetworkMember.Kind.PROPAGANDIST],
    )
    ubnd_viewer = member(prog.ubnd, Membership.Role.VIEWER, "xem.ubnd")
    for reader in (w.viewer, w.coordinator, prog.council_staff):  # recipient, issuer, coordinator
        listing, status = _pages(reader, guidance)
        assert guidance.title in listing and status == 200, reader
    for outsider in (w.handler, ubnd_viewer, prog.home_affairs_handler):  # not sent to them
        listing, status = _pages(outsider, guidance)
        assert guidance.title not in listing and status == 403, outsider


def test_a_draft_says_it_has_no_recipients_yet(prog: Any) -> None:
    w = prog.world
    network_of(w)
    draft = _guidance(prog)
    client = Client()
    client.force_login(w.coordinator)
    url = f"/cong-viec/chuong-trinh/dinh-huong/{draft.pk}/"
    html = client.get(url).content.decode()
    assert "Chưa phát hành, chưa có người nhận." in html
    assert "Tất cả đã xác nhận." not in html and "0/0 người nhận" not in html
    services.guidance_issue(by=w.coordinator, guidance=draft)
    html = client.get(url).content.decode()
    assert "0/3 người nhận đã xác nhận." in html and "Chưa phát hành" not in html


def test_a_field_report_links_to_the_signal_instead_of_a_raw_number(prog: Any) -> None:
    w = prog.world
    network_of(w)
    guidance = services.guidance_issue(by=w.coordinator, guidance=_guidance(prog))
    report = services.field_report_send(
        by=w.handler, text="Bà con hỏi về tiến độ chi trả", guidance=guidance
    )
    client = Client()
    client.force_login(w.coordinator)
    html = client.get(f"/cong-viec/chuong-trinh/dinh-huong/{guidance.pk}/").content.decode()
    heard = html.split("Dư luận mạng lưới gửi về")[1].split("</section>")[0]
    assert "Bà con hỏi về tiến độ chi trả" in heard
    assert f"#{report.signal_id}" not in heard
    link = f'<a href="/cong-viec/tiep-nhan/{report.signal_id}/">Xem ý kiến đã tiếp nhận</a>'
    assert link in heard
    assert client.get(f"/cong-viec/tiep-nhan/{report.signal_id}/").status_code == 200
