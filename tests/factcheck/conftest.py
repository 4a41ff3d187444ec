"""Factcheck fixtures: the world plus the court, whose leader confirms facts about cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from tests.factories import AgencyFactory, member

from phoihop.core.models import Agency, Membership, User
from phoihop.factcheck import services
from phoihop.factcheck.models import Claim
from phoihop.intake.models import Signal
from phoihop.triage.normalize import content_hash

R = Membership.Role


@dataclass
class Court:
    agency: Agency
    leader: User
    handler: User


@pytest.fixture
def court(world: Any) -> Court:
    agency = AgencyFactory(code="tand", name="Tòa án nhân dân tỉnh", kind=Agency.Kind.COURT)
    return Court(
        agency=agency,
        leader=member(agency, R.LEADER, "lanhdao.toaan"),
        handler=member(agency, R.HANDLER, "xuly.toaan"),
    )


def signal(text: str, source: str = "mang-xa-hoi") -> Signal:
    return Signal.objects.create(
        channel=Signal.Channel.SOCIAL,
        source=source,
        raw_text=text,
        text=text,
        content_hash=content_hash(text),
        occurred_at=timezone.now(),
    )


@pytest.fixture
def claim(world: Any, court: Court) -> Claim:
    return services.claim_register(
        by=world.coordinator,
        wording="Tòa án tỉnh xử oan một nông dân vì tranh chấp đất",
        summary="Tòa án xử oan nông dân",
        first_seen_on=timezone.localdate(),
        risk=Claim.Risk.HIGH,
        competent_agency=court.agency,
        signals=[signal("Tòa án tỉnh xử oan một nông dân")],
    )
