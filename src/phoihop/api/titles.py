"""The API schema's field titles in Vietnamese: pydantic writes a title from each field's name
(«Page Size», «Agency Name»), which the documentation page shows to the province's
integrators. The names stay English (they are the JSON keys); their titles are these."""

from __future__ import annotations

from typing import Any

FIELD_TITLES: dict[str, str] = {
    "agency": "Cơ quan (mã)",
    "agency_name": "Tên cơ quan",
    "answer": "Trả lời chính thức",
    "assignment": "Việc giao (mã số)",
    "assignment_id": "Mã số việc giao",
    "assignments": "Các cơ quan được giao",
    "author": "Tác giả",
    "channel": "Kênh tiếp nhận",
    "code": "Mã vấn đề",
    "comments": "Số bình luận",
    "competence": "Thẩm quyền giải quyết",
    "contact": "Liên hệ",
    "content_hash": "Mã băm nội dung",
    "count": "Tổng số",
    "created": "Mới tiếp nhận",
    "deadline": "Hạn xử lý",
    "deputy": "Đại biểu",
    "description": "Mô tả",
    "external_id": "Mã ở nguồn",
    "field": "Lĩnh vực (mã)",
    "id": "Mã số",
    "ids": "Các mã số",
    "issue": "Vấn đề (mã)",
    "issue_id": "Mã số vấn đề",
    "items": "Các mục",
    "known": "Số đã có từ trước",
    "metadata": "Thông tin thêm",
    "name": "Họ tên",
    "new": "Số mới",
    "occurred_at": "Thời điểm xảy ra",
    "outcome": "Kết quả giải quyết",
    "overdue": "Quá hạn",
    "page": "Trang",
    "page_size": "Số mục mỗi trang",
    "place": "Địa bàn (mã đơn vị hành chính)",
    "platform": "Nền tảng",
    "q": "Từ khóa tìm kiếm",
    "reactions": "Số lượt bày tỏ cảm xúc",
    "reason": "Lý do",
    "received_at": "Thời điểm tiếp nhận",
    "received_on": "Ngày tiếp nhận",
    "return_reason": "Lý do trả lại",
    "roadmap": "Lộ trình giải quyết",
    "role": "Vai trò",
    "round": "Đợt tiếp xúc cử tri",
    "shares": "Số lượt chia sẻ",
    "signal": "Tín hiệu",
    "signal_id": "Mã số tín hiệu",
    "signals": "Các tín hiệu",
    "source": "Nguồn",
    "state": "Trạng thái",
    "text": "Nội dung",
    "title": "Tiêu đề",
    "tracking_code": "Mã tra cứu",
    "urgency": "Độ khẩn",
    "url": "Địa chỉ (URL)",
    "visibility": "Mức độ công khai",
}


def in_vietnamese(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (an OpenAPI document) with every property's and parameter's title replaced
    by its Vietnamese title; a name without one keeps pydantic's."""
    for component in schema.get("components", {}).get("schemas", {}).values():
        for name, prop in component.get("properties", {}).items():
            if name in FIELD_TITLES:
                prop["title"] = FIELD_TITLES[name]
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                title = FIELD_TITLES.get(parameter.get("name", ""))
                if title is not None:
                    parameter.setdefault("schema", {})["title"] = title
    return schema
