"""Forms of the reports app: choosing a report to draft and issuing it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.intake.models import CouncilSession
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
        label=_("hoặc theo kỳ họp HĐND"),
        required=False,
        queryset=CouncilSession.objects.none(),
        empty_label=_("— Không theo kỳ họp —"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = CouncilSession.objects.all()  # type: ignore[attr-defined]
        choices: list[Any] = [("", _("— Chọn kỳ báo cáo —"))]
        self.fields["period"].choices = choices + period_choices(timezone.localdate())  # type: ignore[attr-defined]


class IssueForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu (ví dụ 12/BC-HĐND)"), max_length=60)
