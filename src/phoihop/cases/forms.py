"""Forms parse and check the shape of input; the rules live in services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.cases.models import Assignment, Issue
from phoihop.cases.regime_models import DeadlineRegime
from phoihop.cases.selectors import IssueFilters
from phoihop.core.models import AdministrativeUnit, Agency, Field, User
from phoihop.core.pickers import collate_communes, group_agencies, model_choices
from phoihop.core.selectors import active_agencies, active_fields, communes, working_calendar
from phoihop.core.text import shorten
from phoihop.core.web import DATE_PICKER


class DeadlineMixin(forms.Form):
    """A deadline picked on the browser's date picker, with a warning (to confirm) when it
    falls on a weekend, a public holiday or a configured day off."""

    deadline = forms.DateField(
        label=_("Hạn xử lý (để trống: tính theo ngày làm việc)"),
        required=False,
        widget=DATE_PICKER,
    )
    keep_non_working = forms.BooleanField(
        label=_("Vẫn giữ hạn xử lý dù rơi vào ngày nghỉ"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calendar = working_calendar()
        today = timezone.localdate()
        off = [
            day.isoformat()
            for day in (today + dt.timedelta(days=n) for n in range(400))
            if day.weekday() < 5 and not self.calendar.is_working_day(day)
        ]
        self.fields["deadline"].widget.attrs["data-non-working"] = " ".join(off)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        deadline = data.get("deadline")
        keep = data.pop("keep_non_working", False)
        why = self.calendar.day_off_reason(deadline) if deadline and not keep else None
        if deadline and why:
            following = self.calendar.add_working_days(deadline, 1)
            self.add_error(
                "deadline",
                _(
                    "Ngày %(day)s là ngày nghỉ (%(why)s). Chọn ngày làm việc, ví dụ %(next)s, "
                    "hoặc đánh dấu «Vẫn giữ hạn xử lý dù rơi vào ngày nghỉ»."
                )
                % {
                    "day": deadline.strftime("%d/%m/%Y"),
                    "why": why,
                    "next": following.strftime("%d/%m/%Y"),
                },
            )
        return data


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
        model_choices(self.fields["field"])
        self.fields["agency"].queryset = Agency.objects.order_by("name")  # type: ignore[attr-defined]
        group_agencies(self.fields["agency"])
        self.fields["place"].queryset = communes()  # type: ignore[attr-defined]
        collate_communes(self.fields["place"])


class IssueCreateForm(DeadlineMixin):
    """One form for a whole manual entry: the issue, its classification and, when the
    coordinator already knows it, the lead agency and deadline."""

    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    short_title = forms.CharField(
        label=_("Tên ngắn (hiện trong danh sách, báo cáo)"), max_length=120, required=False
    )
    description = forms.CharField(label=_("Nội dung"), widget=forms.Textarea, required=False)
    received_on = forms.DateField(
        label=_("Ngày tiếp nhận (để trống: hôm nay)"), required=False, widget=DATE_PICKER
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực (để trống: phân loại sau)"),
        required=False,
        queryset=Field.objects.none(),
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
    lead = forms.ModelChoiceField(
        label=_("Giao cơ quan chủ trì (để trống: giao sau)"),
        required=False,
        queryset=Agency.objects.none(),
    )
    field_order = [
        "title",
        "short_title",
        "description",
        "received_on",
        "field",
        "place",
        "urgency",
        "visibility",
        "lead",
        "deadline",
        "keep_non_working",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = active_fields()  # type: ignore[attr-defined]
        self.fields["place"].queryset = communes()  # type: ignore[attr-defined]
        collate_communes(self.fields["place"])
        self.fields["lead"].queryset = active_agencies()  # type: ignore[attr-defined]
        group_agencies(self.fields["lead"])


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
        collate_communes(self.fields["place"])


class EditForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    short_title = forms.CharField(
        label=_("Tên ngắn (hiện trong danh sách, báo cáo)"), max_length=120, required=False
    )
    field = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Field.objects.none())
    place = forms.ModelChoiceField(
        label=_("Địa bàn (xã, phường)"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
    )
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Issue.Urgency.choices)
    visibility = forms.ChoiceField(label=_("Mức độ công khai"), choices=Issue.Visibility.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = active_fields()  # type: ignore[attr-defined]
        self.fields["place"].queryset = communes()  # type: ignore[attr-defined]
        collate_communes(self.fields["place"])


class AssignForm(DeadlineMixin):
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=Agency.objects.none())
    role = forms.ChoiceField(label=_("Vai trò"), choices=Assignment.Role.choices)
    field_order = ["agency", "role", "deadline", "keep_non_working"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = active_agencies()  # type: ignore[attr-defined]
        group_agencies(self.fields["agency"])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}))


class TextForm(forms.Form):
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(
        label=_("Tệp đính kèm (công văn đã ký: PDF, DOCX, JPG, PNG; tối đa 20 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}),
    )


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


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi đã đọc lại nội dung trên và đồng ý đăng lên cổng thông tin"),
        error_messages={"required": _("Cần xác nhận đã đọc lại nội dung trước khi đăng.")},
    )


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận kết thúc xử lý vấn đề này"),
        error_messages={"required": _("Cần xác nhận trước khi đóng vấn đề.")},
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
            (pk, shorten(text, 120))
            for pk, text in issue.signals.order_by("id").values_list("pk", "text")
        ]


class RegimeForm(forms.Form):
    """Which law the issue is handled under, and the facts its time limits depend on."""

    regime = forms.ModelChoiceField(
        label=_("Chế độ thời hạn"),
        queryset=DeadlineRegime.objects.filter(is_active=True),
        empty_label=None,
    )
    complexity = forms.ChoiceField(label=_("Tính chất vụ việc"), choices=Issue.Complexity.choices)
    remote_area = forms.BooleanField(label=_("Vùng sâu, vùng xa đi lại khó khăn"), required=False)
    second_time = forms.BooleanField(label=_("Giải quyết lần hai"), required=False)


class ExtensionForm(forms.Form):
    """A request for more time; the regime's limits are checked by the service."""

    days = forms.IntegerField(
        label=_("Số ngày gia hạn"),
        min_value=1,
        max_value=365,
        error_messages={"required": _("Cần nêu số ngày gia hạn.")},
    )
    reason = forms.CharField(
        label=_("Lý do gia hạn"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần nêu lý do gia hạn.")},
    )
