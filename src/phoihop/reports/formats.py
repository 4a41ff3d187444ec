"""The issuing body decides a document's format: Party bodies follow Hướng dẫn 36-HD/VPTW,
state bodies Decree 30/2020/NĐ-CP, and documents issued jointly take the joint form.

- Party (HD 36): on the left the superior Party body ("TỈNH ỦY <PROVINCE>"), the issuing body
  in bold, a star, and the number "Số 12-BC/BTGDVTU" (number, hyphen, kind, slash, body);
  on the right the Party header "ĐẢNG CỘNG SẢN VIỆT NAM", underlined, then place and date.
  Signing authority is written "T/M", "K/T".
- State (Decree 30): the superior body and the issuing body on the left with
  "Số: 12/BC-HĐND"; the national motto on the right.
- Joint: every issuing body is named in the heading and the symbol joins their symbols
  ("Số: 05/CTrPH-BTGDVTU-UBND"); each body signs in its own column. When every body is a
  Party body the Party header stays; as soon as a state body co-issues, the state form's
  motto governs (the document enters the state system), which is the practice of the
  province's joint programmes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from phoihop.core import province
from phoihop.core.models import Agency
from phoihop.reports.content import place_date

PARTY_HEADER = "ĐẢNG CỘNG SẢN VIỆT NAM"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")

# The symbols the province registers; other agencies get the initials of their name.
SYMBOLS = {
    "btgdv": "BTGDVTU",
    "hdnd": "HĐND",
    "ubnd": "UBND",
    "tand": "TAND",
    "vksnd": "VKSND",
}


class Form(StrEnum):
    STATE = "state"
    PARTY = "party"
    JOINT = "joint"


@dataclass(frozen=True)
class Issuer:
    """One issuing body as the heading writes it."""

    parent: str  # "TỈNH ỦY <PROVINCE>", "HĐND TỈNH <PROVINCE>" or "" for the top body
    name: str  # "BAN TUYÊN GIÁO VÀ DÂN VẬN"
    symbol: str  # "BTGDVTU"
    party: bool
    # How the body signs: ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]
    signing: list[str] = field(default_factory=list)


def _initials(name: str) -> str:
    words = [w for w in name.split() if w.lower() not in {"và", "tỉnh"}]
    # The first letter without its tone mark ("Ủy" → "U"); "Đ" has no decomposition.
    return "".join(unicodedata.normalize("NFD", w)[0].upper() for w in words if w)


def issuer_of(agency: Agency) -> Issuer:
    """The heading of `agency`: its superior body, its name and symbol, its kind of signing."""
    agency = agency.current
    where = province.current()
    committee, division, place = (
        re.escape(w) for w in (where.party_committee, where.division, where.name)
    )
    name = re.sub(rf"\s+({committee}\s+)?({division}\s+)?{place}$", "", agency.name, flags=re.I)
    symbol = SYMBOLS.get(agency.code) or _initials(name)
    if agency.kind == Agency.Kind.PARTY:
        short = re.sub(rf"\s+{committee}$", "", name, flags=re.I)
        return Issuer(
            parent=f"{where.party_committee} {where.name}".upper(),
            name=short.upper(),
            symbol=symbol,
            party=True,
            signing=["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"],
        )
    if agency.kind == Agency.Kind.COUNCIL:
        return Issuer(
            parent=f"HĐND {where.in_text}".upper(),
            name="THƯỜNG TRỰC HĐND",
            symbol=SYMBOLS.get(agency.code) or "HĐND",
            party=False,
            signing=["TM. THƯỜNG TRỰC HĐND", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        )
    if agency.kind == Agency.Kind.PEOPLES_COMMITTEE and agency.parent_id is None:
        return Issuer(
            parent="",
            name=f"ỦY BAN NHÂN DÂN {where.in_text}".upper(),
            symbol=symbol,
            party=False,
            signing=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        )
    parent = f"UBND {where.in_text}".upper() if agency.kind == Agency.Kind.DEPARTMENT else ""
    return Issuer(
        parent=parent,
        name=name.upper() if parent else agency.name.upper(),
        symbol=symbol,
        party=False,
        signing=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] if parent else ["THỦ TRƯỞNG CƠ QUAN"],
    )


def form_of(issuers: list[Issuer]) -> Form:
    if len(issuers) > 1:
        return Form.JOINT
    return Form.PARTY if issuers[0].party else Form.STATE


def symbol_of(form: Form, kind_symbol: str, issuers: list[Issuer]) -> str:
    """The part after the number: "BC/BTGDVTU" (Party), "BC-HĐND" (state),
    "CTrPH-BTGDVTU-UBND" (joint)."""
    bodies = "-".join(i.symbol for i in issuers)
    if form == Form.PARTY:
        return f"{kind_symbol}/{bodies}"
    return f"{kind_symbol}-{bodies}"


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text)).upper()


def registered_number(form: str, symbol: str, text: str) -> str | None:
    """The full number and symbol («12-BC/BTGDVTU», «12/BC-HĐND») that `text` registers: a bare
    number («12») is completed with this document's symbol; a full number must carry exactly
    this symbol in this form's style. None when `text` is neither."""
    text = unicodedata.normalize("NFC", (text or "").strip())
    text = re.sub(r"^Số\s*:?\s*", "", text, flags=re.IGNORECASE)
    joint = "-" if form == Form.PARTY else "/"
    match = re.fullmatch(r"0*([1-9]\d{0,5})(?:\s*" + re.escape(joint) + r"\s*(.+))?", text)
    if match is None:
        return None
    number, rest = match.groups()
    if not symbol:
        return number if rest is None else None
    if rest is not None and _squeezed(rest) != _squeezed(symbol):
        return None
    return f"{number}{joint}{symbol}"


def number_line(form: str, symbol: str, number: str = "") -> str:
    """The number as the heading prints it. A bare number is completed with the symbol;
    anything else is taken as the full registered number."""
    number = (number or "").strip()
    if form == Form.PARTY:
        if not number:
            return f"Số      -{symbol}"
        return f"Số {number}-{symbol}" if number.isdigit() else f"Số {number}"
    if not number:
        return f"Số:      /{symbol}"
    return f"Số: {number}/{symbol}" if number.isdigit() else f"Số: {number}"


def motto_lines(issuers: list[Issuer]) -> list[str]:
    """The right-hand heading: the Party header when only Party bodies issue, else the motto."""
    if all(i.party for i in issuers):
        return [PARTY_HEADER]
    return list(MOTTO)


def heading(
    *,
    issuers: list[Issuer],
    kind_symbol: str,
    kind_title: str,
    title: str,
    today: dt.date,
) -> dict[str, Any]:
    """The keyword arguments of a `content.Document` for these issuers (its whole heading)."""
    form = form_of(issuers)
    symbol = symbol_of(form, kind_symbol, issuers)
    first = issuers[0]
    return {
        "form": str(form),
        "symbol": symbol,
        "parent_body": first.parent if form != Form.JOINT else "",
        "issuing_body": first.name if form != Form.JOINT else "",
        "bodies": [[i.parent, i.name] for i in issuers] if form == Form.JOINT else [],
        "motto": motto_lines(issuers),
        "number": number_line(form, symbol),
        "place_date": place_date(province.current().name, today),
        "kind_title": kind_title,
        "title": title,
        "signing_authority": [] if form == Form.JOINT else list(first.signing),
        "co_signing": [list(i.signing) for i in issuers] if form == Form.JOINT else [],
    }


def heading_for(
    *, agencies: list[Agency], kind_symbol: str, kind_title: str, title: str, today: dt.date
) -> dict[str, Any]:
    return heading(
        issuers=[issuer_of(a) for a in agencies],
        kind_symbol=kind_symbol,
        kind_title=kind_title,
        title=title,
        today=today,
    )
