"""Public issues show received on, due by (legal basis), status and overdue on the portal and
the look-up page; names and contacts never appear; places at commune level only."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone
from tests.factories import IssueFactory, UnitFactory
from tests.regimes import ensure_regimes

from phoihop.cases.models import Issue
from phoihop.core.models import AdministrativeUnit
from phoihop.intake import services as intake_services


def _places() -> tuple[AdministrativeUnit, AdministrativeUnit]:
    province = UnitFactory(level=AdministrativeUnit.Level.PROVINCE, code=20, name="Tỉnh Lạng Sơn")
    commune = UnitFactory(code=6000, name="Xã Cao Lộc", parent=province)
    return province, commune


def test_an_open_public_issue_shows_its_due_date_basis_and_overdue_flag(db: None) -> None:
    regimes = ensure_regimes()
    _province, commune = _places()
    issue = IssueFactory(
        title="Tố cáo sai phạm thu phí chợ",
        regime=regimes["to-cao"],
        received_on=dt.date(2025, 1, 3),
        visibility=Issue.Visibility.PUBLIC,
        state=Issue.State.IN_PROGRESS,
        place=commune,
    )
    html = Client().get(f"/van-de/{issue.code}/").content.decode()
    assert "03/01/2025" in html  # received on
    assert "03/02/2025" in html  # due by (30 days, rolled past the weekend)
    assert "khoản 1 Điều 30 Luật Tố cáo 2018" in html
    assert "Quá hạn" in html  # it is long past
    assert "Đang được cơ quan có thẩm quyền xử lý" in html
    assert "Xã Cao Lộc, Tỉnh Lạng Sơn" in html
    listing = Client().get("/van-de/").content.decode()
    assert issue.title in listing and "Quá hạn" in listing


def test_internal_and_unclassified_issues_are_not_on_the_portal(db: None) -> None:
    internal = IssueFactory(visibility=Issue.Visibility.INTERNAL, state=Issue.State.IN_PROGRESS)
    fresh = IssueFactory(visibility=Issue.Visibility.PUBLIC, state=Issue.State.RECEIVED)
    assert Client().get(f"/van-de/{internal.code}/").status_code == 404
    assert Client().get(f"/van-de/{fresh.code}/").status_code == 404
    listing = Client().get("/van-de/").content.decode()
    assert internal.title not in listing and fresh.title not in listing


def test_the_portal_never_shows_the_citizens_name_or_contact(db: None) -> None:
    ensure_regimes()
    _province, commune = _places()
    received = intake_services.feedback_submit(
        content="Đèn đường thôn Bản Ngà hỏng đã hai tuần, buổi tối rất tối",
        name="Hoàng Văn Riêng",
        contact="0987123456",
        place=commune,
    )
    issue = IssueFactory(
        title="Đèn đường thôn Bản Ngà hỏng",
        description="Người dân báo đèn hỏng, liên hệ 0987123456 hoặc riêng@example.com",
        visibility=Issue.Visibility.PUBLIC,
        state=Issue.State.PUBLISHED,
        published_at=timezone.now(),
        answered_at=timezone.now(),
        answer="Đã thay bóng đèn.",
        place=commune,
    )
    received.signal.issue = issue
    received.signal.save(update_fields=["issue"])
    client = Client()
    pages = [
        client.get(f"/tra-loi/{issue.pk}/").content.decode(),
        client.get(f"/tra-cuu/?ma={received.signal.tracking_code}").content.decode(),
        client.get("/van-de/").content.decode(),
    ]
    for html in pages:
        assert "Hoàng Văn Riêng" not in html
        assert "0987123456" not in html and "riêng@example.com" not in html
    assert "Xã Cao Lộc" in pages[0]


def test_the_look_up_page_shows_the_due_date_of_the_citizens_own_feedback(db: None) -> None:
    regimes = ensure_regimes()
    received = intake_services.feedback_submit(content="Đường liên thôn sạt lở sau mưa lớn")
    issue = IssueFactory(
        regime=regimes["phan-anh"],
        received_on=dt.date(2025, 1, 24),
        visibility=Issue.Visibility.INTERNAL,
        state=Issue.State.ASSIGNED,
    )
    received.signal.issue = issue
    received.signal.save(update_fields=["issue"])
    html = Client().get(f"/tra-cuu/?ma={received.signal.tracking_code}").content.decode()
    assert "Thời hạn giải quyết" in html
    assert "21/02/2025" in html  # 15 working days over Tết
    assert "Quy chế phối hợp" in html
    assert "Quá hạn" in html


def test_an_answered_issue_is_not_overdue_but_a_late_answer_says_so(db: None) -> None:
    regimes = ensure_regimes()
    issue = IssueFactory(
        regime=regimes["to-cao"],
        received_on=dt.date(2025, 1, 3),
        visibility=Issue.Visibility.PUBLIC,
        state=Issue.State.PUBLISHED,
        published_at=timezone.now(),
        answered_at=timezone.make_aware(dt.datetime(2025, 2, 10, 9)),
        answer="Đã kết luận nội dung tố cáo.",
    )
    html = Client().get(f"/tra-loi/{issue.pk}/").content.decode()
    assert "Quá hạn" not in html
    assert "Trả lời sau hạn" in html and "03/02/2025" in html
