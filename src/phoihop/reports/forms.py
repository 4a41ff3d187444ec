"""Forms of the reports app: choosing a report to draft and issuing it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.cases.models import Issue
from phoihop.core.pickers import choose_the_only_one
from phoihop.intake.models import CouncilSession
from phoihop.programme.models import Meeting
from phoihop.reports.models import ReportDocument
from phoihop.reports.periods import period_choices


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=ReportDocument.Kind.choices)
    period = forms.ChoiceField(
        label=_("Kỳ báo cáo (quý, 6 tháng, năm hoặc tháng)"),
        required=False,
        error_messages={
            "invalid_choice": _("Kỳ báo cáo «%(value)s» không hợp lệ; hãy chọn trong danh sách.")
        },
    )
    session = forms.ModelChoiceField(
        label=_("Hoặc theo kỳ họp HĐND"),
        required=False,
        queryset=CouncilSession.objects.none(),
        empty_label=_("— Không theo kỳ họp —"),
    )

    issue = forms.CharField(
        label=_("Mã vấn đề (báo cáo dư luận đột xuất về một vấn đề, ví dụ VD-2026-00001)"),
        required=False,
        max_length=20,
    )
    meeting = forms.ModelChoiceField(
        label=_("Hội nghị giao ban (thông báo kết luận)"),
        required=False,
        queryset=Meeting.objects.none(),
    )

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        """`kinds`: the kinds offered (those the user's body issues; every kind by default);
        a field only another body's kinds need is left out."""
        super().__init__(*args, **kwargs)
        Kind = ReportDocument.Kind
        if kinds is not None:
            self.fields["kind"].choices = [(k, label) for k, label in Kind.choices if k in kinds]  # type: ignore[attr-defined]
            needs = {
                "session": {Kind.PETITIONS_SUMMARY, Kind.PETITIONS_RESULTS},
                "issue": {Kind.SITUATION},
                "meeting": {Kind.CONCLUSIONS},
            }
            for name, needed_by in needs.items():
                if not needed_by & set(kinds):
                    del self.fields[name]
        if "session" in self.fields:
            self.fields["session"].queryset = CouncilSession.objects.all()  # type: ignore[attr-defined]
        choices: list[Any] = [("", _("— Chọn kỳ báo cáo —"))]
        self.fields["period"].choices = choices + period_choices(timezone.localdate())  # type: ignore[attr-defined]
        if "meeting" in self.fields:
            self.fields["meeting"].queryset = Meeting.objects.order_by("-held_on")  # type: ignore[attr-defined]
            choose_the_only_one(self.fields["meeting"], needed=True)  # needed by conclusions

    def clean_issue(self) -> Issue | None:
        code = (self.cleaned_data.get("issue") or "").strip().upper()
        if not code:
            return None
        issue = (
            Issue.objects.filter(code=code)
            .exclude(visibility=Issue.Visibility.CONFIDENTIAL)
            .first()
        )
        if issue is None:
            raise forms.ValidationError(_("Không tìm thấy vấn đề mã «%(code)s».") % {"code": code})
        return issue


class IssueForm(forms.Form):
    number = forms.CharField(
        label=_("Số văn bản (ví dụ 12; ký hiệu được ghép theo thể thức) hoặc số, ký hiệu đầy đủ"),
        max_length=60,
    )
    # Issuing cannot be undone: confirmed like publishing an issue's answer.
    confirm = forms.BooleanField(
        label=_("Tôi đã kiểm tra nội dung và số văn bản; ban hành thì không sửa được nữa"),
        error_messages={"required": _("Cần xác nhận đã kiểm tra trước khi ban hành.")},
    )
