"""The content of an official document, independent of DOCX or PDF: plain dataclasses."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from phoihop.core.text import shorten


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class Block:
    """A heading, a paragraph (editable before issuing, by its key) or a table."""

    kind: str  # "heading" | "paragraph" | "table"
    text: str = ""
    key: str = ""
    level: int = 1
    table: Table | None = None
    # What the editor calls an editable paragraph («Đoạn tổng quan», «Vấn đề thứ 1: …»); a
    # screen reader reads it, so never the key. Documents drafted without one get one from
    # their section (see `Document.from_json`).
    label: str = ""


@dataclass
class Document:
    """An official document; `form` says whose rules lay it out (see `reports.formats`):
    "state" (Decree 30/2020/NĐ-CP), "party" (Hướng dẫn 36-HD/VPTW) or "joint"."""

    parent_body: str  # e.g. "HĐND TỈNH LẠNG SƠN"
    issuing_body: str  # e.g. "THƯỜNG TRỰC HĐND"
    number: str  # e.g. "Số: /BC-HĐND" (the number is left blank until registered)
    place_date: str  # e.g. "Lạng Sơn, ngày 25 tháng 11 năm 2026"
    kind_title: str  # "BÁO CÁO"
    title: str  # the summary line under the kind
    blocks: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signing_authority: list[str] = field(default_factory=list)  # "TM. …", "KT. …", "PHÓ …"
    signer: str = ""
    form: str = "state"
    symbol: str = ""  # what follows the number: "BC-HĐND", "BC/BTGDVTU"
    motto: list[str] = field(default_factory=list)  # the right-hand heading lines
    bodies: list[list[str]] = field(default_factory=list)  # joint: [parent, name] per body
    co_signing: list[list[str]] = field(default_factory=list)  # joint: each body's signing

    @property
    def is_party(self) -> bool:
        return self.form == "party"

    @property
    def motto_lines(self) -> list[str]:
        return self.motto or ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        blocks = []
        for raw in data.get("blocks", []):
            table = raw.get("table")
            blocks.append(
                Block(
                    kind=raw["kind"],
                    text=raw.get("text", ""),
                    key=raw.get("key", ""),
                    level=raw.get("level", 1),
                    table=Table(**table) if table else None,
                    label=raw.get("label", ""),
                )
            )
        values = {k: v for k, v in data.items() if k != "blocks"}
        doc = cls(**values, blocks=blocks)
        doc.label_paragraphs()
        return doc

    def label_paragraphs(self) -> None:
        """Give each editable paragraph without a label one from its place in the document:
        «Đoạn 2, mục II. …» (the n-th paragraph under a heading), else «Đoạn 2»."""
        heading, n = "", 0
        for block in self.blocks:
            if block.kind == "heading":
                heading, n = block.text, 0
            elif block.kind == "paragraph":
                n += 1
                if block.key and not block.label:
                    block.label = (
                        _("Đoạn %(n)s, mục %(heading)s") % {"n": n, "heading": heading}
                        if heading
                        else _("Đoạn %(n)s") % {"n": n}
                    )

    def editable(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "paragraph" and b.key]


def place_date(place: str, day: Any) -> str:
    """Decree 30: days below 10 and the months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def quoted(text: str, *, limit: int | None = None) -> str:
    """Wording quoted from a signal, an issue or a claim, ready for the report's own sentence:
    one line, cut at a word within `limit` characters (with «…»), and without the full stop,
    colon or semicolon it ended with, which the report's punctuation would otherwise double
    («…người dân lo lắng.:»)."""
    text = shorten(text, limit) if limit is not None else " ".join(text.split())
    return text.rstrip(" .,;:!?")
