"""Every record of the programme can be corrected or cancelled, by the right people, and each
change is audited with what it was before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from tests.programme.test_commendations import _proposal

from phoihop.core.models import AuditEvent
from phoihop.portal.models import Article
from phoihop.programme import editing, services
from phoihop.programme.models import CommendationProposal, ExemplaryModel, Guidance, Meeting, Task


def _task(prog: Any) -> Task:
    return services.task_create(
        by=prog.world.coordinator,
        plan=prog.plan,
        title="Tuyên truyền cao tốc",
        lead_agency=prog.world.dept,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_task_is_edited_on_its_page_and_the_change_is_audited(prog: Any) -> None:
    w = prog.world
    task = _task(prog)
    client = _client(w.coordinator)
    url = f"/cong-viec/chuong-trinh/sua/nhiem-vu/{task.pk}/"
    assert (
        "Sửa hoặc dừng nhiệm vụ"
        in client.get(f"/cong-viec/chuong-trinh/nhiem-vu/{task.pk}/").content.decode()
    )
    page = client.get(url)
    assert page.status_code == 200
    new_due = timezone.localdate() + dt.timedelta(days=60)
    response = client.post(
        url,
        {
            "title": "Tuyên truyền cao tốc Đồng Đăng – Trà Lĩnh",
            "due_on": new_due.strftime("%d/%m/%Y"),
            "lead_agency": w.dept.pk,
            "coordinating_agencies": [w.other.pk],
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "Tuyên truyền cao tốc Đồng Đăng – Trà Lĩnh" and task.due_on == new_due
    event = AuditEvent.objects.get(action="task.update")
    assert event.before["title"] == "Tuyên truyền cao tốc"
    assert event.after["coordinating_agencies"] == ["Sở Xây dựng"]
    bad = client.post(url, {"title": "", "due_on": "31/02/2026", "lead_agency": w.dept.pk})
    assert bad.status_code == 400
    client.post(f"/cong-viec/chuong-trinh/huy/nhiem-vu/{task.pk}/", {"reason": "Trùng nhiệm vụ"})
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED
    assert _client(w.handler).post(url, {"title": "x"}).status_code == 403


def test_a_meeting_is_edited_then_cancelled_with_a_reason(prog: Any) -> None:
    w = prog.world
    meeting = services.meeting_create(
        by=w.coordinator,
        programme=prog.programme,
        title="Giao ban quý IV",
        held_on=timezone.localdate(),
    )
    editing.meeting_update(by=w.coordinator, meeting=meeting, title="Giao ban quý IV/2026")
    with pytest.raises(ValidationError):
        editing.meeting_cancel(by=w.coordinator, meeting=meeting, reason=" ")
    editing.meeting_cancel(by=w.coordinator, meeting=meeting, reason="Hoãn do bão")
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.cancelled_at is not None and meeting.cancel_reason == "Hoãn do bão"
    with pytest.raises(ValidationError):
        editing.meeting_update(by=w.coordinator, meeting=meeting, title="x")
    page = _client(w.coordinator).get(f"/cong-viec/chuong-trinh/giao-ban/{meeting.pk}/")
    assert "Hoãn do bão" in page.content.decode()
    assert {"meeting.update", "meeting.cancel"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_only_a_guidance_draft_is_edited_and_editing_asks_for_the_cosign_again(
    prog: Any,
) -> None:
    w = prog.world
    guidance = services.guidance_create(
        by=w.coordinator,
        title="Định hướng về học phí",
        key_messages="Học phí được hỗ trợ.",
        valid_from=timezone.localdate(),
    )
    editing.guidance_update(by=w.coordinator, guidance=guidance, key_messages="Hỗ trợ 50% học phí.")
    with pytest.raises(ValidationError):
        editing.guidance_update(
            by=w.coordinator,
            guidance=guidance,
            valid_until=timezone.localdate() - dt.timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        editing.guidance_update(by=w.handler, guidance=guidance, title="x")
    editing.guidance_withdraw(by=w.coordinator, guidance=guidance, reason="Chưa cần phát hành")
    assert Guidance.objects.get(pk=guidance.pk).state == Guidance.State.WITHDRAWN
    with pytest.raises(ValidationError):
        editing.guidance_update(by=w.coordinator, guidance=guidance, title="x")


def test_an_exemplary_model_is_reviewed_has_a_page_and_reaches_the_portal(prog: Any) -> None:
    w = prog.world
    model = services.exemplary_create(
        by=w.handler,
        name="Tổ hòa giải thôn Bản Chu",
        kind=ExemplaryModel.Kind.COLLECTIVE,
        achievements="10 năm không có đơn thư vượt cấp.\nHòa giải thành 42 vụ.",
        proposing_agency=w.dept,
    )
    assert model.review == ExemplaryModel.Review.PENDING
    editing.exemplary_update(by=w.handler, model=model, evidence="Quyết định số 5")
    # a coordinator of another agency corrects it too; another agency's handler does not
    editing.exemplary_update(by=w.coordinator, model=model, evidence="Quyết định số 5/QĐ-UBND")
    with pytest.raises(PermissionDenied, match="cơ quan đề xuất hoặc cán bộ điều phối"):
        editing.exemplary_update(by=w.other_handler, model=model, evidence="x")
    with pytest.raises(PermissionDenied, match="cơ quan đề xuất hoặc cán bộ điều phối"):
        editing.exemplary_cancel(by=w.other_handler, model=model, reason="x")
    assert ExemplaryModel.objects.get(pk=model.pk).evidence == "Quyết định số 5/QĐ-UBND"
    client = _client(w.coordinator)
    url = f"/cong-viec/chuong-trinh/dien-hinh/{model.pk}/"
    assert "Chờ thẩm định" in client.get(url).content.decode()
    refused = client.post(url, {"decision": "reject", "note": ""})
    assert refused.status_code == 400 and "Cần nêu lý do" in refused.content.decode()
    client.post(url, {"decision": "approve", "note": "Tiêu biểu"})
    model.refresh_from_db()
    assert model.review == ExemplaryModel.Review.APPROVED and model.reviewed_by == w.coordinator
    article = Article.objects.get(category=Article.Category.EXEMPLARY)
    assert article.state == Article.State.DRAFT and "Hòa giải thành 42 vụ." in article.body
    assert model.portal_url == f"/quan-ly/bai-viet/{article.pk}/"
    page = client.get(url).content.decode()
    assert "Đã công nhận" in page and model.portal_url in page
    listing = client.get("/cong-viec/chuong-trinh/dien-hinh/").content.decode()
    assert f'href="{url}"' in listing
    with pytest.raises(PermissionDenied):
        editing.exemplary_review(by=w.handler, model=model, approve=True)
    editing.exemplary_cancel(by=w.handler, model=model, reason="Phát hiện sai phạm")
    model.refresh_from_db()
    assert model.cancelled_at is not None


def test_a_commendation_is_edited_as_a_draft_and_withdrawn_before_a_decision(prog: Any) -> None:
    w = prog.world
    proposal = _proposal(prog)
    editing.commendation_update(by=w.handler, proposal=proposal, form="Giấy khen của Giám đốc Sở")
    # neither another agency's handler nor a coordinator touches the agency's proposal
    for stranger in (w.other_handler, w.coordinator):
        with pytest.raises(PermissionDenied, match="Chỉ cơ quan đề xuất"):
            editing.commendation_update(by=stranger, proposal=proposal, form="x")
        with pytest.raises(PermissionDenied, match="Chỉ cơ quan đề xuất"):
            editing.commendation_withdraw(by=stranger, proposal=proposal, reason="x")
    proposal.refresh_from_db()
    assert proposal.form == "Giấy khen của Giám đốc Sở"
    assert proposal.state == CommendationProposal.State.DRAFT
    services.commendation_submit(by=w.leader, proposal=proposal)
    with pytest.raises(ValidationError):
        editing.commendation_update(by=w.handler, proposal=proposal, form="x")
    client = _client(w.handler)
    client.post(
        f"/cong-viec/chuong-trinh/huy/khen-thuong/{proposal.pk}/", {"reason": "Bổ sung hồ sơ"}
    )
    proposal.refresh_from_db()
    assert proposal.state == CommendationProposal.State.WITHDRAWN
    event = AuditEvent.objects.get(action="commendation.withdraw")
    assert event.before == {"state": "submitted"} and event.data["reason"] == "Bổ sung hồ sơ"


def test_only_those_the_registry_allows_see_and_open_the_edit_pages_of_a_model_and_proposal(
    prog: Any,
) -> None:
    w = prog.world
    proposal = _proposal(prog)
    model = proposal.exemplary_model
    assert model is not None
    pages = {
        "dien-hinh": (model.pk, f"/cong-viec/chuong-trinh/dien-hinh/{model.pk}/"),
        "khen-thuong": (proposal.pk, f"/cong-viec/chuong-trinh/khen-thuong/{proposal.pk}/"),
    }
    own, stranger = _client(w.handler), _client(w.other_handler)
    for slug, (pk, detail) in pages.items():
        edit = f"/cong-viec/chuong-trinh/sua/{slug}/{pk}/"
        cancel = f"/cong-viec/chuong-trinh/huy/{slug}/{pk}/"
        assert edit in own.get(detail).content.decode()
        assert own.get(edit).status_code == 200
        assert edit not in stranger.get(detail).content.decode()
        assert stranger.get(edit).status_code == 403
        assert stranger.post(edit, {"name": "x", "nominee": "x"}).status_code == 403
        refused = stranger.post(cancel, {"reason": "Không phải của cơ quan mình"})
        assert refused.status_code == 403
        assert "Chỉ cơ quan đề xuất" in refused.content.decode()
    model.refresh_from_db()
    proposal.refresh_from_db()
    assert model.cancelled_at is None and proposal.state == CommendationProposal.State.DRAFT
    # a coordinator of another agency may correct the model, not the agency's proposal
    coordinator = _client(w.coordinator)
    assert coordinator.get(f"/cong-viec/chuong-trinh/sua/dien-hinh/{model.pk}/").status_code == 200
    assert (
        coordinator.get(f"/cong-viec/chuong-trinh/sua/khen-thuong/{proposal.pk}/").status_code
        == 403
    )


def test_a_key_project_stops_being_watched_with_a_reason(prog: Any) -> None:
    w = prog.world
    project = services.project_create(
        by=w.coordinator, code="kcn", name="Khu công nghiệp", owner_agency=w.other
    )
    response = _client(w.coordinator).post(
        f"/cong-viec/chuong-trinh/huy/du-an/{project.pk}/", {"reason": ""}
    )
    assert response.status_code == 400
    editing.project_cancel(by=w.coordinator, project=project, reason="Dự án dừng đầu tư")
    project.refresh_from_db()
    assert project.cancel_reason == "Dự án dừng đầu tư"
