"""Which bodies issue each kind of report document: the one decision that the letterheads
(the builders) and the permission to draft, edit and issue (`reports.permissions`) follow.

- the voters' petition reports (summary and results) are the HĐND standing committee's
  (Decree 30 form, «Số: 12/BC-HĐND»);
- the programme report, the public-opinion situation report and the conclusions notice of a
  coordination meeting are the Propaganda Department's, the programme's standing body (HD 36
  form, «Số 12-BC/BTGDVTU»).

A document's letterhead and number register are its issuing bodies'; only their own staff
write in their name (a joint document: the staff of any one of its co-issuing bodies).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from phoihop.core import province
from phoihop.core.models import Agency
from phoihop.programme.permissions import propaganda_agency
from phoihop.reports import formats
from phoihop.reports.models import ReportDocument

Kind = ReportDocument.Kind


def council_agency() -> Agency | None:
    """The standing committee of the provincial People's Council: the active council agency
    of the province (not one of a commune), the oldest if there are several."""
    return (
        Agency.objects.filter(kind=Agency.Kind.COUNCIL, is_active=True, unit__isnull=True)
        .order_by("pk")
        .first()
    )


def _council_heading() -> formats.Issuer:
    return formats.Issuer(
        parent=f"HĐND {province.current().in_text}".upper(),
        name="THƯỜNG TRỰC HĐND",
        symbol="HĐND",
        party=False,
        signing=["TM. THƯỜNG TRỰC HĐND", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
    )


def _department_heading() -> formats.Issuer:
    where = province.current()
    return formats.Issuer(
        parent=f"{where.party_committee} {where.name}".upper(),
        name="BAN TUYÊN GIÁO VÀ DÂN VẬN",
        symbol="BTGDVTU",
        party=True,
        signing=["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"],
    )


@dataclass(frozen=True)
class Body:
    """An issuing body: how to find its agency, and its usual heading while that agency is
    not registered (a document can still be previewed; nobody may issue it)."""

    agency: Callable[[], Agency | None]
    usual_heading: Callable[[], formats.Issuer]

    def issuer(self) -> formats.Issuer:
        agency = self.agency()
        return formats.issuer_of(agency) if agency is not None else self.usual_heading()


COUNCIL = Body(council_agency, _council_heading)
DEPARTMENT = Body(propaganda_agency, _department_heading)

# The one table: the bodies that issue each kind, in the order a joint heading names them.
ISSUING_BODIES: dict[str, tuple[Body, ...]] = {
    Kind.PETITIONS_SUMMARY: (COUNCIL,),
    Kind.PETITIONS_RESULTS: (COUNCIL,),
    Kind.PROGRAMME: (DEPARTMENT,),
    Kind.SITUATION: (DEPARTMENT,),
    Kind.CONCLUSIONS: (DEPARTMENT,),
}


def issuing_agencies(kind: str) -> list[Agency]:
    """The registered agencies that issue documents of `kind` (empty for an unknown kind)."""
    found = (body.agency() for body in ISSUING_BODIES.get(kind, ()))
    return [agency for agency in found if agency is not None]


def issuers_of(kind: str) -> list[formats.Issuer]:
    """The letterhead of each body that issues `kind`, for the document's heading."""
    return [body.issuer() for body in ISSUING_BODIES[kind]]


def council_issuer() -> formats.Issuer:
    """The Standing Committee of the provincial People's Council (Decree 30 format)."""
    return COUNCIL.issuer()


def department_issuer() -> formats.Issuer:
    """The Propaganda and Mass Mobilisation Department, a Party body (HD 36 format)."""
    return DEPARTMENT.issuer()


def joined_names(agencies: list[Agency]) -> str:
    """«A», «A và B», «A, B và C»: the bodies as a sentence names them."""
    names = [a.name for a in agencies]
    return " và ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)
