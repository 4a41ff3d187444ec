"""The bodies that issue each kind of report document (`reports.issuers`): their letterheads."""

from __future__ import annotations

from tests.factories import AgencyFactory

from phoihop.core.models import Agency
from phoihop.reports import issuers
from phoihop.reports.models import ReportDocument

Kind = ReportDocument.Kind
COUNCIL_NAME = "Thường trực Hội đồng nhân dân tỉnh Lạng Sơn"


def test_the_councils_letterhead_is_the_same_registered_or_not_whatever_its_code(
    db: None,
) -> None:
    usual = issuers.issuers_of(Kind.PETITIONS_SUMMARY)
    assert [(i.name, i.symbol) for i in usual] == [("THƯỜNG TRỰC HĐND", "HĐND")]
    AgencyFactory(code="tt-hdnd", name=COUNCIL_NAME, kind=Agency.Kind.COUNCIL)
    assert issuers.issuers_of(Kind.PETITIONS_SUMMARY) == usual
