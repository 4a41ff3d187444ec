"""Gather the figures of the council's petition reports and the headings of every report.
Reads only; no writes. The dashboard and programme figures live in `reports.figures`."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from phoihop.cases.models import Assignment, Issue
from phoihop.cases.selectors import competence_of
from phoihop.core import policy
from phoihop.core.collation import sort_key
from phoihop.core.models import Agency, RoutingEntry
from phoihop.core.places import in_text
from phoihop.core.text import in_sentence
from phoihop.intake.models import CouncilSession, Signal
from phoihop.reports import formats
from phoihop.reports.content import Block, Document, Table, quoted
from phoihop.reports.figures import Dashboard, ProgrammeFigures, dashboard, programme_figures
from phoihop.reports.issuers import (
    council_issuer,
    department_issuer,
    issuers_of,
    issuing_agencies,
    joined_names,
)
from phoihop.reports.models import ReportDocument
from phoihop.reports.periods import Period

__all__ = [
    "Dashboard",
    "PetitionGroup",
    "ProgrammeFigures",
    "council_issuer",
    "dashboard",
    "department_issuer",
    "document_rows",
    "draftable_kinds",
    "petition_groups",
    "petitions_results",
    "petitions_summary",
    "programme_figures",
    "report_heading",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI"]
COMPETENCE_ORDER = [
    (Issue.Competence.CENTRAL, "Kiến nghị thuộc thẩm quyền của Trung ương"),
    (Issue.Competence.PROVINCE, "Kiến nghị thuộc thẩm quyền của tỉnh"),
    (Issue.Competence.COMMUNE, "Kiến nghị thuộc thẩm quyền của cấp xã"),
    ("", "Kiến nghị chưa xác định thẩm quyền"),
]

UNCLASSIFIED = "Chưa phân loại"


@dataclass
class PetitionGroup:
    """Petitions that say the same thing (one issue), merged into one wording."""

    wording: str
    field: str
    competence: str
    places: list[str]
    petitions: int
    meetings: int
    agency: str
    issue: Issue | None


def _petitions(session: CouncilSession | None, period: Period | None) -> QuerySet[Signal]:
    qs = Signal.objects.filter(channel=Signal.Channel.PETITION).select_related(
        "place", "issue", "issue__field", "round", "proposal__field", "proposal__cluster"
    )
    if session is not None:
        qs = qs.filter(round__session=session)
    if period is not None:
        qs = qs.filter(received_at__date__gte=period.start, received_at__date__lte=period.end)
    return qs


def _lead_agency(issue: Issue | None) -> Agency | None:
    """The agency leading the answer (the current name of a merged one), None before a live
    lead assignment (returned, transferred or cancelled ones lead nothing)."""
    if issue is None:
        return None
    for assignment in issue.assignments.all():
        if assignment.role == Assignment.Role.LEAD and assignment.state not in (
            Assignment.State.RETURNED,
            Assignment.State.TRANSFERRED,
            Assignment.State.CANCELLED,
        ):
            return assignment.agency.current
    return None


def _answering_agency(issue: Issue | None, lead: Agency | None, routing: dict[int, str]) -> str:
    """The lead agency; before one is assigned, the agency the routing table names for the
    field, marked «dự kiến» (a report must not name as answering an agency never given it)."""
    if lead is not None:
        return lead.name
    if issue is not None and issue.field_id in routing:
        return f"{routing[issue.field_id]} (dự kiến, chưa giao)"
    return "Chưa giao"


def _competence(issue: Issue | None, lead: Agency | None) -> str:
    """The competence level set on the issue; else, once a lead agency answers for it, that
    agency's level: a petition assigned to (or answered by) a department is not one «chưa
    xác định thẩm quyền». Only petitions without a competent agency stay unknown ("")."""
    if issue is None:
        return ""
    return issue.competence or competence_of(lead)


def petition_groups(
    *, session: CouncilSession | None = None, period: Period | None = None
) -> list[PetitionGroup]:
    routing = {
        e.field_id: e.agency.current.name for e in RoutingEntry.objects.select_related("agency")
    }
    by_issue: dict[Any, list[Signal]] = defaultdict(list)
    for signal in _petitions(session, period).prefetch_related("issue__assignments__agency"):
        # one matter per issue; petitions not yet decided count once per cluster of triage
        proposal = getattr(signal, "proposal", None)
        cluster = proposal.cluster if proposal is not None else None
        by_issue[signal.issue_id or (cluster.key if cluster else f"s{signal.pk}")].append(signal)
    groups = []
    for signals in by_issue.values():
        issue = signals[0].issue
        proposed = getattr(signals[0], "proposal", None)
        proposed_field = proposed.field if proposed is not None else None
        lead = _lead_agency(issue)
        meetings = {
            (s.occurred_at.date() if s.occurred_at else None, (s.metadata or {}).get("deputy", ""))
            for s in signals
        }
        groups.append(
            PetitionGroup(
                wording=issue.title if issue else signals[0].text,
                field=(
                    issue.field.name
                    if issue and issue.field
                    else (proposed_field.name if proposed_field else UNCLASSIFIED)
                ),
                competence=_competence(issue, lead),
                places=sorted({s.place.name for s in signals if s.place}, key=sort_key),
                petitions=len(signals),
                meetings=len(meetings),
                agency=_answering_agency(issue, lead, routing),
                issue=issue,
            )
        )
    return sorted(
        groups, key=lambda g: (g.field == UNCLASSIFIED, sort_key(g.field), -g.petitions, g.wording)
    )


def report_heading(
    *, issuers: list[formats.Issuer], kind_symbol: str, title: str, today: dt.date
) -> dict[str, Any]:
    return formats.heading(
        issuers=issuers, kind_symbol=kind_symbol, kind_title="BÁO CÁO", title=title, today=today
    )


def _occasion(session: CouncilSession | None, period: Period | None, *, to_session: str) -> str:
    """What the petitions were collected for: «trước kỳ họp thứ 12 HĐND tỉnh khóa XVII»
    (`to_session` is the preposition before a session) or, for a period, «trong quý IV năm
    2026»: one cannot petition «before» or «to» a quarter."""
    if session is not None:
        return f"{to_session} kỳ họp thứ {session.number} HĐND tỉnh khóa {session.term}"
    return f"trong {period.label}" if period else ""


def _field_names(groups: list[PetitionGroup]) -> list[str]:
    """The fields of the groups in Vietnamese alphabetical order («Đất đai» after «Dân tộc»,
    not after «Y tế»), unclassified petitions last."""
    return sorted({g.field for g in groups}, key=lambda f: (f == UNCLASSIFIED, sort_key(f)))


def petitions_summary(
    *,
    session: CouncilSession | None = None,
    period: Period | None = None,
    today: dt.date | None = None,
) -> Document:
    """Báo cáo tổng hợp ý kiến, kiến nghị của cử tri: grouped by competence level and field."""
    today = today or timezone.localdate()
    groups = petition_groups(session=session, period=period)
    total = sum(g.petitions for g in groups)
    doc = Document(
        **report_heading(
            issuers=issuers_of(ReportDocument.Kind.PETITIONS_SUMMARY),
            kind_symbol="BC",
            today=today,
            title=(
                "Tổng hợp ý kiến, kiến nghị của cử tri "
                + _occasion(session, period, to_session="trước")
            ),
        ),
        recipients=[
            "Thường trực Tỉnh ủy",
            "UBND tỉnh",
            "Các Ban HĐND tỉnh",
            "Các Tổ đại biểu HĐND tỉnh",
            "Lưu: VT",
        ],
    )
    doc.blocks.append(
        Block(
            kind="paragraph",
            key="intro",
            text=(
                f"Thường trực HĐND tỉnh tổng hợp {total} ý kiến, kiến nghị của cử tri, hợp nhất thành "
                f"{len(groups)} nội dung, như sau:"
            ),
        )
    )
    n = 0
    present = [(c, h) for c, h in COMPETENCE_ORDER if any(g.competence == c for g in groups)]
    for roman, (competence, heading) in zip(ROMAN, present, strict=False):
        chosen = [g for g in groups if g.competence == competence]
        count = sum(g.petitions for g in chosen)
        doc.blocks.append(Block(kind="heading", text=f"{roman}. {heading} ({count} kiến nghị)"))
        # Unclassified petitions come last, under a heading an official document can carry.
        names = _field_names(chosen)
        for field_name in names:
            in_field = [g for g in chosen if g.field == field_name]
            heading = (
                "Các nội dung khác"
                if field_name == UNCLASSIFIED
                else f"Lĩnh vực {in_sentence(field_name)}"
            )
            doc.blocks.append(Block(kind="heading", level=2, text=heading))
            for group in in_field:
                n += 1
                places = ", ".join(in_text(p) for p in group.places) or "nhiều địa phương"
                doc.blocks.append(
                    Block(
                        kind="paragraph",
                        key=f"g{n}",
                        text=(
                            f"{n}. {quoted(group.wording)} (cử tri {places}; {group.petitions} kiến nghị tại "
                            f"{group.meetings} cuộc tiếp xúc). Cơ quan trả lời: {group.agency}."
                        ),
                    )
                )
    doc.blocks.append(
        Block(
            kind="table",
            table=Table(
                caption="Tổng hợp theo lĩnh vực",
                header=["Lĩnh vực", "Số nội dung", "Số kiến nghị"],
                rows=[
                    [
                        name,
                        str(sum(1 for g in groups if g.field == name)),
                        str(sum(g.petitions for g in groups if g.field == name)),
                    ]
                    for name in _field_names(groups)
                ]
                + [["Tổng cộng", str(len(groups)), str(total)]],
            ),
        )
    )
    doc.blocks.append(
        Block(
            kind="paragraph",
            key="closing",
            text="Thường trực HĐND tỉnh đề nghị các cơ quan có thẩm quyền xem xét, trả lời cử tri theo quy định.",
        )
    )
    return doc


def petitions_results(
    *,
    session: CouncilSession | None = None,
    period: Period | None = None,
    today: dt.date | None = None,
) -> Document:
    """Báo cáo kết quả giải quyết, trả lời kiến nghị của cử tri: outcome of each petition."""
    today = today or timezone.localdate()
    groups = petition_groups(session=session, period=period)
    outcome_of = {g.wording: (g.issue.outcome if g.issue else "") for g in groups}
    labels = dict(Issue.Outcome.choices)
    counts = Counter(outcome_of[g.wording] or Issue.Outcome.UNRESOLVED for g in groups)
    doc = Document(
        **report_heading(
            issuers=issuers_of(ReportDocument.Kind.PETITIONS_RESULTS),
            kind_symbol="BC",
            today=today,
            title=(
                "Kết quả giải quyết, trả lời ý kiến, kiến nghị của cử tri "
                + _occasion(session, period, to_session="gửi đến")
            ),
        ),
        recipients=["Thường trực Tỉnh ủy", "UBND tỉnh", "Các Tổ đại biểu HĐND tỉnh", "Lưu: VT"],
    )
    doc.blocks.append(
        Block(
            kind="paragraph",
            key="intro",
            text=f"Tổng số nội dung kiến nghị: {len(groups)}. Kết quả giải quyết, trả lời như sau:",
        )
    )
    rows = [[str(labels[o]), str(counts.get(o, 0))] for o in Issue.Outcome.values]
    doc.blocks.append(
        Block(
            kind="table",
            table=Table(
                caption="Tổng hợp kết quả",
                header=["Kết quả", "Số nội dung"],
                rows=[*rows, ["Tổng cộng", str(len(groups))]],
            ),
        )
    )
    for outcome in Issue.Outcome.values:
        chosen = [
            g for g in groups if (outcome_of[g.wording] or Issue.Outcome.UNRESOLVED) == outcome
        ]
        if not chosen:
            continue
        doc.blocks.append(Block(kind="heading", text=f"{labels[outcome]} ({len(chosen)} nội dung)"))
        for i, g in enumerate(chosen, 1):
            roadmap = f" Lộ trình: {g.issue.roadmap}" if g.issue and g.issue.roadmap else ""
            doc.blocks.append(
                Block(
                    kind="paragraph",
                    key=f"{outcome}{i}",
                    text=f"{i}. {g.wording} — {g.agency}.{roadmap}",
                )
            )
    carried = [
        g
        for g in groups
        if (outcome_of[g.wording] or "unresolved") in ("in_progress", "unresolved")
    ]
    doc.blocks.append(
        Block(kind="heading", text=f"Danh mục kiến nghị chuyển kỳ sau ({len(carried)} nội dung)")
    )
    doc.blocks.append(
        Block(
            kind="table",
            table=Table(
                header=["STT", "Nội dung kiến nghị", "Cơ quan trả lời", "Kết quả"],
                rows=[
                    [
                        str(i),
                        g.wording,
                        g.agency,
                        str(labels.get(outcome_of[g.wording] or "unresolved")),
                    ]
                    for i, g in enumerate(carried, 1)
                ],
            ),
        )
    )
    doc.blocks.append(Block(kind="heading", text="Phụ lục: chi tiết từng kiến nghị"))
    doc.blocks.append(
        Block(
            kind="table",
            table=Table(
                header=["STT", "Nội dung", "Lĩnh vực", "Địa bàn", "Cơ quan trả lời", "Kết quả"],
                rows=[
                    [
                        str(i),
                        g.wording,
                        g.field,
                        capfirst(", ".join(in_text(p) for p in g.places)),
                        g.agency,
                        str(labels.get(outcome_of[g.wording] or "unresolved")),
                    ]
                    for i, g in enumerate(groups, 1)
                ],
            ),
        )
    )
    return doc


def draftable_kinds(*, user: policy.AnyUser) -> list[str]:
    """The kinds of document `user` drafts and issues: those of the bodies they work for."""
    return [
        kind
        for kind in ReportDocument.Kind.values
        if policy.can(user, "reports.report_draft", kind)
    ]


@dataclass(frozen=True)
class DocumentRow:
    """A line of the list of documents: who issues it and whether this user opens its draft
    page (documents of their own body) or only downloads it (issued by another body)."""

    document: ReportDocument
    issuing_body: str
    editable: bool


def document_rows(*, user: policy.AnyUser, kinds: list[str], limit: int = 100) -> list[DocumentRow]:
    """What the list shows `user`, newest first: every document of the kinds they issue
    (`kinds`, drafts included) and the documents other bodies issued, when they may read
    issued documents; someone who issues nothing sees the issued documents only."""
    if not kinds:
        documents = issued_documents()
    else:
        visible = Q(kind__in=kinds)
        if policy.can(user, "reports.report_read"):
            visible |= Q(state=ReportDocument.State.ISSUED)
        documents = ReportDocument.objects.filter(visible).select_related(
            "session", "meeting", "issue", "created_by"
        )
    bodies: dict[str, str] = {}
    rows = []
    for document in documents[:limit]:
        if document.kind not in bodies:
            bodies[document.kind] = joined_names(issuing_agencies(document.kind)) or "—"
        rows.append(DocumentRow(document, bodies[document.kind], document.kind in kinds))
    return rows


def issued_documents() -> QuerySet[ReportDocument]:
    """Report documents issued (numbered and signed off), newest first: what leaders and
    viewers read."""
    return (
        ReportDocument.objects.filter(state=ReportDocument.State.ISSUED)
        .select_related("session", "meeting", "issue", "created_by")
        .order_by("-issued_at", "-pk")
    )
