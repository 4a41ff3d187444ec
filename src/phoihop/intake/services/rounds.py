"""Voter-contact rounds and the council sessions they belong to."""

from __future__ import annotations

from django.db import transaction

from phoihop.core import audit
from phoihop.core.models import User
from phoihop.intake.models import (
    CouncilSession,
    VoterContactRound,
)
from phoihop.triage.normalize import normalize_text


def _round(name: str, *, by: User | None) -> VoterContactRound:
    existing = VoterContactRound.objects.filter(name=name).first()
    if existing is not None:
        return existing
    created = VoterContactRound.objects.create(name=name)
    audit.record(actor=by, action="intake.round.create", target=created, name=name)
    return created


@transaction.atomic
def council_session_ensure(
    *, term: str, number: int, title: str, by: User | None
) -> CouncilSession:
    session = CouncilSession.objects.filter(term=term, number=number).first()
    if session is None:
        session = CouncilSession.objects.create(term=term, number=number, title=title)
        audit.record(actor=by, action="intake.session.create", target=session, title=title)
    return session


@transaction.atomic
def round_ensure(
    *, name: str, session: CouncilSession | None, by: User | None
) -> VoterContactRound:
    """The voter-contact round with this name, created (and tied to a session) if missing."""
    voter_round = _round(normalize_text(name)[:255], by=by)
    if session is not None and voter_round.session_id != session.pk:
        before = voter_round.session_id
        voter_round.session = session
        voter_round.save(update_fields=["session"])
        audit.record(
            actor=by,
            action="intake.round.session",
            target=voter_round,
            before={"session": before},
            after={"session": session.pk},
        )
    return voter_round
