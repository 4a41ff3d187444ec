"""The demo province (PHOIHOP_PROVINCE_CODE): agencies with their history, people in every role, issues.

Loading is idempotent: every object is found by its code or name before it is created.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from phoihop.cases import hooks as cases_hooks
from phoihop.cases import services as cases
from phoihop.cases.models import Assignment, Issue
from phoihop.core import province, services, twofactor
from phoihop.core.calendar import WorkingCalendar
from phoihop.core.models import (
    AdministrativeUnit,
    Agency,
    DeadlineRule,
    Field,
    Membership,
    RoutingEntry,
    User,
)
from phoihop.core.places import in_text, places_load
from phoihop.core.selectors import DEFAULT_WORKING_DAYS, working_calendar, working_days_for
from phoihop.demo.issue_data import ISSUES, DemoIssue

DEMO_PASSWORD = "phoihop-demo"  # noqa: S105 - printed by `make run`, demo data only
FIELDS_FILE = Path(__file__).resolve().parent.parent / "triage" / "data" / "fields.json"

K = Agency.Kind
AGENCIES: list[tuple[str, str, str, str, str | None]] = [
    # code, name, short name, kind, parent code
    ("tinh-uy", "{committee}", "Tỉnh ủy", K.PARTY, None),
    ("btgdv", "Ban Tuyên giáo và Dân vận {committee}", "Ban TG&DV", K.PARTY, "tinh-uy"),
    ("hdnd", "Thường trực Hội đồng nhân dân {province}", "TT HĐND tỉnh", K.COUNCIL, None),
    ("ubnd", "Ủy ban nhân dân {province}", "UBND tỉnh", K.PEOPLES_COMMITTEE, None),
    ("tand", "Tòa án nhân dân {province}", "TAND tỉnh", K.COURT, None),
    ("vksnd", "Viện kiểm sát nhân dân {province}", "VKSND tỉnh", K.PROCURACY, None),
    ("ca", "Công an {province}", "Công an tỉnh", K.DEPARTMENT, "ubnd"),
    ("so-nnmt", "Sở Nông nghiệp và Môi trường {province}", "Sở NN&MT", K.DEPARTMENT, "ubnd"),
    ("so-xd", "Sở Xây dựng {province}", "Sở Xây dựng", K.DEPARTMENT, "ubnd"),
    ("so-yt", "Sở Y tế {province}", "Sở Y tế", K.DEPARTMENT, "ubnd"),
    ("so-gddt", "Sở Giáo dục và Đào tạo {province}", "Sở GD&ĐT", K.DEPARTMENT, "ubnd"),
    ("so-tc", "Sở Tài chính {province}", "Sở Tài chính", K.DEPARTMENT, "ubnd"),
    ("so-ct", "Sở Công Thương {province}", "Sở Công Thương", K.DEPARTMENT, "ubnd"),
    ("so-nv", "Sở Nội vụ {province}", "Sở Nội vụ", K.DEPARTMENT, "ubnd"),
    ("so-tp", "Sở Tư pháp {province}", "Sở Tư pháp", K.DEPARTMENT, "ubnd"),
    (
        "so-vhttdl",
        "Sở Văn hóa, Thể thao và Du lịch {province}",
        "Sở VH,TT&DL",
        K.DEPARTMENT,
        "ubnd",
    ),
    ("so-khcn", "Sở Khoa học và Công nghệ {province}", "Sở KH&CN", K.DEPARTMENT, "ubnd"),
]
# Agencies that no longer exist since the 2025 reorganisation, and where their work went.
HISTORY: list[tuple[str, str, str, str, str, dt.date]] = [
    (
        "btg",
        "Ban Tuyên giáo {committee}",
        "Ban Tuyên giáo",
        K.PARTY,
        "btgdv",
        dt.date(2025, 3, 1),
    ),
    ("bdv", "Ban Dân vận {committee}", "Ban Dân vận", K.PARTY, "btgdv", dt.date(2025, 3, 1)),
    (
        "so-tnmt",
        "Sở Tài nguyên và Môi trường {province}",
        "Sở TN&MT",
        K.DEPARTMENT,
        "so-nnmt",
        dt.date(2025, 3, 1),
    ),
]

R = Membership.Role
USERS: list[tuple[str, str, str, str, str]] = [
    # username, full name, position, agency code, role
    ("quantri", "Hoàng Văn Quản", "Quản trị hệ thống", "btgdv", R.ADMINISTRATOR),
    ("dieuphoi", "Nguyễn Thị Hoa", "Chuyên viên Ban Tuyên giáo và Dân vận", "btgdv", R.COORDINATOR),
    # The Ban's leader submits its commendation proposals (only a leader of the proposing
    # agency submits one).
    (
        "lanhdao.btgdv",
        "Lộc Văn Tuấn",
        "Phó Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
        "btgdv",
        R.LEADER,
    ),
    ("hdnd", "Lương Văn Tín", "Chuyên viên Văn phòng Đoàn ĐBQH và HĐND", "hdnd", R.COORDINATOR),
    ("xuly.nnmt", "Vi Thị Mai", "Chuyên viên Sở Nông nghiệp và Môi trường", "so-nnmt", R.HANDLER),
    (
        "lanhdao.nnmt",
        "Hoàng Đức Minh",
        "Phó Giám đốc Sở Nông nghiệp và Môi trường",
        "so-nnmt",
        R.LEADER,
    ),
    ("xuly.xd", "Nông Văn Hải", "Chuyên viên Sở Xây dựng", "so-xd", R.HANDLER),
    ("lanhdao.xd", "Lăng Thị Thu", "Phó Giám đốc Sở Xây dựng", "so-xd", R.LEADER),
    ("xuly.yt", "Đinh Thị Lan", "Chuyên viên Sở Y tế", "so-yt", R.HANDLER),
    ("lanhdao.yt", "Nguyễn Văn Thắng", "Phó Giám đốc Sở Y tế", "so-yt", R.LEADER),
    ("xuly.toaan", "Chu Văn Bình", "Thư ký Tòa án nhân dân tỉnh", "tand", R.HANDLER),
    ("lanhdao.toaan", "Mã Thị Nga", "Phó Chánh án Tòa án nhân dân tỉnh", "tand", R.LEADER),
    ("xuly.vks", "Hà Văn Sơn", "Kiểm sát viên", "vksnd", R.HANDLER),
    ("xuly.xa", "Lý Thị Hằng", "Công chức Văn phòng UBND phường", "xa-#1", R.HANDLER),
    ("xem.ubnd", "Triệu Văn Đức", "Chuyên viên Văn phòng UBND tỉnh", "ubnd", R.VIEWER),
    # The commendation chain: Sở Nội vụ reviews, UBND tỉnh decides.
    (
        "xuly.nv",
        "Hoàng Thị Thu",
        "Chuyên viên Ban Thi đua – Khen thưởng, Sở Nội vụ",
        "so-nv",
        R.HANDLER,
    ),
    ("lanhdao.ubnd", "Vy Văn Thành", "Phó Chủ tịch UBND tỉnh", "ubnd", R.LEADER),
]


demo_code = province.agency_code


def _agency(code: str, name: str, short: str, kind: str, parent: Agency | None) -> Agency:
    name = name.format_map(province.words())
    agency, _ = Agency.objects.update_or_create(
        code=code, defaults={"name": name, "short_name": short, "kind": kind, "parent": parent}
    )
    return agency


@transaction.atomic
def load_agencies() -> dict[str, Agency]:
    province_unit, _ = places_load(province_code=province.current().code)
    agencies: dict[str, Agency] = {}
    for code, name, short, kind, parent in AGENCIES:
        agencies[code] = _agency(code, name, short, kind, agencies.get(parent) if parent else None)
    agencies["tinh-uy"].unit = province_unit
    agencies["tinh-uy"].save(update_fields=["unit"])
    for unit in AdministrativeUnit.objects.filter(parent=province_unit):
        agency, _ = Agency.objects.update_or_create(
            code=f"xa-{unit.code}",
            defaults={
                "name": f"UBND {in_text(unit.name)}",  # «UBND xã Chi Lăng», as documents write it
                "short_name": f"UBND {in_text(unit.name)}",
                "kind": K.COMMUNE,
                "parent": agencies["ubnd"],
                "unit": unit,
            },
        )
        agencies[agency.code] = agency
    for code, name, short, kind, successor, until in HISTORY:
        old = Agency.objects.filter(code=code).first()
        if old is None:
            old = _agency(
                code,
                name,
                short,
                kind,
                agencies.get("tinh-uy") if kind == K.PARTY else agencies["ubnd"],
            )
        if old.is_active:
            services.agency_merge(agency=old, into=agencies[successor], by=None, on=until)
        agencies[code] = old
    return agencies


@transaction.atomic
def load_fields(agencies: dict[str, Agency]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    for order, item in enumerate(json.loads(FIELDS_FILE.read_text(encoding="utf-8"))):
        field, _ = Field.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "order": order}
        )
        RoutingEntry.objects.get_or_create(
            field=field, defaults={"agency": agencies[item["agency"]]}
        )
        fields[field.code] = field
    for (kind, urgency), days in DEFAULT_WORKING_DAYS.items():
        DeadlineRule.objects.get_or_create(
            kind=kind, urgency=urgency, defaults={"working_days": days}
        )
    return fields


@transaction.atomic
def load_users(agencies: dict[str, Agency]) -> dict[str, User]:
    users: dict[str, User] = {}
    for username, full_name, position, agency_code, role in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, position=position)
            user.set_password(DEMO_PASSWORD)
            if role == R.ADMINISTRATOR:
                user.is_staff = True
                user.is_superuser = True
            user.save()
        agency = agencies[demo_code(agency_code)]
        Membership.objects.get_or_create(user=user, agency=agency, role=role)
        users[username] = user
    return users


# The demo accounts that need two-factor authentication share this published TOTP key, so the
# demo can be tried: add DEMO_TOTP_SECRET to an authenticator app, or run `phoihop demo-otp`.
# Demo data only: a real installation's users enrol their own key at first login.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key
DEMO_TOTP_SECRET = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


def load_two_factor(users: dict[str, User]) -> int:
    """A confirmed TOTP device with the demo key for each demo account that needs 2FA."""
    count = 0
    for user in users.values():
        if not twofactor.required_for_role(user):
            continue
        TOTPDevice.objects.get_or_create(
            user=user,
            confirmed=True,
            defaults={"name": "Ứng dụng xác thực (mẫu)", "key": DEMO_TOTP_KEY},
        )
        count += 1
    return count


def _leader_of(agency: Agency, users: dict[str, User]) -> User:
    for username, _n, _p, code, role in USERS:
        if demo_code(code) == agency.code and role == R.LEADER:
            return users[username]
    raise LookupError(agency.code)


def _received_on(item: DemoIssue, today: dt.date, calendar: WorkingCalendar) -> dt.date:
    """When a demo matter came in; one shown overdue by N working days came in just early
    enough for its legal due date to be that day, so the public page and the agency's desk
    say the same."""
    if not item.overdue_by:
        return today - dt.timedelta(days=item.days_ago)
    late = calendar.subtract_working_days(today, item.overdue_by)
    days = working_days_for(kind=Assignment.Role.LEAD, urgency=item.urgency)
    received: dt.date = calendar.subtract_working_days(late, days)
    return received


def _handler_of(agency: Agency, users: dict[str, User]) -> User:
    for username, _n, _p, code, role in USERS:
        if demo_code(code) == agency.code and role in (R.HANDLER, R.LEADER):
            return users[username]
    raise LookupError(agency.code)


@transaction.atomic
def load_issues(
    agencies: dict[str, Agency], fields: dict[str, Field], users: dict[str, User]
) -> int:
    coordinator = users["dieuphoi"]
    today = timezone.localdate()
    calendar = working_calendar()
    created = 0
    for item in ISSUES:
        place = None
        if item.place is not None:
            communes = province.communes()
            # another province may have fewer communes: the demo still loads, elsewhere
            place = AdministrativeUnit.objects.get(code=communes[item.place % len(communes)][0])
        in_place = {"place": place.name[0].lower() + place.name[1:] if place else ""}
        title = item.title.format_map(in_place)
        if Issue.objects.filter(title=title).exists():
            continue
        issue = cases.issue_create(
            by=coordinator,
            title=title,
            description=item.description.format_map(in_place),
            place=place,
            urgency=item.urgency,
            visibility=item.visibility,
            received_on=_received_on(item, today, calendar),
        )
        created += 1
        if item.stage == "received":
            continue
        competence = "commune" if (item.lead or "").startswith("xa-") else "province"
        cases.issue_classify(
            issue=issue, by=coordinator, field=fields[item.field], competence=competence
        )
        if item.stage == "classified" or item.lead is None:
            continue
        lead_agency = agencies[demo_code(item.lead)]
        # Demo only: work late today was given long ago. The news of the assignments waits
        # until their deadline is the late one, so the notifications carry the date shown.
        held = list(cases_hooks.assignment_created) if item.overdue_by else []
        for hook in held:
            cases_hooks.assignment_created.remove(hook)
        try:
            lead = cases.issue_assign(issue=issue, by=coordinator, agency=lead_agency)
            for code in item.support:
                cases.issue_assign(
                    issue=issue, by=coordinator, agency=agencies[code], role="support"
                )
        finally:
            cases_hooks.assignment_created.extend(held)
        if item.overdue_by:
            late = calendar.subtract_working_days(today, item.overdue_by)
            Assignment.objects.filter(issue=issue).update(deadline=late)
            lead.refresh_from_db()
            for assignment in issue.assignments.order_by("id"):
                for hook in held:
                    hook(assignment)
        if item.stage == "assigned":
            continue
        handler = _handler_of(lead_agency, users)
        if item.stage == "returned":
            cases.assignment_return(
                assignment=lead,
                by=handler,
                reason="Việc cấp giấy chứng nhận quyền sử dụng đất thuộc thẩm quyền của "
                "Sở Nông nghiệp và Môi trường, không thuộc Sở Xây dựng.",
            )
            continue
        cases.assignment_accept(assignment=lead, by=handler)
        if item.stage == "accepted":
            continue
        cases.assignment_respond(assignment=lead, by=handler, text=item.answer)
        for support in issue.assignments.filter(role="support"):
            cases.assignment_respond(
                assignment=support,
                by=_handler_of(support.agency, users),
                text="Đơn vị phối hợp đã cung cấp thông tin, thống nhất với dự thảo trả lời.",
            )
        cases.issue_answer(
            issue=issue,
            by=_leader_of(lead_agency, users),
            text=item.answer,
            outcome="explained" if item.field == "tu_phap" else "resolved",
        )
        if item.stage == "published":
            cases.issue_publish(issue=issue, by=coordinator)
    return created


def load_demo() -> dict[str, int]:
    """core's and cases' part of the demo: agencies, fields, people, two-factor keys, issues
    (`phoihop.demo.loader.load_demo` runs it first, then every other app's part)."""
    agencies = load_agencies()
    fields = load_fields(agencies)
    users = load_users(agencies)
    load_two_factor(users)
    issues = load_issues(agencies, fields, users)
    return {"agencies": len(agencies), "users": len(users), "new_issues": issues}
