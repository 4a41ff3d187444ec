"""Forms of the reports app: choosing a report to draft and issuing it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.intake.models import CouncilSession
from phoihop.reports.models import ReportDocument


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=ReportDocument.Kind.choices)
    period = forms.CharField(
        label=_("Kỳ báo cáo (YYYY, YYYY-H1, YYYY-Qn)"), required=False, max_length=10
    )
    session = forms.ModelChoiceField(
        label=_("Kỳ họp HĐND"), required=False, queryset=CouncilSession.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = CouncilSession.objects.all()  # type: ignore[attr-defined]


class IssueForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu (ví dụ 12/BC-HĐND)"), max_length=60)
