"""Forms of the triage decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.cases.models import Issue
from phoihop.core.models import Agency, Field
from phoihop.core.pickers import group_agencies, model_choices


class DecisionForm(forms.Form):
    """Accept as proposed, or correct: another issue (by code) or a new one, field, agency;
    the visibility and title of a new issue."""

    issue_code = forms.CharField(
        label=_("Ghép vào vấn đề (mã, ví dụ VD-2026-00001)"), required=False, max_length=20
    )
    new_issue = forms.BooleanField(label=_("Mở vấn đề mới"), required=False)
    title = forms.CharField(label=_("Tiêu đề vấn đề mới"), required=False, max_length=300)
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"), required=False, queryset=Field.objects.none(), empty_label="—"
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan có thẩm quyền"),
        required=False,
        queryset=Agency.objects.none(),
        empty_label="—",
    )
    visibility = forms.ChoiceField(
        label=_("Mức độ công khai của vấn đề mới"),
        required=False,
        choices=[("", _("Theo kênh tiếp nhận")), *Issue.Visibility.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = Field.objects.filter(is_active=True)  # type: ignore[attr-defined]
        model_choices(self.fields["field"])
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)  # type: ignore[attr-defined]
        # grouped by kind, in Vietnamese order (Bắc Sơn before Bình Gia), as elsewhere
        group_agencies(self.fields["agency"])


def correction_form(*, field_id: int | None, agency_id: int | None) -> DecisionForm:
    """The «Sửa đề xuất…» pickers, starting on what the engine proposed."""
    return DecisionForm(auto_id="id_%s_fix", initial={"field": field_id, "agency": agency_id})


class SplitForm(forms.Form):
    signals = forms.TypedMultipleChoiceField(
        label=_("Ý kiến tách ra"), coerce=int, choices=[], required=True
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signals"].choices = choices  # type: ignore[attr-defined]
