"""Shared fixtures: a small programme with a coordinator and two agencies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from tests.factories import AgencyFactory, FieldFactory, member

from phoihop.cases import services as case_services
from phoihop.cases.models import Issue
from phoihop.core import auditguard
from phoihop.core.models import Agency, Field, Membership, User
from phoihop.portal import pagecache

R = Membership.Role


@pytest.fixture(autouse=True)
def _no_pages_kept_in_this_process() -> None:
    """A test's portal pages never come from an earlier test's memory (the cache is shared
    by the whole test process; a test's database and content are its own)."""
    pagecache.forget_local()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Production keeps PBKDF2; tests need not spend a second per user on it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_outside_the_database(request: Any, settings: Any, tmp_path: Any) -> Any:
    """Each test gets its own audit key file and checkpoint (they live outside the database).

    The audit log refuses DELETE; transactional tests end with a flush that empties every
    table, so only that flush, after the test, may purge it (core.auditguard)."""
    # Two-factor authentication is tested in tests/core/test_login_security.py; other tests
    # log staff in with force_login and would otherwise meet the second step first.
    settings.PHOIHOP_REQUIRE_2FA = False
    settings.PHOIHOP_AUDIT_KEY = ""
    settings.PHOIHOP_AUDIT_KEY_FILE = tmp_path / "audit.key"
    settings.PHOIHOP_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoint.json"
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or (
        "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    )
    if transactional:
        request.getfixturevalue("transactional_db")  # set up before, so torn down after us
    auditguard._state.allowed = False
    yield
    if transactional:
        auditguard._state.allowed = True  # the flush that follows; reset by the next test


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


@pytest.fixture
def assigned(world: World) -> Issue:
    """A public issue, classified and assigned to the department with a deadline in 3 days."""
    issue = case_services.issue_create(
        by=world.coordinator, title="Đường liên xã xuống cấp", visibility=Issue.Visibility.PUBLIC
    )
    case_services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    case_services.issue_assign(
        issue=issue,
        by=world.coordinator,
        agency=world.dept,
        deadline=timezone.localdate() + dt.timedelta(days=3),
    )
    return issue


@pytest.fixture(autouse=True)
def _fresh_triage_engine(settings: Any, tmp_path: Any) -> Any:
    """Each test gets its own engine snapshot folder and no engine left in memory."""
    from phoihop.triaging import runtime

    settings.PHOIHOP_TRIAGE_SNAPSHOT_DIR = tmp_path / "triage"
    runtime.forget()
    yield
    runtime.forget()
