"""Forms of the triage decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.cases.models import Issue
from phoihop.core.models import Agency, Field


class DecisionForm(forms.Form):
    """Accept as proposed, or correct: another issue (by code) or a new one, field, agency;
    the visibility and title of a new issue."""

    issue_code = forms.CharField(
        label=_("Ghép vào vấn đề (mã, ví dụ VD-2026-00001)"), required=False, max_length=20
    )
    new_issue = forms.BooleanField(label=_("Mở vấn đề mới"), required=False)
    title = forms.CharField(label=_("Tiêu đề vấn đề mới"), required=False, max_length=300)
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"), required=False, queryset=Field.objects.none()
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan có thẩm quyền"), required=False, queryset=Agency.objects.none()
    )
    visibility = forms.ChoiceField(
        label=_("Mức độ công khai của vấn đề mới"),
        required=False,
        choices=[("", _("Theo kênh tiếp nhận")), *Issue.Visibility.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = Field.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).order_by("name")  # type: ignore[attr-defined]


class SplitForm(forms.Form):
    signals = forms.TypedMultipleChoiceField(
        label=_("Ý kiến tách ra"), coerce=int, choices=[], required=True
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signals"].choices = choices  # type: ignore[attr-defined]
