"""Forms parse and check the shape of input; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.cases.models import Assignment, Issue
from phoihop.cases.selectors import IssueFilters
from phoihop.core.models import AdministrativeUnit, Agency, Field, User
from phoihop.core.selectors import active_agencies, active_fields, communes
from phoihop.core.web import DATE_WIDGET


class IssueFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    state = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *Issue.State.choices]
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        required=False,
        queryset=Field.objects.none(),
        empty_label=_("Tất cả"),
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        required=False,
        queryset=Agency.objects.none(),
        empty_label=_("Tất cả"),
    )
    place = forms.ModelChoiceField(
        label=_("Địa bàn"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("Tất cả"),
    )
    overdue = forms.BooleanField(label=_("Chỉ việc quá hạn"), required=False)

    def filters(self) -> IssueFilters:
        """The filters a valid form asks for (none when the form is empty or invalid)."""
        if not self.is_valid():
            return IssueFilters()
        data = self.cleaned_data
        return IssueFilters(
            state=data["state"] or "",
            field=data["field"].pk if data["field"] else None,
            agency=data["agency"].pk if data["agency"] else None,
            place=data["place"].pk if data["place"] else None,
            overdue=bool(data["overdue"]),
            q=data["q"] or "",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = active_fields()  # type: ignore[attr-defined]
        self.fields["agency"].queryset = Agency.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["place"].queryset = communes()  # type: ignore[attr-defined]


class IssueCreateForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    description = forms.CharField(label=_("Nội dung"), widget=forms.Textarea, required=False)
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"), required=False, queryset=Field.objects.none()
    )
    place = forms.ModelChoiceField(
        label=_("Địa bàn (xã, phường)"), required=False, queryset=AdministrativeUnit.objects.none()
    )
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Issue.Urgency.choices)
    visibility = forms.ChoiceField(
        label=_("Mức độ công khai"),
        choices=Issue.Visibility.choices,
        initial=Issue.Visibility.INTERNAL,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = active_fields()  # type: ignore[attr-defined]
        self.fields["place"].queryset = communes()  # type: ignore[attr-defined]


class ClassifyForm(forms.Form):
    field = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Field.objects.none())
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Issue.Urgency.choices)
    visibility = forms.ChoiceField(label=_("Mức độ công khai"), choices=Issue.Visibility.choices)
    competence = forms.ChoiceField(
        label=_("Cấp thẩm quyền"), choices=[("", "—"), *Issue.Competence.choices], required=False
    )
    place = forms.ModelChoiceField(
        label=_("Địa bàn"), required=False, queryset=AdministrativeUnit.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = active_fields()  # type: ignore[attr-defined]
        self.fields["place"].queryset = communes()  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=Agency.objects.none())
    role = forms.ChoiceField(label=_("Vai trò"), choices=Assignment.Role.choices)
    deadline = forms.DateField(
        label=_("Hạn xử lý (để trống: tính theo ngày làm việc)"),
        required=False,
        widget=DATE_WIDGET,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = active_agencies()  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}))


class TextForm(forms.Form):
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 5}))


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung trả lời chính thức"), widget=forms.Textarea(attrs={"rows": 6})
    )
    outcome = forms.ChoiceField(label=_("Kết quả giải quyết"), choices=Issue.Outcome.choices)
    roadmap = forms.CharField(
        label=_("Lộ trình (nếu đang giải quyết)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ClearanceForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Người được xem"), queryset=User.objects.filter(is_active=True).order_by("username")
    )


class MergeForm(forms.Form):
    target = forms.CharField(label=_("Gộp vào vấn đề (mã, ví dụ VD-2026-00001)"), max_length=20)


class SplitForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề vấn đề mới"), max_length=300, required=False)
    signals = forms.TypedMultipleChoiceField(
        label=_("Các tín hiệu tách sang vấn đề mới"),
        coerce=int,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, issue: Issue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signals"].choices = [  # type: ignore[attr-defined]
            (pk, text[:120]) for pk, text in issue.signals.order_by("id").values_list("pk", "text")
        ]
