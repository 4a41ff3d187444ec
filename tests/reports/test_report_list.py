"""The list of report documents says each period in words, as the period picker does."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.factories import AgencyFactory, member

from phoihop.core.models import Agency, Membership
from phoihop.reports.models import ReportDocument


@pytest.mark.django_db
def test_report_list_names_periods_as_the_picker_does() -> None:
    hdnd = member(AgencyFactory(kind=Agency.Kind.COUNCIL), Membership.Role.COORDINATOR)
    for period in ("2026-Q4", "2026-12", "2026", "2026-H1"):
        ReportDocument.objects.create(
            kind=ReportDocument.Kind.PETITIONS_SUMMARY,
            period=period,
            title="t",
            content={},
            created_by=hdnd,
        )
    client = Client()
    client.force_login(hdnd)
    page = client.get("/cong-viec/bao-cao/van-ban/").content.decode()
    for label in ("Quý 4/2026", "Tháng 12/2026", "Năm 2026", "6 tháng đầu năm 2026"):
        assert f"<td>{label}</td>" in page
    for key in ("2026-Q4", "2026-12", "2026-H1"):
        assert f"<td>{key}</td>" not in page
