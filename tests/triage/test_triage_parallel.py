"""Bulk ingest on several processes gives exactly the proposals of sequential ingest."""

import numpy as np
import pytest
import scipy.sparse as sp

from phoihop.triage.engine import EngineConfig, TriageEngine
from phoihop.triage.features import _count_matrix
from phoihop.triage.grouping import IndexConfig
from phoihop.triage.parallel import Chunk, ParallelIngest

BASE = [
    "Chậm chi trả tiền bồi thường giải phóng mặt bằng dự án cao tốc Đồng Đăng – Trà Lĩnh",
    "Đường giao thông nông thôn thôn Nà Lừa xuống cấp, đề nghị sửa chữa",
    "Trường tiểu học thu các khoản ngoài quy định, phụ huynh bức xúc",
    "Bản án sơ thẩm chưa được thi hành, người dân đề nghị tòa án xem xét",
    "Nước sinh hoạt ở phường Đông Kinh bị đục nhiều ngày",
    "Cử tri kiến nghị Hội đồng nhân dân tỉnh giám sát việc cấp giấy chứng nhận QSDĐ",
]


def stream() -> list[str]:
    texts = []
    for k in range(8):
        for i, base in enumerate(BASE):
            if (i + k) % 3 == 0:
                texts.append(base)
            elif (i + k) % 3 == 1:
                texts.append(base.lower() + " ạ")
            else:
                texts.append(f"{base}. Lần phản ánh thứ {k}")
    return texts


def engine(exact_below: int) -> TriageEngine:
    return TriageEngine(EngineConfig(index=IndexConfig(exact_below=exact_below)))


def summary(props):
    return [
        (
            p.signal_id,
            p.issue_id,
            p.group.action,
            p.group.score,
            p.field.label,
            p.route.agency,
            p.route.rule,
            tuple(pl.code for pl in p.places),
            p.normalized,
        )
        for p in props
    ]


@pytest.mark.parametrize("exact_below", [0, 20_000])  # the LSH path and the exact path
def test_parallel_ingest_equals_sequential(exact_below):
    texts = stream()
    ids = [f"s{i}" for i in range(len(texts))]
    chunks = [Chunk(texts[i : i + 7], ids[i : i + 7]) for i in range(0, len(texts), 7)]

    seq = engine(exact_below)
    expected = []
    for c in chunks:
        expected += seq.ingest_batch(c.texts, c.signal_ids, with_claims=False)

    par = engine(exact_below)
    got = []
    with ParallelIngest(par, workers=2, lookahead=2) as pipeline:
        for props in pipeline.ingest(chunks):
            got += props
    assert summary(got) == summary(expected)
    assert par.signal_issue == seq.signal_issue
    # grouping did happen: variants of one wording joined an earlier signal
    assert len(set(par.signal_issue.values())) < len(texts)
    assert len(pipeline.worker_peak_rss_mb) == 2
    assert all(mb > 0 for mb in pipeline.worker_peak_rss_mb)


def test_without_workers_prepares_in_process():
    texts = stream()[:20]
    chunks = [Chunk(texts[:10]), Chunk(texts[10:])]
    pipeline = ParallelIngest(engine(20_000), workers=0)
    out = [p for props in pipeline.ingest(chunks) for p in props]
    pipeline.close()
    assert [p.issue_id is not None for p in out] == [True] * 20
    assert pipeline.worker_peak_rss_mb == []


def test_a_failing_worker_raises_with_its_traceback():
    bad = Chunk([BASE[0], None])  # type: ignore[list-item]
    with (
        ParallelIngest(engine(20_000), workers=1) as pipeline,
        pytest.raises(RuntimeError, match="triage worker failed"),
    ):
        list(pipeline.ingest([bad]))


def test_count_matrix_sums_weighted_duplicates_like_scipy():
    rng = np.random.default_rng(0)
    parts = []
    for w in (1.0, 0.5, 1.0):
        rows = rng.integers(0, 30, 500).astype(np.int64)
        cols = rng.integers(0, 1 << 8, 500).astype(np.int64)
        parts.append((rows, cols, w))
    got = _count_matrix(parts, 32, 8)
    want = sp.csr_matrix(
        (
            np.concatenate([np.full(len(r), w) for r, _, w in parts]),
            (np.concatenate([r for r, _, _ in parts]), np.concatenate([c for _, c, _ in parts])),
        ),
        shape=(32, 1 << 8),
    )
    want.sum_duplicates()
    assert got.has_canonical_format
    assert np.array_equal(got.indptr, want.indptr)
    assert np.array_equal(got.indices, want.indices)
    assert np.allclose(got.data, want.data)
    binary = _count_matrix(parts[:1], 32, 8, binary=True)
    assert set(binary.data.tolist()) == {1.0}
    assert binary.nnz == len(set(zip(parts[0][0].tolist(), parts[0][1].tolist(), strict=True)))
    assert _count_matrix([], 4, 8).shape == (4, 256)


def test_place_batch_indexes_like_staff_placing_one_by_one():
    texts = stream()[:30]
    ids = [f"s{i}" for i in range(30)]
    issues = [f"i{i % 4}" for i in range(30)]
    one = engine(20_000)
    for t, s, i in zip(texts, ids, issues, strict=True):
        one.add_signal(t, signal_id=s, issue_id=i)
    bulk = engine(20_000)
    bulk.place_batch(texts, ids, issues)
    assert bulk.signal_issue == one.signal_issue
    assert {k: (v.size, v.reps) for k, v in bulk.index.issues.items()} == {
        k: (v.size, v.reps) for k, v in one.index.issues.items()
    }
    assert bulk.index.rep_signal == one.index.rep_signal
    # at most six representatives per issue, and the placed issues are found again
    assert all(len(v.reps) <= 6 for v in bulk.index.issues.values())
    assert bulk.triage(texts[5]).group.issue_id == issues[5]
