"""Every change to the programme: one function per verb, atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases.models import Issue
from phoihop.core import audit
from phoihop.core.models import AdministrativeUnit, Agency, Field, User
from phoihop.intake.models import Signal
from phoihop.programme import permissions, projects, spreadsheet
from phoihop.programme.models import (
    AnnualPlan,
    CommendationProposal,
    ContentArea,
    Decision,
    ExemplaryModel,
    FieldReport,
    Guidance,
    GuidanceRecipient,
    KeyProject,
    Meeting,
    NetworkMember,
    Programme,
    ProgressReport,
    Resolution,
    Task,
)
from phoihop.triage.normalize import content_hash, fold, normalize_text

TASK_FIELDS = ("title", "lead_agency", "due_on", "status", "progress", "completed_on")


def _text(value: str | None) -> str:
    return normalize_text(value or "")


def _required(value: str | None, field: str, message: str) -> str:
    text = _text(value)
    if not text:
        raise ValidationError({field: message})
    return text


# --- programme, plans, tasks -----------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    by: User,
    title: str,
    signed_on: dt.date,
    number: str = "",
    legal_basis: str = "",
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
    parties: Iterable[Agency] = (),
    areas: Iterable[str] = (),
) -> Programme:
    """Record the signed programme with its parties and numbered content areas."""
    permissions.require(by, "programme.manage")
    title = _required(title, "title", _("Cần nhập tên chương trình."))
    if term_start and term_end and term_end < term_start:
        raise ValidationError({"term_end": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    programme = Programme.objects.create(
        title=title,
        number=_text(number),
        signed_on=signed_on,
        legal_basis=(legal_basis or "").strip(),
        term_start=term_start,
        term_end=term_end,
    )
    programme.parties.set(list(parties))
    for number_, area in enumerate(areas, start=1):
        ContentArea.objects.create(programme=programme, number=number_, title=_text(area))
    audit.record(
        actor=by,
        action="programme.create",
        target=programme,
        scope=f"programme:{programme.pk}",
        after={"title": title, "signed_on": signed_on},
        parties=[a.name for a in programme.parties.all()],
    )
    return programme


@transaction.atomic
def plan_create(*, by: User, programme: Programme, year: int, title: str = "") -> AnnualPlan:
    """Open the annual plan of `year`."""
    permissions.require(by, "programme.manage")
    if programme.plans.filter(year=year).exists():
        raise ValidationError(
            {"year": _("Chương trình đã có kế hoạch năm %(year)s.") % {"year": year}}
        )
    plan = AnnualPlan.objects.create(
        programme=programme,
        year=year,
        title=_text(title)
        or _("Kế hoạch thực hiện chương trình phối hợp năm %(year)s") % {"year": year},
    )
    audit.record(
        actor=by, action="plan.create", target=plan, scope=f"programme:{programme.pk}", year=year
    )
    return plan


def _next_task_code(plan: AnnualPlan) -> str:
    prefix = f"{plan.year}-"
    numbers = [
        int(code.rsplit("-", 1)[1])
        for code in Task.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        if code.rsplit("-", 1)[1].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


@transaction.atomic
def task_create(
    *,
    by: User,
    plan: AnnualPlan,
    title: str,
    lead_agency: Agency,
    due_on: dt.date,
    coordinating_agencies: Iterable[Agency] = (),
    area: ContentArea | None = None,
    code: str = "",
    description: str = "",
    expected_output: str = "",
    decision: Decision | None = None,
) -> Task:
    """Add a task to an annual plan with its lead and coordinating agencies and due date."""
    permissions.require(by, "programme.manage")
    title = _required(title, "title", _("Cần nhập tên nhiệm vụ."))
    if lead_agency is None:
        raise ValidationError({"lead_agency": _("Cần chọn cơ quan chủ trì.")})
    if not lead_agency.is_active:
        raise ValidationError(
            {
                "lead_agency": _("Cơ quan «%(old)s» đã ngừng hoạt động; hãy giao cho «%(new)s».")
                % {"old": lead_agency.name, "new": lead_agency.current.name}
            }
        )
    if area is not None and area.programme_id != plan.programme_id:
        raise ValidationError({"area": _("Nội dung phối hợp không thuộc chương trình này.")})
    code = _text(code) or _next_task_code(plan)
    if Task.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã nhiệm vụ «%(code)s» đã được dùng.") % {"code": code}})
    supporters = [a for a in coordinating_agencies if a.pk != lead_agency.pk]
    task = Task.objects.create(
        plan=plan,
        area=area,
        code=code,
        title=title,
        description=(description or "").strip(),
        expected_output=(expected_output or "").strip(),
        lead_agency=lead_agency,
        due_on=due_on,
        decision=decision,
        created_by=by,
    )
    task.coordinating_agencies.set(supporters)
    audit.record(
        actor=by,
        action="task.create",
        target=task,
        scope=f"task:{task.pk}",
        after=audit.snapshot(task, TASK_FIELDS),
        coordinating=[a.name for a in supporters],
        decision=decision.pk if decision else None,
    )
    return task


@transaction.atomic
def task_cancel(*, by: User, task: Task, reason: str) -> Task:
    """Stop a task that no longer makes sense; the reason stays in the audit log."""
    permissions.require(by, "programme.manage")
    reason = _required(reason, "reason", _("Cần nêu lý do dừng thực hiện."))
    if not task.is_open:
        raise ValidationError(_("Nhiệm vụ đã kết thúc, không thể dừng."))
    before = audit.snapshot(task, TASK_FIELDS)
    task.status = Task.Status.CANCELLED
    task.save(update_fields=["status"])
    audit.record(
        actor=by,
        action="task.cancel",
        target=task,
        scope=f"task:{task.pk}",
        before=before,
        after=audit.snapshot(task, TASK_FIELDS),
        reason=reason,
    )
    return task


def _latest_report(task: Task, agency: Agency) -> ProgressReport | None:
    return task.reports.filter(agency=agency).order_by("-reported_on", "-id").first()


def _refresh_status(task: Task, *, by: User | None) -> None:
    """The task's progress is its lead agency's latest report; 100% means done."""
    lead = _latest_report(task, task.lead_agency)
    before = audit.snapshot(task, TASK_FIELDS)
    task.progress = lead.percent if lead else 0
    if task.status == Task.Status.CANCELLED:
        return
    if lead is not None and lead.percent >= 100:
        task.status = Task.Status.DONE
        task.completed_on = task.completed_on or lead.reported_on
    elif task.reports.filter(percent__gt=0).exists():
        task.status = Task.Status.IN_PROGRESS
        task.completed_on = None
    else:
        task.status = Task.Status.NOT_STARTED
        task.completed_on = None
    task.save(update_fields=["progress", "status", "completed_on"])
    after = audit.snapshot(task, TASK_FIELDS)
    if after["status"] != before["status"]:
        audit.record(
            actor=by,
            action="task.status",
            target=task,
            scope=f"task:{task.pk}",
            before={"status": before["status"]},
            after={"status": after["status"]},
        )


def _check_percent(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError({"percent": _("Tiến độ phải là số nguyên từ 0 đến 100.")})
    return int(value)


def _report(
    *,
    by: User,
    task: Task,
    agency: Agency,
    percent: int,
    narrative: str,
    evidence: str,
    reported_on: dt.date,
    source: str,
) -> ProgressReport | None:
    narrative = (narrative or "").strip()
    evidence = (evidence or "").strip()
    latest = _latest_report(task, agency)
    # Compare with the report in effect on that date, not the newest one: a back-dated row
    # imported twice must not be stored twice.
    in_effect = (
        task.reports.filter(agency=agency, reported_on__lte=reported_on)
        .order_by("-reported_on", "-id")
        .first()
    )
    if (
        in_effect is not None
        and in_effect.percent == percent
        and in_effect.narrative == narrative
        and in_effect.evidence == evidence
    ):
        return None  # the same report again: nothing new to store
    report = ProgressReport.objects.create(
        task=task,
        agency=agency,
        percent=percent,
        narrative=narrative,
        evidence=evidence,
        reported_on=reported_on,
        reported_by=by,
        source=source,
    )
    audit.record(
        actor=by,
        action="task.report",
        target=task,
        scope=f"task:{task.pk}",
        before={"percent": latest.percent} if latest else None,
        after={"percent": percent},
        agency=agency.name,
        source=source,
    )
    _refresh_status(task, by=by)
    return report


@transaction.atomic
def progress_report(
    *,
    by: User,
    task: Task,
    agency: Agency,
    percent: int,
    narrative: str = "",
    evidence: str = "",
    reported_on: dt.date | None = None,
) -> ProgressReport | None:
    """An agency reports its progress on a task. Returns None when nothing changed."""
    permissions.require(by, "task.report", task)
    if agency.pk not in permissions.reportable_agency_ids(by, task):
        raise ValidationError(
            {"agency": _("Bạn không được báo cáo tiến độ thay «%(agency)s».") % {"agency": agency}}
        )
    percent = _check_percent(percent)
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("Ngày báo cáo không được sau hôm nay.")})
    return _report(
        by=by,
        task=task,
        agency=agency,
        percent=percent,
        narrative=narrative,
        evidence=evidence,
        reported_on=reported_on,
        source="web",
    )


# --- coordination meetings -------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    by: User,
    programme: Programme,
    title: str,
    held_on: dt.date,
    agenda: str = "",
    attendees: Iterable[Agency] = (),
    attendee_names: str = "",
    minutes: str = "",
    decisions: Iterable[str] = (),
) -> Meeting:
    """Record a coordination meeting (giao ban) with its agenda, attendees and decisions."""
    permissions.require(by, "programme.manage")
    title = _required(title, "title", _("Cần nhập tên cuộc họp."))
    meeting = Meeting.objects.create(
        programme=programme,
        title=title,
        held_on=held_on,
        agenda=(agenda or "").strip(),
        attendee_names=(attendee_names or "").strip(),
        minutes=(minutes or "").strip(),
        created_by=by,
    )
    meeting.attendees.set(list(attendees))
    audit.record(
        actor=by,
        action="meeting.create",
        target=meeting,
        scope=f"programme:{programme.pk}",
        held_on=held_on,
        attendees=[a.name for a in meeting.attendees.all()],
    )
    for text in decisions:
        if _text(text):
            decision_add(by=by, meeting=meeting, text=text)
    return meeting


@transaction.atomic
def decision_add(*, by: User, meeting: Meeting, text: str) -> Decision:
    permissions.require(by, "programme.manage")
    text = _required(text, "text", _("Cần nhập nội dung kết luận."))
    decision = Decision.objects.create(meeting=meeting, text=text)
    audit.record(
        actor=by,
        action="meeting.decision",
        target=meeting,
        scope=f"programme:{meeting.programme_id}",
        decision=decision.pk,
        text=text,
    )
    return decision


@transaction.atomic
def decision_to_task(
    *,
    by: User,
    decision: Decision,
    plan: AnnualPlan,
    lead_agency: Agency,
    due_on: dt.date,
    coordinating_agencies: Iterable[Agency] = (),
    title: str = "",
    area: ContentArea | None = None,
) -> Task:
    """Turn a meeting decision into a task of an annual plan (once)."""
    permissions.require(by, "programme.manage")
    if Task.objects.filter(decision=decision).exists():
        raise ValidationError(_("Kết luận này đã được giao thành nhiệm vụ."))
    if plan.programme_id != decision.meeting.programme_id:
        raise ValidationError({"plan": _("Kế hoạch không thuộc chương trình của cuộc họp.")})
    return task_create(
        by=by,
        plan=plan,
        title=title or decision.text[:500],
        description=_("Theo kết luận hội nghị giao ban «%(meeting)s» ngày %(day)s.")
        % {"meeting": decision.meeting.title, "day": decision.meeting.held_on.strftime("%d/%m/%Y")},
        lead_agency=lead_agency,
        due_on=due_on,
        coordinating_agencies=coordinating_agencies,
        area=area,
        decision=decision,
    )


# --- key projects -------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    by: User,
    code: str,
    name: str,
    owner_agency: Agency,
    places: Iterable[AdministrativeUnit] = (),
    description: str = "",
    phases: str = "",
    keywords: str = "",
    plan_messages: str = "",
    plan_channels: str = "",
    plan_schedule: str = "",
    plan_agencies: Iterable[Agency] = (),
) -> KeyProject:
    permissions.require(by, "programme.manage")
    name = _required(name, "name", _("Cần nhập tên dự án."))
    if KeyProject.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã dự án đã được dùng.")})
    project = KeyProject.objects.create(
        code=code,
        name=name,
        owner_agency=owner_agency,
        description=description.strip(),
        phases=phases.strip(),
        keywords=keywords.strip(),
        plan_messages=plan_messages.strip(),
        plan_channels=plan_channels.strip(),
        plan_schedule=plan_schedule.strip(),
    )
    project.places.set(list(places))
    project.plan_agencies.set(list(plan_agencies))
    audit.record(actor=by, action="project.create", target=project, scope=f"project:{project.pk}")
    return project


def project_link_mentions(*, project: KeyProject) -> int:
    """Link the signals and issues close to the project; see `programme.projects`."""
    return projects.project_link_opinion(project=project)


def projects_link_mentions() -> int:
    """Link new mentions for every key project (run daily by the background task)."""
    return sum(project_link_mentions(project=p) for p in KeyProject.objects.order_by("pk"))


# --- the reporter network and orientation guidance ------------------------------------------


@transaction.atomic
def network_member_add(
    *,
    by: User,
    user: User,
    kind: str,
    agency: Agency,
    place: AdministrativeUnit | None = None,
) -> NetworkMember:
    """Add a person to the reporter network (or update their kind, agency and place)."""
    permissions.require(by, "network.manage")
    if kind not in NetworkMember.Kind.values:
        raise ValidationError({"kind": _("Loại thành viên không hợp lệ.")})
    member, created = NetworkMember.objects.update_or_create(
        user=user,
        defaults={"kind": kind, "agency": agency, "place": place, "is_active": True},
        create_defaults={
            "kind": kind,
            "agency": agency,
            "place": place,
            "full_name": user.full_name or user.username,
        },
    )
    audit.record(
        actor=by,
        action="network.add" if created else "network.update",
        target=member,
        scope="network",
        kind=kind,
        agency=agency.name,
    )
    return member


@transaction.atomic
def guidance_create(
    *,
    by: User,
    title: str,
    key_messages: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    topic: str = "",
    explanation: str = "",
    links: str = "",
    issue: Issue | None = None,
    resolution: Resolution | None = None,
) -> Guidance:
    """Draft orientation guidance (by the Propaganda Department)."""
    permissions.require(by, "guidance.create")
    title = _required(title, "title", _("Cần nhập tiêu đề định hướng."))
    key_messages = (key_messages or "").strip()
    if not key_messages:
        raise ValidationError({"key_messages": _("Cần nêu ít nhất một thông điệp chính.")})
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError(
            {"valid_until": _("Ngày hết hiệu lực không được trước ngày bắt đầu.")}
        )
    agency = permissions.propaganda_agency()
    assert agency is not None  # guaranteed by the permission
    guidance = Guidance.objects.create(
        title=title,
        topic=_text(topic),
        key_messages=key_messages,
        explanation=(explanation or "").strip(),
        links=(links or "").strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        issue=issue,
        resolution=resolution,
        sender_agency=agency,
        created_by=by,
    )
    audit.record(
        actor=by,
        action="guidance.create",
        target=guidance,
        scope=f"guidance:{guidance.pk}",
        resolution=resolution.number if resolution else None,
    )
    return guidance


@transaction.atomic
def guidance_cosign(*, by: User, guidance: Guidance) -> Guidance:
    """The HĐND staff co-sign guidance that explains a council resolution."""
    permissions.require(by, "guidance.cosign", guidance)
    if guidance.resolution_id is None:
        raise ValidationError(_("Chỉ định hướng giải thích nghị quyết HĐND mới cần đồng ký."))
    if guidance.state != Guidance.State.DRAFT:
        raise ValidationError(_("Định hướng đã phát hành, không cần đồng ký nữa."))
    if guidance.cosigned_at is not None:
        raise ValidationError(_("Định hướng đã được đồng ký."))
    guidance.cosigned_by = by
    guidance.cosigned_at = timezone.now()
    guidance.save(update_fields=["cosigned_by", "cosigned_at"])
    audit.record(
        actor=by, action="guidance.cosign", target=guidance, scope=f"guidance:{guidance.pk}"
    )
    return guidance


@transaction.atomic
def guidance_issue(
    *, by: User, guidance: Guidance, kinds: Iterable[str] = (), agencies: Iterable[Agency] = ()
) -> Guidance:
    """Send the guidance to the active network members (optionally only some kinds or agencies)."""
    permissions.require(by, "guidance.issue", guidance)
    if guidance.state != Guidance.State.DRAFT:
        raise ValidationError(_("Định hướng đã được phát hành."))
    if guidance.needs_cosign:
        raise ValidationError(
            _("Định hướng giải thích nghị quyết cần Thường trực HĐND đồng ký trước khi phát hành.")
        )
    members = NetworkMember.objects.filter(is_active=True)
    kinds = list(kinds)
    agency_list = list(agencies)
    if kinds:
        members = members.filter(kind__in=kinds)
    if agency_list:
        members = members.filter(agency__in=agency_list)
    recipients = [GuidanceRecipient(guidance=guidance, member=m) for m in members]
    if not recipients:
        raise ValidationError(_("Không có thành viên mạng lưới nào để gửi định hướng."))
    GuidanceRecipient.objects.bulk_create(recipients)
    guidance.state = Guidance.State.ISSUED
    guidance.issued_by = by
    guidance.issued_at = timezone.now()
    guidance.save(update_fields=["state", "issued_by", "issued_at"])
    audit.record(
        actor=by,
        action="guidance.issue",
        target=guidance,
        scope=f"guidance:{guidance.pk}",
        before={"state": Guidance.State.DRAFT},
        after={"state": guidance.state},
        recipients=len(recipients),
    )
    return guidance


@transaction.atomic
def guidance_acknowledge(*, by: User, recipient: GuidanceRecipient) -> GuidanceRecipient:
    """The recipient confirms they received the guidance (once; repeating changes nothing)."""
    permissions.require(by, "guidance.acknowledge", recipient)
    if recipient.acknowledged_at is not None:
        return recipient
    recipient.acknowledged_at = timezone.now()
    recipient.save(update_fields=["acknowledged_at"])
    audit.record(
        actor=by,
        action="guidance.acknowledge",
        target=recipient.guidance,
        scope=f"guidance:{recipient.guidance_id}",
        member=by.username,
    )
    return recipient


def signal_from_network(
    *,
    member: NetworkMember,
    text: str,
    guidance: Guidance | None = None,
    place: AdministrativeUnit | None = None,
) -> tuple[Signal, bool]:
    """Store what a network member heard as a collaborator signal for triage, exactly once
    per member and content. Returns the signal and whether it was new."""
    normalized = normalize_text(text or "")
    if not normalized:
        raise ValidationError({"text": _("Cần nhập nội dung dư luận ghi nhận được.")})
    who = member.user.username if member.user else f"thanh-vien-{member.pk}"
    source = f"mang-luoi:{who}"
    signal, created = Signal.objects.get_or_create(
        source=source,
        content_hash=content_hash(normalized),
        defaults={
            "channel": Signal.Channel.COLLABORATOR,
            "search_text": fold(normalized),
            "raw_text": text,
            "text": normalized,
            "title": normalized[:120],
            "place": place or member.place,
            "occurred_at": timezone.now(),
            "created_by": member.user,
            "metadata": {
                "member": who,
                "kind": member.kind,
                "agency": member.agency.name,
                "guidance": guidance.pk if guidance else None,
            },
        },
    )
    if created:
        from phoihop.intake.services import queue_triage

        queue_triage([signal.pk])
    return signal, created


@transaction.atomic
def field_report_send(
    *,
    by: User,
    text: str,
    guidance: Guidance | None = None,
    place: AdministrativeUnit | None = None,
) -> FieldReport:
    """A network member sends back what they heard from people; it becomes a signal."""
    permissions.require(by, "guidance.report_back")
    member = NetworkMember.objects.select_related("user", "agency").get(user=by)
    signal, created = signal_from_network(member=member, text=text, guidance=guidance, place=place)
    report, _new = FieldReport.objects.get_or_create(
        member=member, signal=signal, defaults={"guidance": guidance}
    )
    if created:
        audit.record(
            actor=by,
            action="network.report_back",
            target=signal,
            scope=f"guidance:{guidance.pk}" if guidance else "network",
        )
    return report


# --- exemplary models and commendations -------------------------------------------------


def _own_agency(by: User, agency: Agency) -> None:
    from phoihop.core.policy import agency_ids

    if agency.pk not in agency_ids(by, *permissions.STAFF_ROLES):
        raise ValidationError({"proposing_agency": _("Chỉ đề xuất thay mặt cơ quan của mình.")})


@transaction.atomic
def exemplary_create(
    *,
    by: User,
    name: str,
    kind: str,
    achievements: str,
    proposing_agency: Agency,
    place: AdministrativeUnit | None = None,
    field: Field | None = None,
    evidence: str = "",
    article_links: str = "",
) -> ExemplaryModel:
    """Register an exemplary model proposed by the user's agency."""
    permissions.require(by, "exemplary.create")
    _own_agency(by, proposing_agency)
    name = _required(name, "name", _("Cần nhập tên điển hình."))
    achievements = _required(achievements, "achievements", _("Cần nêu thành tích."))
    if kind not in ExemplaryModel.Kind.values:
        raise ValidationError({"kind": _("Loại điển hình không hợp lệ.")})
    model = ExemplaryModel.objects.create(
        name=name,
        kind=kind,
        place=place,
        field=field,
        achievements=achievements,
        evidence=(evidence or "").strip(),
        article_links=(article_links or "").strip(),
        proposing_agency=proposing_agency,
        created_by=by,
    )
    audit.record(actor=by, action="exemplary.create", target=model, scope="exemplary")
    return model


def _scope(proposal: CommendationProposal) -> str:
    return f"commendation:{proposal.pk}"


@transaction.atomic
def commendation_create(
    *,
    by: User,
    nominee: str,
    nominee_kind: str,
    achievements: str,
    form: str,
    year: int,
    proposing_agency: Agency,
    reviewing_agency: Agency,
    approving_agency: Agency,
    evidence: str = "",
    exemplary_model: ExemplaryModel | None = None,
) -> CommendationProposal:
    """Draft a commendation proposal with its dossier and its approval chain."""
    permissions.require(by, "commendation.create")
    _own_agency(by, proposing_agency)
    nominee = _required(nominee, "nominee", _("Cần nhập tập thể, cá nhân được đề nghị."))
    achievements = _required(achievements, "achievements", _("Cần nêu thành tích."))
    form = _required(form, "form", _("Cần nêu hình thức khen thưởng."))
    if nominee_kind not in CommendationProposal.NomineeKind.values:
        raise ValidationError({"nominee_kind": _("Loại đối tượng không hợp lệ.")})
    if reviewing_agency.pk == proposing_agency.pk:
        raise ValidationError(
            {"reviewing_agency": _("Cơ quan thẩm định phải khác cơ quan đề xuất.")}
        )
    proposal = CommendationProposal.objects.create(
        nominee=nominee,
        nominee_kind=nominee_kind,
        achievements=achievements,
        evidence=(evidence or "").strip(),
        form=form,
        year=year,
        proposing_agency=proposing_agency,
        reviewing_agency=reviewing_agency,
        approving_agency=approving_agency,
        exemplary_model=exemplary_model,
        created_by=by,
    )
    audit.record(
        actor=by,
        action="commendation.create",
        target=proposal,
        scope=_scope(proposal),
        after={"state": proposal.state},
    )
    return proposal


def _step(proposal: CommendationProposal, expected: str, to: str, by: User, **data: Any) -> None:
    if proposal.state != expected:
        raise ValidationError(
            _("Đề xuất đang ở trạng thái «%(state)s», không thể chuyển sang «%(to)s».")
            % {
                "state": proposal.get_state_display(),
                "to": CommendationProposal.State(to).label,
            }
        )
    proposal.state = to
    proposal.save()
    audit.record(
        actor=by,
        action=f"commendation.{to}",
        target=proposal,
        scope=_scope(proposal),
        before={"state": expected},
        after={"state": to},
        **data,
    )


@transaction.atomic
def commendation_submit(*, by: User, proposal: CommendationProposal) -> CommendationProposal:
    """A leader of the proposing agency submits the dossier to the reviewing agency."""
    permissions.require(by, "commendation.submit", proposal)
    proposal.submitted_at = timezone.now()
    _step(proposal, CommendationProposal.State.DRAFT, CommendationProposal.State.SUBMITTED, by)
    return proposal


@transaction.atomic
def commendation_review(
    *, by: User, proposal: CommendationProposal, note: str = ""
) -> CommendationProposal:
    """The reviewing agency (e.g. the emulation and commendation board) finds it in order."""
    permissions.require(by, "commendation.review", proposal)
    proposal.reviewed_at = timezone.now()
    proposal.reviewed_by = by
    _step(
        proposal,
        CommendationProposal.State.SUBMITTED,
        CommendationProposal.State.REVIEWED,
        by,
        note=_text(note),
    )
    return proposal


@transaction.atomic
def commendation_approve(
    *,
    by: User,
    proposal: CommendationProposal,
    decision_number: str,
    decision_date: dt.date,
) -> CommendationProposal:
    """A leader of the approving agency approves the reviewed proposal, recording the number
    and date of the commendation decision."""
    permissions.require(by, "commendation.decide", proposal)
    decision_number = _required(
        decision_number, "decision_number", _("Cần nhập số quyết định khen thưởng.")
    )
    if decision_date is None:
        raise ValidationError({"decision_date": _("Cần nhập ngày ký quyết định.")})
    if decision_date > timezone.localdate():
        raise ValidationError({"decision_date": _("Ngày ký quyết định không được sau hôm nay.")})
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    proposal.decision_number = decision_number
    proposal.decision_date = decision_date
    _step(
        proposal,
        CommendationProposal.State.REVIEWED,
        CommendationProposal.State.APPROVED,
        by,
        decision_number=decision_number,
        decision_date=decision_date.isoformat(),
    )
    return proposal


@transaction.atomic
def commendation_reject(
    *, by: User, proposal: CommendationProposal, reason: str
) -> CommendationProposal:
    """The agency whose turn it is rejects the proposal, with a reason: the reviewing agency
    while it is submitted, the approving agency once it is reviewed."""
    S = CommendationProposal.State
    if proposal.state == S.SUBMITTED:
        permissions.require(by, "commendation.review", proposal)
    elif proposal.state == S.REVIEWED:
        permissions.require(by, "commendation.decide", proposal)
    else:
        raise ValidationError(
            _("Đề xuất đang ở trạng thái «%(state)s», không thể từ chối.")
            % {"state": proposal.get_state_display()}
        )
    reason = _required(reason, "reason", _("Cần nêu lý do không phê duyệt."))
    proposal.reason = reason
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    _step(proposal, proposal.state, S.REJECTED, by, reason=reason)
    return proposal


# --- bulk progress from a spreadsheet -------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    unchanged: int
    blank: int = 0  # template rows left unfilled, skipped
    notes: tuple[str, ...] = ()  # rows stored in the history but older than the latest report


def _find_agency(value: str) -> Agency | None:
    text = normalize_text(value)
    agency = Agency.objects.filter(code=text.lower()).first()
    if agency is None:
        agency = (
            Agency.objects.filter(name__iexact=text).first()
            or Agency.objects.filter(short_name__iexact=text).first()
        )
    return agency


@transaction.atomic
def progress_import(*, by: User, file: IO[bytes], filename: str = "") -> ImportResult:
    """Update progress in bulk from an XLSX (one row per task and agency).

    Every row is checked first; if any row is wrong, nothing is stored and the error names
    each bad row («Dòng N: …»). Rows that repeat an agency's latest report are skipped, so
    importing the same file twice stores nothing new.
    """
    permissions.require(by, "programme.view")
    try:
        rows = spreadsheet.read_rows(file)
    except spreadsheet.SheetError as error:
        raise ValidationError(str(error)) from error
    if not rows:
        raise ValidationError(_("Bảng tính không có dòng dữ liệu nào."))
    errors: list[str] = []
    parsed: list[tuple[int, Task, Agency, int, str, str, dt.date]] = []
    seen: dict[tuple[int, int], int] = {}
    today = timezone.localdate()
    tasks = {t.code: t for t in Task.objects.prefetch_related("coordinating_agencies")}
    blank = 0
    for row in rows:
        if spreadsheet.is_unfilled(row):
            blank += 1
            continue
        problems: list[str] = []
        v = row.values
        code = normalize_text(str(v.get("task") or ""))
        task = tasks.get(code)
        if not code:
            problems.append(_("thiếu mã nhiệm vụ"))
        elif task is None:
            problems.append(_("không có nhiệm vụ mã «%(code)s»") % {"code": code})
        agency_text = normalize_text(str(v.get("agency") or ""))
        agency = _find_agency(agency_text) if agency_text else None
        if not agency_text:
            problems.append(_("thiếu cơ quan"))
        elif agency is None:
            problems.append(_("không có cơ quan «%(agency)s»") % {"agency": agency_text})
        percent = spreadsheet.parse_percent(v.get("percent"), percent_format=row.percent_format)
        if percent is None or not 0 <= percent <= 100:
            problems.append(
                _("tiến độ «%(value)s» phải là số nguyên từ 0 đến 100")
                % {"value": "" if v.get("percent") is None else v.get("percent")}
            )
        reported_on = today
        if v.get("reported_on") not in (None, ""):
            parsed_date = spreadsheet.parse_date(v["reported_on"])
            if parsed_date is None:
                problems.append(
                    _("ngày báo cáo «%(value)s» không đúng dạng ngày/tháng/năm")
                    % {"value": v["reported_on"]}
                )
            elif parsed_date > today:
                problems.append(_("ngày báo cáo không được sau hôm nay"))
            else:
                reported_on = parsed_date
        if task is not None and agency is not None:
            if task.status == Task.Status.CANCELLED:
                problems.append(_("nhiệm vụ «%(code)s» đã dừng thực hiện") % {"code": code})
            involved = {task.lead_agency_id, *(a.pk for a in task.coordinating_agencies.all())}
            if agency.pk not in involved:
                problems.append(
                    _("«%(agency)s» không chủ trì hay phối hợp nhiệm vụ «%(code)s»")
                    % {"agency": agency.name, "code": code}
                )
            elif agency.pk not in permissions.reportable_agency_ids(by, task):
                problems.append(
                    _("bạn không được báo cáo thay «%(agency)s»") % {"agency": agency.name}
                )
            key = (task.pk, agency.pk)
            if key in seen:
                problems.append(
                    _("trùng nhiệm vụ và cơ quan với dòng %(row)s") % {"row": seen[key]}
                )
            seen.setdefault(key, row.number)
        if problems:
            errors.append(
                _("Dòng %(row)s: %(problems)s.")
                % {"row": row.number, "problems": "; ".join(problems)}
            )
            continue
        assert task is not None and agency is not None and percent is not None
        parsed.append(
            (
                row.number,
                task,
                agency,
                percent,
                str(v.get("narrative") or ""),
                str(v.get("evidence") or ""),
                reported_on,
            )
        )
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("Chưa có dòng nào được điền tiến độ."))
    created = 0
    notes: list[str] = []
    source = f"import:{filename}"[:255] if filename else "import"
    for number, task, agency, percent, narrative, evidence, reported_on in parsed:
        latest = _latest_report(task, agency)
        report = _report(
            by=by,
            task=task,
            agency=agency,
            percent=percent,
            narrative=narrative,
            evidence=evidence,
            reported_on=reported_on,
            source=source,
        )
        created += report is not None
        if report is not None and latest is not None and latest.reported_on > reported_on:
            notes.append(
                _(
                    "Dòng %(row)s: báo cáo ngày %(date)s (%(percent)s%%) đã lưu vào lịch sử, "
                    "nhưng «%(agency)s» đã có báo cáo mới hơn ngày %(latest_date)s "
                    "(%(latest)s%%), nên tiến độ hiện tại của nhiệm vụ %(code)s vẫn là "
                    "%(latest)s%%."
                )
                % {
                    "row": number,
                    "date": reported_on.strftime("%d/%m/%Y"),
                    "percent": percent,
                    "agency": agency.name,
                    "latest_date": latest.reported_on.strftime("%d/%m/%Y"),
                    "latest": latest.percent,
                    "code": task.code,
                }
            )
    return ImportResult(
        rows=len(parsed),
        created=created,
        unchanged=len(parsed) - created,
        blank=blank,
        notes=tuple(notes),
    )
