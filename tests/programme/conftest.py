"""Programme fixtures: the world plus HĐND, a reviewing and an approving agency, a plan."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from openpyxl import Workbook
from tests.factories import AgencyFactory, member

from phoihop.core.models import Agency, Membership, User
from phoihop.programme import services
from phoihop.programme.models import AnnualPlan, NetworkMember, Programme

R = Membership.Role


@dataclass
class Prog:
    world: Any
    programme: Programme
    plan: AnnualPlan
    council: Agency
    council_staff: User
    home_affairs: Agency
    home_affairs_handler: User
    ubnd: Agency
    ubnd_leader: User


@pytest.fixture
def prog(world: Any) -> Prog:
    council = AgencyFactory(code="hdnd", name="Thường trực HĐND tỉnh", kind=Agency.Kind.COUNCIL)
    home_affairs = AgencyFactory(code="so-nv", name="Sở Nội vụ")
    ubnd = AgencyFactory(code="ubnd", name="UBND tỉnh", kind=Agency.Kind.PEOPLES_COMMITTEE)
    programme = services.programme_create(
        by=world.coordinator,
        title="Chương trình phối hợp thử",
        signed_on=dt.date(2021, 9, 8),
        parties=[world.coordinator_agency, council, ubnd],
        areas=["Định hướng dư luận", "Đấu tranh phản bác thông tin sai sự thật"],
    )
    plan = services.plan_create(by=world.coordinator, programme=programme, year=2026)
    return Prog(
        world=world,
        programme=programme,
        plan=plan,
        council=council,
        council_staff=member(council, R.COORDINATOR, "hdnd"),
        home_affairs=home_affairs,
        home_affairs_handler=member(home_affairs, R.HANDLER, "xuly.nv"),
        ubnd=ubnd,
        ubnd_leader=member(ubnd, R.LEADER, "lanhdao.ubnd"),
    )


def network_of(world: Any) -> list[NetworkMember]:
    """The department's handler and leader and the other department's handler as reporters."""
    return [
        services.network_member_add(
            by=world.coordinator, user=user, kind=NetworkMember.Kind.REPORTER, agency=agency
        )
        for user, agency in (
            (world.handler, world.dept),
            (world.leader, world.dept),
            (world.other_handler, world.other),
        )
    ]


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        header
        or [
            "Mã nhiệm vụ",
            "Cơ quan",
            "Tiến độ (%)",
            "Kết quả thực hiện",
            "Minh chứng",
            "Ngày báo cáo",
        ]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
