"""The demo intake loads with the demo province, twice without duplicates."""

from __future__ import annotations

from phoihop.core.audit import verify_chain
from phoihop.demo.intake import ROUND
from phoihop.demo.loader import load_demo
from phoihop.intake.models import FeedSource, Signal, VoterContactRound


def test_demo_intake_is_idempotent_and_covers_every_channel(db: None) -> None:
    first = load_demo()
    assert first["new_signals"] == 12
    voter_round = VoterContactRound.objects.get(name=ROUND)
    assert voter_round.session is not None and voter_round.signals.count() == 4
    assert voter_round.signals.exclude(place=None).count() == 4
    feedback = Signal.objects.filter(channel="feedback", source="phan-anh")
    assert feedback.filter(tracking_code__startswith="PA-").count() == 3
    assert Signal.objects.filter(channel="social", source__startswith="mxh:").count() == 3
    assert Signal.objects.filter(channel="collaborator", source__startswith="ctv:").count() == 2
    assert FeedSource.objects.filter(url="https://baolangson.vn/rss/thoi-su.rss").count() == 1
    total = Signal.objects.count()
    assert load_demo()["new_signals"] == 0
    assert Signal.objects.count() == total
    assert verify_chain().ok
