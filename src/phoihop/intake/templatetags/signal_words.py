"""How a signal's origin and source details read to staff: names, not keys.

`signal.source` is part of the signal's unique key («phan-anh», «ctv:…», «mxh:tiktok:…»);
`signal.metadata` keeps what the importer saw (`place_text`, `via`…). Staff read them in
plain Vietnamese through these tags.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.translation import gettext as _

from phoihop.core.models import Agency, Field, User
from phoihop.intake.models import Signal
from phoihop.intake.permissions import PERSONAL_KEYS
from phoihop.intake.selectors import PLATFORMS, source_label

register = template.Library()


def _metadata_labels() -> dict[str, str]:
    return {
        "name": _("Họ và tên người gửi"),
        "content": _("Nội dung"),
        "contact": _("Liên hệ"),
        "place_text": _("Địa bàn (như người gửi ghi)"),
        "via": _("Gửi qua"),
        "stt": _("Số thứ tự trong tổng hợp"),
        "deputy": _("Đại biểu tiếp thu"),
        "meeting_date": _("Ngày tiếp xúc cử tri"),
        "field_text": _("Lĩnh vực (như trong tệp)"),
        "field": _("Lĩnh vực nhận ra"),
        "agency_text": _("Cơ quan (như trong tệp)"),
        "agency": _("Cơ quan nhận ra"),
        "formula_like": _("Ô bắt đầu như công thức (đã vô hiệu hóa)"),
        "platform": _("Nền tảng"),
        "author": _("Tài khoản đăng"),
        "reactions": _("Lượt tương tác"),
        "shares": _("Lượt chia sẻ"),
        "comments": _("Lượt bình luận"),
        "views": _("Lượt xem"),
        "reporter": _("Cộng tác viên"),
        "phone": _("Số điện thoại"),
        "mood": _("Tâm trạng chung"),
        "period": _("Kỳ báo cáo"),
        "feed": _("Nguồn tin (RSS)"),
        "feed_title": _("Tên nguồn tin"),
        "summary": _("Tóm tắt"),
        "text_from": _("Nội dung lấy từ"),
        "demo": _("Dữ liệu minh họa"),
        "member": _("Người ghi nhận"),
        "kind": _("Vai trò trong mạng lưới"),
        "guidance": _("Phản hồi định hướng tuyên truyền"),
    }


def _value_words(key: str, value: Any) -> str:
    labels = _metadata_labels()
    if key == "member":
        user = User.objects.filter(username=value).first()
        return str(user) if user else _("Thành viên mạng lưới")
    if key == "kind":
        return {
            "reporter": _("Báo cáo viên"),
            "propagandist": _("Tuyên truyền viên"),
            "collaborator": _("Cộng tác viên dư luận xã hội"),
        }.get(str(value), str(value))
    if key == "guidance":
        return _("Có")
    if key == "via":
        return {"web": _("Biểu mẫu trên cổng thông tin"), "api": _("Hệ thống khác")}.get(
            str(value), str(value)
        )
    if key == "field":
        return str(Field.objects.filter(code=value).values_list("name", flat=True).first() or value)
    if key == "agency":
        return str(
            Agency.objects.filter(code=value).values_list("name", flat=True).first() or value
        )
    if key == "platform":
        return PLATFORMS.get(str(value).lower(), str(value))
    if key == "formula_like" and isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if key == "text_from":
        return {"page": _("trang bài báo"), "summary": _("phần tóm tắt")}.get(
            str(value), str(value)
        )
    if key == "mood":
        return {
            "positive": _("Tích cực"),
            "neutral": _("Bình thường"),
            "negative": _("Tiêu cực"),
            "mixed": _("Trái chiều"),
        }.get(str(value), str(value))
    if key == "meeting_date" and isinstance(value, str) and len(value) == 10:
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    return str(value)


@register.simple_tag
def signal_source(signal: Signal) -> str:
    """«Phản ánh qua cổng thông tin», «Mạng xã hội TikTok», «Cộng tác viên Nguyễn Văn A»…"""
    return source_label(signal.source, signal.metadata)


@register.simple_tag
def signal_details(signal: Signal) -> list[tuple[str, str]]:
    """(label, value) rows of the source details, with Vietnamese labels and names; a
    citizen's name and contact are never among them (the page shows them apart, to those
    allowed, and audits the view)."""
    labels = _metadata_labels()
    return [
        (labels.get(key, _("Thông tin khác")), _value_words(key, value))
        for key, value in (signal.metadata or {}).items()
        if value not in ("", None, [], {}) and key not in PERSONAL_KEYS
    ]


_QUOTED_CODE = re.compile(r"'([a-z0-9_]+)'")
_AGENCY_CODE = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b")


@register.simple_tag
def plain_reason(text: str) -> str:
    """An engine's reason with field and agency codes replaced by their names:
    «Theo lĩnh vực 'tu_phap' … so-tp» → «Theo lĩnh vực Tư pháp … Sở Tư pháp»."""
    if not text:
        return ""
    fields = dict(Field.objects.values_list("code", "name"))
    agencies = dict(Agency.objects.values_list("code", "name"))
    text = _QUOTED_CODE.sub(lambda m: fields.get(m.group(1), m.group(1).replace("_", " ")), text)
    return _AGENCY_CODE.sub(lambda m: agencies.get(m.group(0), m.group(0)), text)


@register.simple_tag
def import_kind(channel: str) -> str:
    """The kind of an import batch in words («Kiến nghị cử tri», not «petitions»)."""
    kinds = {
        "petitions": _("Kiến nghị cử tri"),
        "feedback": _("Phản ánh của người dân"),
        "posts": _("Bài đăng mạng xã hội"),
        "news": _("Tin báo chí"),
    }
    return str(kinds.get(channel) or dict(Signal.Channel.choices).get(channel) or _("Khác"))
