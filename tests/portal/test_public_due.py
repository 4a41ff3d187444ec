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
    # sent today, joined to a matter received in 2025: the page says whence the due date
    assert "được gộp vào vấn đề cùng nội dung đã tiếp nhận ngày 24/01/2025" in html
    issue.received_on = timezone.localdate()
    issue.save(update_fields=["received_on"])
    html = Client().get(f"/tra-cuu/?ma={received.signal.tracking_code}").content.decode()
    assert "được gộp vào" not in html


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


def _public(title: str, description: str = "", **extra: object) -> Issue:
    from phoihop.triage.normalize import fold

    fields: dict[str, object] = {
        "visibility": Issue.Visibility.PUBLIC,
        "state": Issue.State.IN_PROGRESS,
        **extra,
    }
    return IssueFactory(
        title=title,
        description=description,
        search_text=fold(f"{title} {description}"),
        **fields,
    )


def test_issues_being_handled_are_reached_from_the_menu_the_home_page_and_the_sitemap(
    db: None,
) -> None:
    handled = _public("Đề nghị giảm học phí cho học sinh vùng khó khăn")
    internal = _public("Học phí trường tư", visibility=Issue.Visibility.INTERNAL)
    fresh = _public("Học phí chưa phân loại", state=Issue.State.RECEIVED)
    home = Client().get("/").content.decode()
    nav = home[home.index('<nav class="main-nav"') : home.index("</nav>")]
    main = home[home.index("<main") : home.index("</main>")]
    assert 'href="/van-de/"' in nav and 'href="/van-de/"' in main
    sitemap = Client().get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/van-de/</loc>" in sitemap
    assert f"<loc>http://testserver/van-de/{handled.code}/</loc>" in sitemap
    assert internal.code not in sitemap and fresh.code not in sitemap


def test_search_finds_public_issues_being_handled_by_their_title_with_or_without_accents(
    db: None,
) -> None:
    fees = _public("Đề nghị giảm học phí cho học sinh vùng khó khăn")
    road = _public("Sửa chữa Đường tỉnh 226 đoạn qua xã Cao Lộc bị sụt lún")
    hidden = [
        _public("Học phí trường tư thục tăng", visibility=Issue.Visibility.INTERNAL),
        _public("Học phí tăng đột ngột", visibility=Issue.Visibility.CONFIDENTIAL),
        _public("Học phí chưa phân loại", state=Issue.State.RECEIVED),
        # the words only in the description, which the portal never shows
        _public("Phản ánh về trường tiểu học", description="Thu học phí sai quy định"),
    ]
    for query, found in (
        ("học phí", fees),
        ("hoc phi", fees),
        ("HỌC PHÍ", fees),
        ("Đường tỉnh 226", road),
        ("duong tinh 226", road),
    ):
        page = Client().get("/tim-kiem/", {"q": query}).content.decode()
        assert f'href="/van-de/{found.code}/"' in page, query
        assert "Vấn đề đang được giải quyết" in page and found.title in page
        for issue in hidden:
            assert issue.code not in page and issue.title not in page, (query, issue.title)


def test_an_issue_made_internal_leaves_the_search_results_at_once(db: None) -> None:
    from django.core.cache import cache

    cache.clear()
    fees = _public("Đề nghị giảm học phí cho học sinh vùng khó khăn")
    client = Client()
    assert fees.title in client.get("/tim-kiem/", {"q": "hoc phi"}).content.decode()
    Issue.objects.filter(pk=fees.pk).update(visibility=Issue.Visibility.INTERNAL)
    assert fees.title not in client.get("/tim-kiem/", {"q": "hoc phi"}).content.decode()
    cache.clear()


def test_the_answers_category_lists_the_answers_agencies_published(db: None) -> None:
    issue = IssueFactory(
        title="Đèn đường thôn Bản Ngà hỏng",
        visibility=Issue.Visibility.PUBLIC,
        state=Issue.State.PUBLISHED,
        published_at=timezone.now(),
        answered_at=timezone.now(),
        answer="Đã thay bóng đèn.",
    )
    html = Client().get("/chuyen-muc/giai-dap-kien-nghi/").content.decode()
    assert f'href="/tra-loi/{issue.pk}/"' in html and issue.title in html
    other = Client().get("/chuyen-muc/phan-bac-tin-sai/").content.decode()
    assert issue.title not in other
