"""Forms parse and check the shape of input; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import Agency, Field
from phoihop.core.pickers import group_agencies
from phoihop.core.selectors import active_agencies, active_fields
from phoihop.core.web import DATE_WIDGET
from phoihop.factcheck.models import Claim, Rebuttal
from phoihop.intake.models import Signal

TEXT = forms.Textarea(attrs={"rows": 3})


class ClaimFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm (có hoặc không dấu)"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *Claim.Status.choices]
    )


class ClaimForm(forms.Form):
    wording = forms.CharField(
        label=_("Nội dung thông tin (nguyên văn)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    summary = forms.CharField(label=_("Tóm tắt"), required=False, max_length=300)
    first_seen_on = forms.DateField(label=_("Phát hiện lần đầu"), widget=DATE_WIDGET)
    first_seen_where = forms.CharField(label=_("Nơi phát hiện"), required=False, max_length=500)
    risk = forms.ChoiceField(label=_("Mức độ nguy hại"), choices=Claim.Risk.choices)
    competent_agency = forms.ModelChoiceField(
        label=_("Cơ quan có thẩm quyền xác minh"), queryset=Agency.objects.none()
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"), required=False, queryset=Field.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competent_agency"].queryset = active_agencies()  # type: ignore[attr-defined]
        group_agencies(self.fields["competent_agency"])
        self.fields["field"].queryset = active_fields()  # type: ignore[attr-defined]


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề bài phản bác"), max_length=400)
    text = forms.CharField(label=_("Nội dung phản bác"), widget=forms.Textarea(attrs={"rows": 8}))
    rating = forms.ChoiceField(label=_("Kết luận"), choices=Rebuttal.Rating.choices)
    confirming_agency = forms.ModelChoiceField(
        label=_("Cơ quan xác nhận thông tin"), queryset=Agency.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirming_agency"].queryset = active_agencies()  # type: ignore[attr-defined]
        group_agencies(self.fields["confirming_agency"])


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ý kiến xác nhận"), required=False, widget=TEXT)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=TEXT)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Kết luận"),
        choices=[
            (Claim.Status.NOT_FALSE, Claim.Status.NOT_FALSE.label),
            (Claim.Status.DROPPED, Claim.Status.DROPPED.label),
        ],
    )
    reason = forms.CharField(label=_("Lý do"), widget=TEXT)


class LinkSignalForm(forms.Form):
    signal = forms.ModelChoiceField(
        label=_("Mã tín hiệu"),
        queryset=Signal.objects.all(),
        widget=forms.NumberInput(attrs={"min": 1}),
        error_messages={"invalid_choice": _("Không có tín hiệu với mã này.")},
    )
