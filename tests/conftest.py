"""Shared fixtures: a small programme with a coordinator and two agencies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from tests.factories import AgencyFactory, FieldFactory, member

from phoihop.core.models import Agency, Field, Membership, User

R = Membership.Role


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Production keeps PBKDF2; tests need not spend a second per user on it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    coordinator_agency: Agency
    dept: Agency
    other: Agency
    field: Field
    coordinator: User
    handler: User
    leader: User
    viewer: User
    other_handler: User
    other_leader: User
    administrator: User


@pytest.fixture
def world(db: None) -> World:
    coordinator_agency = AgencyFactory(
        code="btgdv", name="Ban Tuyên giáo và Dân vận", kind=Agency.Kind.PARTY
    )
    dept = AgencyFactory(code="so-nnmt", name="Sở Nông nghiệp và Môi trường")
    other = AgencyFactory(code="so-xd", name="Sở Xây dựng")
    return World(
        coordinator_agency=coordinator_agency,
        dept=dept,
        other=other,
        field=FieldFactory(code="dat_dai", name="Đất đai"),
        coordinator=member(coordinator_agency, R.COORDINATOR, "dieuphoi"),
        handler=member(dept, R.HANDLER, "xuly"),
        leader=member(dept, R.LEADER, "lanhdao"),
        viewer=member(dept, R.VIEWER, "xem"),
        other_handler=member(other, R.HANDLER, "xuly.khac"),
        other_leader=member(other, R.LEADER, "lanhdao.khac"),
        administrator=member(coordinator_agency, R.ADMINISTRATOR, "quantri"),
    )


@pytest.fixture(autouse=True)
def _fresh_triage_engine(settings: Any, tmp_path: Any) -> Any:
    """Each test gets its own engine snapshot folder and no engine left in memory."""
    from phoihop.triaging import runtime

    settings.PHOIHOP_TRIAGE_SNAPSHOT_DIR = tmp_path / "triage"
    runtime.forget()
    yield
    runtime.forget()
