"""An issue's history («Diễn biến»), oldest first: its audit events told in Vietnamese, and
the agencies' responses. `TIMELINE_LABELS` names every action the timeline tells (also
registered for the admin's audit log)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.cases.models import Issue, Response
from phoihop.cases.regime_models import DeadlineExtension, RegimeRule
from phoihop.core.models import AuditEvent


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    actor: str
    action: str
    text: str


def issue_timeline(*, issue: Issue) -> list[TimelineEntry]:
    """What happened to the issue, oldest first: audit events and the agencies' responses."""
    entries = [
        TimelineEntry(at=e.at, actor=e.actor_name, action=e.action, text=_describe(e))
        for e in AuditEvent.objects.filter(scope=f"issue:{issue.pk}").order_by("id")
    ]
    for response in Response.objects.filter(assignment__issue=issue).select_related(
        "author", "assignment"
    ):
        entries.append(
            TimelineEntry(
                at=response.created_at,
                actor=str(response.author),
                action="response",
                text=f"{response.assignment.agency_name}: {response.text}",
            )
        )
    return sorted(entries, key=lambda e: e.at)


# What each event in an issue's history is called («Diễn biến»): every action recorded in an
# issue's scope has a name here (tests/cases/test_timeline_labels.py reads the sources).
TIMELINE_LABELS = {
    "issue.create": gettext_lazy("Tiếp nhận vấn đề"),
    "issue.classify": gettext_lazy("Phân loại"),
    "issue.edit": gettext_lazy("Sửa thông tin vấn đề"),
    "issue.set_regime": gettext_lazy("Xác định chế độ thời hạn giải quyết"),
    "issue.assign": gettext_lazy("Chuyển trạng thái «Đã giao»"),
    "issue.accept": gettext_lazy("Chuyển trạng thái «Đang xử lý»"),
    "issue.return": gettext_lazy("Trả lại, chờ giao lại"),
    "issue.answer": gettext_lazy("Duyệt trả lời chính thức"),
    "issue.publish": gettext_lazy("Đăng công khai"),
    "issue.close": gettext_lazy("Đóng vấn đề"),
    "issue.reopen": gettext_lazy("Mở lại vì người phản ánh chưa hài lòng"),
    "issue.citizen_feedback": gettext_lazy("Người phản ánh cho ý kiến về kết quả"),
    "issue.extension_request": gettext_lazy("Đề nghị gia hạn giải quyết"),
    "issue.extension_approve": gettext_lazy("Đồng ý gia hạn giải quyết"),
    "issue.extension_refuse": gettext_lazy("Không đồng ý gia hạn giải quyết"),
    "issue.grant_clearance": gettext_lazy("Cấp quyền xem vấn đề mật"),
    "assignment.create": gettext_lazy("Giao cho cơ quan"),
    "assignment.accept": gettext_lazy("Tiếp nhận việc được giao"),
    "assignment.return": gettext_lazy("Trả lại vì không thuộc thẩm quyền"),
    "assignment.respond": gettext_lazy("Gửi ý kiến xử lý"),
    "assignment.transfer": gettext_lazy("Chuyển sang cơ quan kế nhiệm"),
    "assignment.escalate": gettext_lazy("Quá hạn, đã báo cáo cơ quan điều phối"),
    "assignment.cancel": gettext_lazy("Hủy việc giao"),
    "assignment.extend": gettext_lazy("Dời hạn xử lý theo gia hạn đã duyệt"),
    "issue.merge": gettext_lazy("Gộp vào vấn đề khác"),
    "issue.absorb": gettext_lazy("Nhận các tín hiệu của vấn đề được gộp"),
    "issue.split": gettext_lazy("Tách một số tín hiệu sang vấn đề mới"),
    "issue.split_from": gettext_lazy("Tách ra từ vấn đề khác"),
    "proposal.accept": gettext_lazy("Chấp nhận đề xuất ghép tín hiệu"),
    "proposal.correct": gettext_lazy("Sửa đề xuất ghép tín hiệu"),
    "cluster.accept": gettext_lazy("Nhận cụm ý kiến vào vấn đề theo đề xuất"),
    "cluster.correct": gettext_lazy("Nhận cụm ý kiến vào vấn đề, đã sửa đề xuất"),
    "cluster.split": gettext_lazy("Tách cụm ý kiến"),
    "proposal.auto_join": gettext_lazy("Tự động ghép ý kiến"),
    "proposal.move_out": gettext_lazy("Chuyển ý kiến sang vấn đề khác"),
}


def _describe(event: AuditEvent) -> str:
    labels = TIMELINE_LABELS
    text = str(labels.get(event.action, _("Cập nhật")))
    details = []
    data = event.data or {}
    if event.action == "proposal.auto_join":
        return _("Tự động ghép ý kiến số %(signal)s (độ tương đồng %(score)s)") % {
            "signal": data.get("signal", event.target_id),
            "score": number_format(data.get("score", 0), decimal_pos=2, use_l10n=True),
        }
    if event.action == "proposal.move_out":
        return _("Chuyển ý kiến số %(signal)s sang %(into)s") % {
            "signal": data.get("signal", event.target_id),
            "into": data.get("into", "—"),
        }
    if event.action.startswith("cluster.") and "signals" in data:
        details.append(_("%d ý kiến") % len(data["signals"]))
    if event.action == "issue.citizen_feedback":
        resolved = data.get("resolved")
        details.append(_("đã được giải quyết") if resolved else _("chưa được giải quyết"))
    if event.action == "issue.extension_request" and "days" in data:
        unit = data.get("unit") or (  # events recorded before the unit was
            DeadlineExtension.objects.filter(pk=data.get("extension") or 0)
            .values_list("unit", flat=True)
            .first()
        )
        words = _("ngày làm việc") if unit == RegimeRule.Unit.WORKING else _("ngày")
        details.append(_("thêm %(n)s %(unit)s") % {"n": data["days"], "unit": words})
    if event.action == "issue.extension_approve" and event.before and event.after:
        details.append(
            _("hạn %(before)s → %(after)s")
            % {"before": event.before.get("due") or "—", "after": event.after.get("due") or "—"}
        )
    if "agency" in data and not event.action.startswith("issue."):
        details.append(str(data["agency"]))
    if "reason" in data:
        details.append(_("Lý do: %s") % data["reason"])
    if event.action == "assignment.extend" and event.before and event.after:
        details.append(
            _("hạn %(before)s → %(after)s")
            % {
                "before": event.before.get("deadline") or "—",
                "after": event.after.get("deadline") or "—",
            }
        )
    if event.action == "assignment.transfer" and event.before and event.after:
        details.append(f"{event.before.get('agency')} → {event.after.get('agency')}")
    if event.action == "issue.grant_clearance" and "user" in data:
        details.append(str(data["user"]))
    for key in ("into", "source"):
        if key in data:
            details.append(str(data[key]))
    if event.action in ("issue.edit", "issue.set_regime") and event.after:
        details.extend(_field_change(name, event.before or {}, event.after) for name in event.after)
    return f"{text}: {'; '.join(details)}" if details else text


def _field_change(name: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    """«Mức độ công khai: Nội bộ → Công khai», with names instead of keys and ids."""
    field = Issue._meta.get_field(name)
    assert isinstance(field, models.Field)

    def shown(value: Any) -> str:
        if value in (None, ""):
            return "—"
        if isinstance(value, bool):
            return _("có") if value else _("không")
        if field.choices:
            return str(dict(field.choices).get(value, value))
        related_model = field.related_model
        if field.is_relation and isinstance(related_model, type):
            related = related_model._default_manager.filter(pk=value).first()
            return str(related) if related else "—"
        return str(value)

    label = str(field.verbose_name)
    return f"{label[:1].upper()}{label[1:]}: {shown(before.get(name))} → {shown(after.get(name))}"
