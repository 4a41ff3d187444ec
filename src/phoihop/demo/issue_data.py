"""The demo province's matters, as data: what each is about, where, who leads it and how far
the demo takes it (`phoihop.demo.core.load_issues` makes them through the cases services)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoIssue:
    title: str
    description: str
    field: str
    place: int | None  # the province's commune number n (by code); "{place}" in the texts
    urgency: str
    visibility: str
    lead: str | None
    support: tuple[str, ...]
    stage: str  # how far the demo takes it: received, classified, assigned, accepted, answered, published, returned
    days_ago: int
    overdue_by: int = 0
    answer: str = ""


# Xã Bắc Sơn in Lạng Sơn (the demo's own province), the place of the road issue's title.
BAC_SON = 34

ISSUES: list[DemoIssue] = [
    DemoIssue(
        "Chậm chi trả tiền bồi thường giải phóng mặt bằng dự án cao tốc Đồng Đăng – Trà Lĩnh",
        "Cử tri {place} phản ánh đã bàn giao mặt bằng từ quý II nhưng chưa nhận đủ tiền bồi thường, hỗ trợ.",
        "dat_dai",
        0,
        "urgent",
        "public",
        "so-nnmt",
        ("so-tc",),
        "accepted",
        20,
        overdue_by=3,
    ),
    DemoIssue(
        "Đường tỉnh 226 đoạn qua {place} xuống cấp nghiêm trọng",
        "Mặt đường nhiều ổ gà, mùa mưa ngập nước, gây mất an toàn giao thông cho học sinh.",
        "xay_dung_giao_thong",
        BAC_SON,
        "normal",
        "public",
        "so-xd",
        (),
        "assigned",
        6,
    ),
    DemoIssue(
        "Ô nhiễm mùi từ cơ sở chăn nuôi lợn tại {place}",
        "Người dân khu dân cư phản ánh mùi hôi và nước thải chảy ra mương thoát nước chung.",
        "moi_truong",
        1,
        "normal",
        "internal",
        "xa-#1",
        ("so-nnmt",),
        "accepted",
        10,
    ),
    DemoIssue(
        "Thiếu thuốc bảo hiểm y tế tại Trung tâm y tế khu vực",
        "Bệnh nhân có thẻ bảo hiểm y tế phải tự mua một số thuốc ngoài danh mục đáng lẽ được cấp.",
        "y_te",
        None,
        "urgent",
        "public",
        "so-yt",
        (),
        "answered",
        25,
        answer="Sở Y tế đã chỉ đạo bổ sung thuốc theo kết quả đấu thầu tập trung; từ ngày 15/10 "
        "các thuốc trong danh mục đã được cấp đủ cho người có thẻ bảo hiểm y tế.",
    ),
    DemoIssue(
        "Đề nghị công khai kết quả xét xử vụ án lừa đảo đầu tư tiền ảo",
        "Nhiều người dân là bị hại đề nghị được biết kết quả xét xử và việc thi hành án để thu hồi tài sản.",
        "tu_phap",
        None,
        "normal",
        "public",
        "tand",
        ("vksnd",),
        "published",
        40,
        answer="Tòa án nhân dân tỉnh đã xét xử sơ thẩm ngày 12/9; bản án đã có hiệu lực, việc thi hành "
        "án dân sự đang được thực hiện để trả lại tài sản cho các bị hại.",
    ),
    DemoIssue(
        "Học phí và các khoản thu đầu năm học tại trường THPT",
        "Phụ huynh phản ánh nhiều khoản thu thỏa thuận chưa được thông báo rõ ràng.",
        "giao_duc",
        None,
        "normal",
        "public",
        None,
        (),
        "classified",
        2,
    ),
    DemoIssue(
        "Tin đồn thu hồi đất mở rộng khu kinh tế cửa khẩu",
        "Trên mạng xã hội lan truyền thông tin sai về việc thu hồi toàn bộ đất nông nghiệp của xã Na Sầm.",
        "dat_dai",
        None,
        "very_urgent",
        "internal",
        None,
        (),
        "received",
        1,
    ),
    DemoIssue(
        "Giải quyết đơn thư liên quan đến cán bộ thôn (vụ việc đang xác minh)",
        "Nội dung liên quan đến cá nhân, chỉ những người được giao mới được xem.",
        "noi_vu_hanh_chinh",
        None,
        "urgent",
        "confidential",
        "so-nv",
        (),
        "assigned",
        4,
    ),
    DemoIssue(
        "Cấp giấy chứng nhận quyền sử dụng đất chậm tại {place}",
        "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất nộp từ đầu năm chưa được giải quyết.",
        "dat_dai",
        2,
        "normal",
        "public",
        "so-xd",
        (),
        "returned",
        8,
    ),
    DemoIssue(
        "Chậm thanh toán tiền hỗ trợ giống cây trồng sau thiên tai",
        "Hộ nông dân bị thiệt hại do bão chưa nhận được tiền hỗ trợ giống như đã công bố.",
        "nong_nghiep",
        None,
        "normal",
        "public",
        "so-nnmt",
        (),
        "accepted",
        30,
        overdue_by=6,
    ),
]
