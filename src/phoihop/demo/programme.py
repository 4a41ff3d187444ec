"""Demo data of the demo province's programme: the programme signed on 08/09/2021 with its seven
content areas, this year's plan with tasks (some late), a coordination meeting, the
reporter network, guidance with partial acknowledgements, a guidance on a council
resolution co-signed by the HĐND staff, the Đồng Đăng – Trà Lĩnh expressway as a key
project, an exemplary model and a commendation proposal on its way.

Loading is idempotent: each part is looked up before it is created.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from phoihop.core import province
from phoihop.core.models import AdministrativeUnit, Agency, Membership, User
from phoihop.demo.core import DEMO_PASSWORD
from phoihop.programme import editing, services
from phoihop.programme.models import (
    CommendationProposal,
    ExemplaryModel,
    Guidance,
    KeyProject,
    Meeting,
    NetworkMember,
    Programme,
    Resolution,
    Task,
)

R = Membership.Role
SIGNED_ON = dt.date(2021, 9, 8)
TITLE = (
    "Chương trình phối hợp giữa Ban Tuyên giáo Tỉnh ủy, Thường trực HĐND tỉnh, UBND tỉnh, "
    "Tòa án nhân dân tỉnh và Viện kiểm sát nhân dân {province} trong công tác tuyên truyền, "
    "định hướng dư luận xã hội"
)
AREAS = [
    "Định hướng dư luận xã hội",
    "Giải quyết các vấn đề bức xúc, được dư luận xã hội quan tâm",
    "Hướng dẫn thông tin, tuyên truyền chủ trương của Đảng, chính sách, pháp luật của Nhà nước "
    "và các quyết định của tỉnh",
    "Tham mưu công tác truyền thông về các dự án, đề án trọng điểm",
    "Phát hiện, nhân rộng điển hình tiên tiến, nhân tố mới",
    "Đề xuất khen thưởng tập thể, cá nhân có thành tích xuất sắc",
    "Đấu tranh phản bác thông tin sai sự thật, luận điệu xuyên tạc, thù địch",
]
# area number, title, lead, coordinating, due in days from today (negative: past),
# progress reports as (agency, percent, narrative).
TASKS: list[tuple[int, str, str, tuple[str, ...], int, list[tuple[str, int, str]]]] = [
    (
        1,
        "Tổng hợp, báo cáo tình hình dư luận xã hội hằng tháng",
        "btgdv",
        ("hdnd", "ubnd"),
        20,
        [("btgdv", 70, "Đã ban hành 10 báo cáo tháng."), ("ubnd", 60, "Đã gửi thông tin 9 tháng.")],
    ),
    (
        2,
        "Giải quyết dứt điểm kiến nghị cử tri về bồi thường, giải phóng mặt bằng",
        "ubnd",
        ("so-nnmt", "hdnd"),
        -12,
        [("ubnd", 60, "Đã giải quyết 18/30 kiến nghị."), ("so-nnmt", 80, "Đã rà soát hồ sơ.")],
    ),
    (
        3,
        "Tuyên truyền các nghị quyết của HĐND tỉnh về chính sách hỗ trợ học sinh, người dân",
        "hdnd",
        ("btgdv", "so-gddt"),
        45,
        [("hdnd", 30, "Đã biên soạn tài liệu hỏi – đáp.")],
    ),
    (
        4,
        "Truyền thông về dự án cao tốc Đồng Đăng – Trà Lĩnh",
        "so-xd",
        ("btgdv", "so-nnmt"),
        -5,
        [("so-xd", 40, "Đã tổ chức 2 hội nghị đối thoại với người dân.")],
    ),
    (
        5,
        "Phát hiện, tuyên truyền điển hình trong xây dựng nông thôn mới",
        "so-nnmt",
        ("btgdv",),
        60,
        [],
    ),
    (
        6,
        "Đề xuất khen thưởng tập thể, cá nhân có thành tích trong thực thi pháp luật",
        "so-nv",
        ("btgdv", "tand", "vksnd"),
        90,
        [("so-nv", 10, "Đã có văn bản đề nghị các cơ quan giới thiệu.")],
    ),
    (
        7,
        "Công khai thông tin các vụ án được dư luận quan tâm và giải thích pháp luật",
        "tand",
        ("vksnd", "btgdv"),
        -20,
        [("tand", 100, "Đã đăng 12 tin về xét xử công khai."), ("vksnd", 100, "Đã phối hợp.")],
    ),
    (
        7,
        "Phản bác kịp thời thông tin sai sự thật trên mạng xã hội",
        "btgdv",
        ("ca", "tand", "vksnd"),
        30,
        [("btgdv", 50, "Đã phản bác 6 thông tin sai sự thật.")],
    ),
]
# The accounts of the commendation chain (xuly.nv, lanhdao.ubnd) are core demo users, listed
# with the other logins; nothing extra here.
EXTRA_USERS: list[tuple[str, str, str, str, str]] = []
NETWORK: list[tuple[str, str, str]] = [
    ("xuly.nnmt", NetworkMember.Kind.REPORTER, "so-nnmt"),
    ("lanhdao.nnmt", NetworkMember.Kind.REPORTER, "so-nnmt"),
    ("xuly.xd", NetworkMember.Kind.PROPAGANDIST, "so-xd"),
    ("xuly.yt", NetworkMember.Kind.PROPAGANDIST, "so-yt"),
    ("xuly.toaan", NetworkMember.Kind.REPORTER, "tand"),
    ("xuly.vks", NetworkMember.Kind.REPORTER, "vksnd"),
    ("xuly.xa", NetworkMember.Kind.COLLABORATOR, "xa-#1"),
]
ACKNOWLEDGED = ("xuly.nnmt", "xuly.xd", "xuly.toaan")
GUIDANCE_TITLE = (
    "Định hướng tuyên truyền về bồi thường, giải phóng mặt bằng cao tốc Đồng Đăng – Trà Lĩnh"
)
RESOLUTION_NUMBER = "12/2025/NQ-HĐND"
PROJECT_CODE = "cao-toc-dong-dang-tra-linh"


def _users() -> dict[str, User]:
    users = {u.username: u for u in User.objects.all()}
    for username, full_name, position, code, role in EXTRA_USERS:
        user = users.get(username)
        if user is None:
            user = User(username=username, full_name=full_name, position=position)
            user.set_password(DEMO_PASSWORD)
            user.save()
            users[username] = user
        Membership.objects.get_or_create(user=user, agency=Agency.objects.get(code=code), role=role)
    return users


def _programme(agencies: dict[str, Agency], by: User) -> Programme:
    programme = Programme.objects.filter(signed_on=SIGNED_ON).first()
    if programme is not None:
        return programme
    # Signed in 2021 by the Propaganda Department under its old name: history keeps it.
    party = agencies.get("btg") or agencies["btgdv"]
    return services.programme_create(
        by=by,
        title=TITLE.format_map(province.words()),
        number="Số 05-CTr/BTG-HĐND-UBND-TAND-VKSND",
        signed_on=SIGNED_ON,
        legal_basis="Quyết định số 238-QĐ/TW của Ban Bí thư Trung ương Đảng; Quy chế phối hợp "
        "cung cấp thông tin, định hướng dư luận xã hội của {committee}.".format_map(
            province.words()
        ),
        term_start=SIGNED_ON,
        parties=[party, *(agencies[c] for c in ("hdnd", "ubnd", "tand", "vksnd"))],
        areas=AREAS,
    )


def _tasks(programme: Programme, agencies: dict[str, Agency], users: dict[str, User]) -> int:
    today = timezone.localdate()
    plan = programme.plans.filter(year=today.year).first() or services.plan_create(
        by=users["dieuphoi"], programme=programme, year=today.year
    )
    areas = {a.number: a for a in programme.areas.all()}
    coordinator = users["dieuphoi"]
    created = 0
    for area, title, lead, supporters, due_in, reports in TASKS:
        if Task.objects.filter(plan=plan, title=title).exists():
            continue
        task = services.task_create(
            by=coordinator,
            plan=plan,
            area=areas[area],
            title=title,
            lead_agency=agencies[lead],
            coordinating_agencies=[agencies[c] for c in supporters],
            due_on=today + dt.timedelta(days=due_in),
            expected_output="Báo cáo kết quả gửi Ban Tuyên giáo và Dân vận Tỉnh ủy.",
        )
        created += 1
        for day, (code, percent, narrative) in enumerate(reports):
            services.progress_report(
                by=coordinator,
                task=task,
                agency=agencies[code],
                percent=percent,
                narrative=narrative,
                reported_on=today - dt.timedelta(days=len(reports) - day),
            )
    return created


def _meeting(programme: Programme, agencies: dict[str, Agency], users: dict[str, User]) -> None:
    title = "Hội nghị giao ban công tác phối hợp quý III"
    if Meeting.objects.filter(programme=programme, title=title).exists():
        return
    today = timezone.localdate()
    meeting = services.meeting_create(
        by=users["dieuphoi"],
        programme=programme,
        title=title,
        held_on=today - dt.timedelta(days=14),
        agenda="1. Tình hình dư luận xã hội quý III.\n2. Kết quả giải quyết kiến nghị cử tri.\n"
        "3. Nhiệm vụ quý IV.",
        attendees=[agencies[c] for c in ("btgdv", "hdnd", "ubnd", "tand", "vksnd", "so-nnmt")],
        attendee_names="Đại diện lãnh đạo các cơ quan ký kết chương trình.",
        decisions=[
            "Sở Nông nghiệp và Môi trường công khai tiến độ chi trả bồi thường cao tốc Đồng "
            "Đăng – Trà Lĩnh trên Cổng thông tin điện tử tỉnh.",
            "Các cơ quan rà soát, giới thiệu điển hình tiên tiến trước ngày 15/12.",
        ],
    )
    plan = programme.plans.get(year=today.year)
    services.decision_to_task(
        by=users["dieuphoi"],
        decision=meeting.decisions.order_by("id").first(),  # type: ignore[arg-type]
        plan=plan,
        lead_agency=agencies["so-nnmt"],
        coordinating_agencies=[agencies["btgdv"]],
        due_on=today + dt.timedelta(days=10),
    )


def _network(agencies: dict[str, Agency], users: dict[str, User]) -> int:
    created = 0
    for username, kind, code in NETWORK:
        if username not in users or NetworkMember.objects.filter(user=users[username]).exists():
            continue
        agency = agencies[province.agency_code(code)]
        services.network_member_add(
            by=users["dieuphoi"], user=users[username], kind=kind, agency=agency, place=agency.unit
        )
        created += 1
    return created


def _guidance(users: dict[str, User]) -> None:
    if Guidance.objects.filter(title=GUIDANCE_TITLE).exists():
        return
    coordinator = users["dieuphoi"]
    today = timezone.localdate()
    guidance = services.guidance_create(
        by=coordinator,
        title=GUIDANCE_TITLE,
        topic="Bồi thường, giải phóng mặt bằng",
        key_messages="Tiền bồi thường, hỗ trợ được chi trả theo phương án đã niêm yết công khai "
        "tại UBND xã.\nNgười dân có thắc mắc liên hệ Hội đồng bồi thường hoặc đường dây nóng "
        "của Sở Nông nghiệp và Môi trường.",
        explanation="Dự án cao tốc Đồng Đăng – Trà Lĩnh là dự án trọng điểm của tỉnh; việc chi "
        "trả chậm ở một số hộ do hồ sơ đất đai chưa hoàn thiện, không phải do thiếu vốn.",
        links="https://langson.gov.vn/",
        valid_from=today - dt.timedelta(days=3),
        valid_until=today + dt.timedelta(days=30),
    )
    services.guidance_issue(by=coordinator, guidance=guidance)
    for recipient in guidance.recipients.select_related("member__user"):
        user = recipient.member.user
        if user is not None and user.username in ACKNOWLEDGED:
            services.guidance_acknowledge(by=user, recipient=recipient)
    member = NetworkMember.objects.filter(user__username="xuly.xa").first()
    if member is not None and member.user is not None:
        services.field_report_send(
            by=member.user,
            text="Một số hộ dân ở xã Đồng Đăng hỏi khi nào nhận đủ tiền bồi thường cao tốc, "
            "đề nghị công khai danh sách chi trả.",
            guidance=guidance,
        )


def _resolution_guidance(users: dict[str, User]) -> None:
    resolution, _created = Resolution.objects.get_or_create(
        number=RESOLUTION_NUMBER,
        defaults={
            "adopted_on": dt.date(2025, 7, 10),
            "title": "Quy định chính sách hỗ trợ học phí cho học sinh trên địa bàn "
            + province.current().in_text,
            "summary": "Hỗ trợ học phí cho học sinh mầm non, phổ thông tại các xã khó khăn.",
        },
    )
    if Guidance.objects.filter(resolution=resolution).exists():
        return
    today = timezone.localdate()
    guidance = services.guidance_create(
        by=users["dieuphoi"],
        title="Định hướng tuyên truyền Nghị quyết về hỗ trợ học phí",
        topic="Chính sách hỗ trợ học phí",
        key_messages="Nghị quyết bảo đảm không học sinh nào phải bỏ học vì khó khăn về học phí.",
        explanation="Giải thích đối tượng, mức hỗ trợ và thủ tục đề nghị hỗ trợ.",
        valid_from=today,
        valid_until=today + dt.timedelta(days=90),
        resolution=resolution,
    )
    services.guidance_cosign(by=users["hdnd"], guidance=guidance)


def _commune(number: int) -> int:
    """The code of the province's commune `number` (by code; wrapping in a smaller province)."""
    communes = province.communes()
    return communes[number % len(communes)][0]


def _project(agencies: dict[str, Agency], users: dict[str, User]) -> None:
    project = KeyProject.objects.filter(code=PROJECT_CODE).first()
    if project is None:
        project = services.project_create(
            by=users["dieuphoi"],
            code=PROJECT_CODE,
            name="Dự án đường cao tốc Đồng Đăng – Trà Lĩnh",
            owner_agency=agencies["ubnd"],
            places=AdministrativeUnit.objects.filter(
                code__in=[_commune(n) for n in (22, 20, 8, 7)]
            ),
            description="Tuyến cao tốc nối cửa khẩu Hữu Nghị với Cao Bằng, đầu tư theo phương "
            "thức đối tác công tư (PPP).",
            phases="Giải phóng mặt bằng\nThi công nền đường, cầu, hầm\n"
            "Hoàn thiện, đưa vào khai thác",
            keywords="cao tốc Đồng Đăng\nTrà Lĩnh\ngiải phóng mặt bằng cao tốc",
            plan_messages="Dự án mở không gian phát triển kinh tế cửa khẩu\nQuyền lợi của người "
            "dân có đất bị thu hồi được bảo đảm",
            plan_channels=f"Báo {province.current().name}\nĐài Phát thanh – Truyền hình tỉnh"
            "\nHội nghị báo cáo viên\nMạng lưới cộng tác viên dư luận xã hội",
            plan_schedule="Tháng 1: hội nghị báo cáo viên\nHằng tháng: công khai tiến độ chi trả"
            "\nQuý II: đối thoại với người dân các xã có dự án đi qua",
            plan_agencies=[agencies[c] for c in ("btgdv", "so-xd", "so-nnmt")],
        )
    services.project_link_mentions(project=project)


def _commendation(agencies: dict[str, Agency], users: dict[str, User]) -> None:
    name = "Tổ hòa giải thôn Nà Chuông"
    if ExemplaryModel.objects.filter(name=name).exists():
        return
    model = services.exemplary_create(
        by=users["xuly.nnmt"],
        name=name,
        kind=ExemplaryModel.Kind.COLLECTIVE,
        place=AdministrativeUnit.objects.filter(code=_commune(22)).first(),
        achievements="Vận động 45 hộ dân bàn giao mặt bằng cao tốc đúng hạn, không phát sinh "
        "khiếu nại vượt cấp.",
        evidence="Xác nhận của UBND xã Đồng Đăng.",
        proposing_agency=agencies["so-nnmt"],
    )
    # Recognised by the coordinators, so the proposal can go all the way to approval.
    editing.exemplary_review(by=users["dieuphoi"], model=model, approve=True)
    proposal = services.commendation_create(
        by=users["xuly.nnmt"],
        nominee=model.name,
        nominee_kind=CommendationProposal.NomineeKind.COLLECTIVE,
        achievements=model.achievements,
        evidence=model.evidence,
        form="Bằng khen của Chủ tịch UBND tỉnh",
        year=timezone.localdate().year,
        proposing_agency=agencies["so-nnmt"],
        reviewing_agency=agencies["so-nv"],
        approving_agency=agencies["ubnd"],
        exemplary_model=model,
    )
    services.commendation_submit(by=users["lanhdao.nnmt"], proposal=proposal)


@transaction.atomic
def load() -> dict[str, int]:
    agencies = {a.code: a for a in Agency.objects.all()}
    users = _users()
    coordinator = users["dieuphoi"]
    programme = _programme(agencies, coordinator)
    tasks = _tasks(programme, agencies, users)
    _meeting(programme, agencies, users)
    members = _network(agencies, users)
    _guidance(users)
    _resolution_guidance(users)
    _project(agencies, users)
    _commendation(agencies, users)
    return {"programme_tasks": tasks, "network_members": members}
