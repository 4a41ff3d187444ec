"""Demo intake for the demo province: a council session and its voter-contact round, petitions,
citizen feedback with tracking codes, a news feed, social posts, collaborator reports.

Idempotent: every signal is keyed by its source and content, so loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from phoihop.core import province
from phoihop.core.models import AdministrativeUnit, User
from phoihop.intake import services
from phoihop.intake.models import FeedSource, Signal
from phoihop.intake.records import Lookups, check_petition, check_post

ROUND = "Tiếp xúc cử tri trước Kỳ họp thứ 5, HĐND tỉnh khóa XVII"
PETITIONS: list[tuple[str, str, str]] = [
    # content, commune (name as voters say it), deputy group
    (
        "Cử tri đề nghị tỉnh sớm có phương án sửa chữa tuyến đường ĐT.234 đoạn qua xã, "
        "mặt đường xuống cấp nghiêm trọng, mùa mưa đi lại rất khó khăn.",
        "Cao Lộc",
        "Tổ đại biểu số 2",
    ),
    (
        "Cử tri đề nghị đẩy nhanh việc cấp giấy chứng nhận quyền sử dụng đất cho các hộ đã "
        "nộp hồ sơ từ năm 2023 nhưng đến nay chưa được giải quyết.",
        "Lương Văn Tri",
        "Tổ đại biểu số 1",
    ),
    (
        "Cử tri phản ánh tình trạng thiếu nước sinh hoạt vào mùa khô tại các thôn vùng cao, "
        "đề nghị đầu tư công trình cấp nước tập trung.",
        "Tam Thanh",
        "Tổ đại biểu số 1",
    ),
    (
        "Cử tri đề nghị có chính sách hỗ trợ giống cây trồng, vật nuôi cho các hộ bị thiệt hại "
        "do mưa lũ vừa qua.",
        "Cao Lộc",
        "Tổ đại biểu số 2",
    ),
]
FEEDBACK: list[tuple[str, str, str]] = [
    (
        "Nguyễn Văn Hùng",
        "0912 000 111",
        "Đèn chiếu sáng trên đường Bà Triệu hỏng đã hơn một tháng, buổi tối rất tối và nguy hiểm.",
    ),
    ("", "", "Rác thải sinh hoạt không được thu gom đúng lịch tại khu chợ, bốc mùi hôi thối."),
    (
        "Hoàng Thị Mai",
        "mai.ht@example.vn",
        "Đề nghị kiểm tra việc một cơ sở sản xuất xả nước thải chưa qua xử lý ra suối.",
    ),
]
POSTS: list[dict[str, Any]] = [
    {
        "post_id": "demo-fb-1001",
        "platform": "facebook",
        "author": "langson24h",
        "time": "2026-11-20T07:45:00+07:00",
        "content": "Đường lên cửa khẩu sáng nay ùn tắc kéo dài hàng cây số, xe container nằm chờ.",
        "reactions": 842,
        "shares": 120,
        "url": "https://facebook.com/langson24h/posts/1001",
    },
    {
        "post_id": "demo-fb-1002",
        "platform": "facebook",
        "author": "nguoilangson",
        "time": "2026-11-21T20:10:00+07:00",
        "content": "Nghe nói sắp thu hồi đất cả khu phố để làm dự án, "
        "có ai biết thông tin chính thức không?",
        "reactions": 1530,
        "shares": 410,
        "url": "https://facebook.com/nguoilangson/posts/1002",
    },
    {
        "post_id": "demo-tt-77",
        "platform": "tiktok",
        "author": "xuly_moitruong",
        "time": "2026-11-22T11:00:00+07:00",
        "content": "Clip nước suối đổi màu đen ngòm gần cụm công nghiệp, người dân lo lắng.",
        "reactions": 5300,
        "shares": 870,
        "url": "https://tiktok.com/@xuly_moitruong/video/77",
    },
]
COLLABORATORS: list[dict[str, Any]] = [
    {
        "reporter": "Lý Văn Sơn",
        "phone": "0987 111 222",
        "place": "Cao Lộc",
        "topic": "Giá phân bón tăng",
        "mood": "worried",
        "content": "Nhân dân lo lắng giá phân bón tăng cao trước vụ đông xuân, mong có hỗ trợ.",
        "period": "Tháng 11/2026",
    },
    {
        "reporter": "Vi Thị Hạnh",
        "phone": "",
        "place": "Lương Văn Tri",
        "topic": "Chuyển đổi số trong thủ tục hành chính",
        "mood": "positive",
        "content": "Người dân phấn khởi vì làm thủ tục trên ứng dụng nhanh, không phải đi lại.",
        "period": "Tháng 11/2026",
    },
]
FEED = ("Báo {name} — Thời sự", "https://bao{slug}.vn/rss/thoi-su.rss")


def _place(name: str) -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.filter(
        level=AdministrativeUnit.Level.COMMUNE, name__iendswith=name
    ).first()


@transaction.atomic
def load() -> dict[str, int]:
    hdnd = User.objects.filter(username="hdnd").first()
    coordinator = User.objects.filter(username="dieuphoi").first()
    before = Signal.objects.count()
    session = services.council_session_ensure(
        term="XVII",
        number=5,
        title=f"Kỳ họp thứ 5, HĐND {province.current().in_text} khóa XVII",
        by=hdnd,
    )
    if session.opens_on is None:
        session.opens_on = dt.date(2026, 12, 8)
        session.save(update_fields=["opens_on"])
    voter_round = services.round_ensure(name=ROUND, session=session, by=hdnd)
    lookups = Lookups.load()
    for number, (content, place, deputy) in enumerate(PETITIONS, start=1):
        unit = _place(place)
        checked = check_petition(
            {
                "stt": number,
                "content": content,
                "place": unit.name if unit else place,
                "deputy": deputy,
                "date": "15/11/2026",
            },
            lookups,
            round_name=ROUND,
        )
        assert checked.record is not None
        services.signal_record(record=checked.record, by=hdnd, round=voter_round)
    for name, contact, content in FEEDBACK:
        services.feedback_submit(
            content=content, name=name, contact=contact, place=_place("Lương Văn Tri")
        )
    for post in POSTS:
        checked = check_post(post, lookups)
        assert checked.record is not None
        services.signal_record(record=checked.record, by=coordinator)
    for report in COLLABORATORS:
        services.collaborator_report(**{**report, "place": _place(report["place"])})
    feed_name, feed_url = (part.format_map(province.words()) for part in FEED)
    if coordinator is not None and not FeedSource.objects.filter(url=feed_url).exists():
        services.feed_create(by=coordinator, name=feed_name, url=feed_url)
    return {"new_signals": Signal.objects.count() - before}
