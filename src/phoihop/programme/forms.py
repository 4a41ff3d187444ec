"""Forms parse and check the shape of input; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import AdministrativeUnit, Agency, Field
from phoihop.core.pickers import choose_the_only_one, collate_communes, group_agencies
from phoihop.core.selectors import active_agencies, active_fields, communes
from phoihop.core.web import DATE_WIDGET
from phoihop.programme.models import (
    AnnualPlan,
    CommendationProposal,
    ContentArea,
    ExemplaryModel,
    NetworkMember,
    Resolution,
)

TEXT = forms.Textarea(attrs={"rows": 3})


def _agencies(form: forms.Form, *names: str) -> None:
    for name in names:
        form.fields[name].queryset = active_agencies()  # type: ignore[attr-defined]
        group_agencies(form.fields[name])


class TaskForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Kế hoạch năm"), queryset=AnnualPlan.objects.none())
    area = forms.ModelChoiceField(
        label=_("Nội dung phối hợp"), required=False, queryset=ContentArea.objects.none()
    )
    title = forms.CharField(label=_("Nhiệm vụ"), max_length=500)
    lead_agency = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=Agency.objects.none())
    coordinating_agencies = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"), required=False, queryset=Agency.objects.none()
    )
    due_on = forms.DateField(label=_("Thời hạn"), widget=DATE_WIDGET)
    expected_output = forms.CharField(label=_("Sản phẩm dự kiến"), required=False, widget=TEXT)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = AnnualPlan.objects.select_related("programme")  # type: ignore[attr-defined]
        self.fields["area"].queryset = ContentArea.objects.all()  # type: ignore[attr-defined]
        _agencies(self, "lead_agency", "coordinating_agencies")


class ProgressForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan báo cáo"), queryset=Agency.objects.none())
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    narrative = forms.CharField(label=_("Kết quả thực hiện"), required=False, widget=TEXT)
    evidence = forms.CharField(
        label=_("Minh chứng (số văn bản, đường dẫn)"), required=False, widget=TEXT
    )
    reported_on = forms.DateField(label=_("Ngày báo cáo"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, agency_ids: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=agency_ids or set())  # type: ignore[attr-defined]
        group_agencies(self.fields["agency"])
        choose_the_only_one(self.fields["agency"])


class ProgressRequestForm(forms.Form):
    first_day = forms.DateField(label=_("Kỳ báo cáo từ ngày"), widget=DATE_WIDGET)
    last_day = forms.DateField(label=_("đến ngày"), widget=DATE_WIDGET)
    label = forms.CharField(
        label=_("Tên kỳ (để trống: đặt theo ngày, ví dụ «Quý IV/2026»)"),
        required=False,
        max_length=100,
    )
    due = forms.DateField(label=_("Hạn báo cáo"), widget=DATE_WIDGET)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=TEXT)


class ApprovalForm(forms.Form):
    decision_number = forms.CharField(
        label=_("Số quyết định khen thưởng (ví dụ 1234/QĐ-UBND)"), max_length=60
    )
    decision_date = forms.DateField(label=_("Ngày ký quyết định"), widget=DATE_WIDGET)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ý kiến"), required=False, widget=TEXT)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Tên cuộc họp"), max_length=400)
    held_on = forms.DateField(label=_("Ngày họp"), widget=DATE_WIDGET)
    agenda = forms.CharField(label=_("Chương trình họp"), required=False, widget=TEXT)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Cơ quan dự họp"), required=False, queryset=Agency.objects.none()
    )
    attendee_names = forms.CharField(label=_("Đại biểu dự họp"), required=False, widget=TEXT)
    decisions = forms.CharField(
        label=_("Kết luận (mỗi dòng một kết luận)"), required=False, widget=TEXT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _agencies(self, "attendees")


class DecisionTaskForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Kế hoạch năm"), queryset=AnnualPlan.objects.none())
    lead_agency = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=Agency.objects.none())
    coordinating_agencies = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"), required=False, queryset=Agency.objects.none()
    )
    due_on = forms.DateField(label=_("Thời hạn"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = AnnualPlan.objects.all()  # type: ignore[attr-defined]
        _agencies(self, "lead_agency", "coordinating_agencies")


class GuidanceForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=400)
    topic = forms.CharField(label=_("Chủ đề"), required=False, max_length=300)
    key_messages = forms.CharField(
        label=_("Thông điệp chính"), widget=forms.Textarea(attrs={"rows": 4})
    )
    explanation = forms.CharField(
        label=_("Nội dung giải thích"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    links = forms.CharField(
        label=_("Bài viết tham khảo (mỗi dòng một đường dẫn)"), required=False, widget=TEXT
    )
    valid_from = forms.DateField(label=_("Hiệu lực từ"), widget=DATE_WIDGET)
    valid_until = forms.DateField(label=_("Hiệu lực đến"), required=False, widget=DATE_WIDGET)
    resolution = forms.ModelChoiceField(
        label=_("Giải thích nghị quyết HĐND (cần Thường trực HĐND đồng ký)"),
        required=False,
        queryset=Resolution.objects.all(),
    )


class IssueGuidanceForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Gửi cho (để trống: toàn bộ mạng lưới)"),
        required=False,
        choices=NetworkMember.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class FieldReportForm(forms.Form):
    text = forms.CharField(
        label=_("Dư luận ghi nhận được"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ExemplaryForm(forms.Form):
    name = forms.CharField(label=_("Tên điển hình"), max_length=400)
    kind = forms.ChoiceField(label=_("Loại"), choices=ExemplaryModel.Kind.choices)
    proposing_agency = forms.ModelChoiceField(
        label=_("Cơ quan đề xuất"), queryset=Agency.objects.none()
    )
    place = forms.ModelChoiceField(
        label=_("Địa bàn"), required=False, queryset=AdministrativeUnit.objects.none()
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"), required=False, queryset=Field.objects.none()
    )
    achievements = forms.CharField(label=_("Thành tích"), widget=TEXT)
    evidence = forms.CharField(label=_("Minh chứng"), required=False, widget=TEXT)
    article_links = forms.CharField(
        label=_("Bài viết lan tỏa (mỗi dòng một đường dẫn)"), required=False, widget=TEXT
    )

    def __init__(self, *args: Any, agency_ids: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposing_agency"].queryset = Agency.objects.filter(pk__in=agency_ids or set())  # type: ignore[attr-defined]
        group_agencies(self.fields["proposing_agency"])
        choose_the_only_one(self.fields["proposing_agency"])
        self.fields["place"].queryset = communes()  # type: ignore[attr-defined]
        collate_communes(self.fields["place"])
        self.fields["field"].queryset = active_fields()  # type: ignore[attr-defined]


class CommendationForm(forms.Form):
    nominee = forms.CharField(label=_("Tập thể, cá nhân được đề nghị"), max_length=400)
    nominee_kind = forms.ChoiceField(
        label=_("Loại"), choices=CommendationProposal.NomineeKind.choices
    )
    form = forms.CharField(label=_("Hình thức khen thưởng"), max_length=300)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    achievements = forms.CharField(label=_("Thành tích"), widget=TEXT)
    evidence = forms.CharField(label=_("Minh chứng"), required=False, widget=TEXT)
    proposing_agency = forms.ModelChoiceField(
        label=_("Cơ quan đề xuất"), queryset=Agency.objects.none()
    )
    reviewing_agency = forms.ModelChoiceField(
        label=_("Cơ quan thẩm định"), queryset=Agency.objects.none()
    )
    approving_agency = forms.ModelChoiceField(
        label=_("Cơ quan phê duyệt"), queryset=Agency.objects.none()
    )
    exemplary_model = forms.ModelChoiceField(
        label=_("Điển hình"), required=False, queryset=ExemplaryModel.objects.all()
    )

    def __init__(self, *args: Any, agency_ids: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposing_agency"].queryset = Agency.objects.filter(pk__in=agency_ids or set())  # type: ignore[attr-defined]
        group_agencies(self.fields["proposing_agency"])
        choose_the_only_one(self.fields["proposing_agency"])
        _agencies(self, "reviewing_agency")
        # The usual approver is the provincial People's Committee: before the 65 communes.
        self.fields["approving_agency"].queryset = active_agencies()  # type: ignore[attr-defined]
        group_agencies(self.fields["approving_agency"], first=(Agency.Kind.PEOPLES_COMMITTEE,))
