"""Small indexes score every representative exactly: a short signal finds a long issue text."""

import dataclasses

from phoihop.triage.engine import EngineConfig, TriageEngine
from phoihop.triage.grouping import Decision, IndexConfig

ISSUE = (
    "Chậm chi trả tiền bồi thường giải phóng mặt bằng dự án cao tốc Đồng Đăng – Trà Lĩnh. "
    "Cử tri phường Đông Kinh phản ánh đã bàn giao mặt bằng từ quý II nhưng chưa nhận đủ tiền "
    "bồi thường, hỗ trợ."
)
SHORT = "Một số hộ dân ở xã Đồng Đăng hỏi khi nào nhận đủ tiền bồi thường cao tốc"
OTHER = "Đề nghị sửa chữa đường giao thông nông thôn bị xuống cấp tại thôn Nà Lừa"


def product_engine(config: IndexConfig | None = None) -> TriageEngine:
    engine = TriageEngine(EngineConfig(index=config or IndexConfig()))
    # as the product does: the issue is represented by its own wording
    batch = engine.featurizer.transform([ISSUE])
    engine.index.add_representative("7", "issue-7", batch)
    return engine


def test_short_signal_finds_long_issue_text():
    engine = product_engine()
    group = engine.triage(SHORT).group
    assert group.action in (Decision.SUGGEST, Decision.JOIN)
    assert group.issue_id == "7"
    assert group.neighbours[0].signal_id == "issue-7"
    assert group.candidates_checked == 1


def test_short_signal_is_missed_by_lsh_alone():
    # the reason for the exact fallback: the shingle sets share too little for LSH
    engine = product_engine(IndexConfig(exact_below=0))
    assert engine.triage(SHORT).group.action is Decision.NEW


def test_different_text_is_not_proposed():
    engine = product_engine()
    group = engine.triage(OTHER).group
    assert group.action is Decision.NEW
    assert group.issue_id is None


def test_exact_ingest_joins_and_commits_like_one_at_a_time():
    engine = product_engine()
    # the index commits a proposal only above auto-join; lower it to see a join commit
    engine.index.thresholds = dataclasses.replace(engine.index.thresholds, auto_join=0.45)
    out = engine.ingest_batch([SHORT, OTHER, OTHER + " ạ"], ["s1", "s2", "s3"])
    assert out[0].group.action is Decision.JOIN and out[0].issue_id == "7"
    assert out[1].group.action is Decision.NEW and out[1].issue_id == "s2"
    # a later signal of the same batch finds an earlier one (within-batch exact scores)
    assert out[2].group.action is Decision.JOIN and out[2].issue_id == "s2"


def test_exact_and_lsh_agree_on_near_duplicates():
    texts = [ISSUE, OTHER, "Phụ huynh phản ánh trường tiểu học thu các khoản ngoài quy định"]
    variant = ISSUE.replace("Chậm", "Rất chậm")
    for exact_below in (0, 20_000):
        engine = TriageEngine(EngineConfig(index=IndexConfig(exact_below=exact_below)))
        engine.ingest_batch(texts, ["a", "b", "c"])
        group = engine.triage(variant).group
        assert group.action is Decision.JOIN and group.issue_id == "a"


def test_removed_representatives_are_not_scored():
    engine = product_engine()
    engine.index.remove_issue("7")
    assert engine.triage(SHORT).group.action is Decision.NEW


def test_exact_blocks_follow_new_representatives_and_pickling():
    engine = product_engine()
    assert engine.triage(OTHER).group.action is Decision.NEW  # builds the blocks
    engine.add_signal(OTHER, signal_id="s9")  # a new issue after the blocks were built
    again = TriageEngine.from_bytes(engine.to_bytes())
    for e in (engine, again):
        group = e.triage(OTHER + " ạ").group
        assert group.action is Decision.JOIN and group.issue_id == "s9"
        assert e.triage(SHORT).group.issue_id == "7"


def test_removed_representatives_are_not_candidates_on_the_lsh_path():
    engine = TriageEngine(EngineConfig(index=IndexConfig(exact_below=0)))
    engine.ingest_batch([ISSUE, OTHER], ["a", "b"])
    assert engine.triage(ISSUE).group.issue_id == "a"
    assert engine.index.n_representatives == 2
    engine.remove_signal("a")
    assert engine.index.n_representatives == 1
    assert engine.triage(ISSUE).group.action is Decision.NEW
    again = TriageEngine.from_bytes(engine.to_bytes())  # the count of removed ones survives
    assert again.index.n_representatives == 1
    assert again.triage(ISSUE).group.action is Decision.NEW
    assert again.triage(OTHER).group.issue_id == "b"
