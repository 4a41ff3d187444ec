from phoihop.triage.features import FeatureConfig, Featurizer
from phoihop.triage.grouping import (
    Decision,
    IssueIndex,
    LabelledPair,
    Thresholds,
    tune_thresholds,
)

A = "Đường liên thôn ở xã Thất Khê xuống cấp nghiêm trọng, nhiều ổ gà gây nguy hiểm cho học sinh"
A_VARIANTS = [
    "duong lien thon o xa That Khe xuong cap nghiem trong, nhieu o ga gay nguy hiem cho hoc sinh",
    "Nhiều ổ gà gây nguy hiểm cho học sinh, đường liên thôn ở xã Thất Khê xuống cấp nghiêm trọng",
    "Đường liên thôn ở xã Thất Khê xuóng cấp nghiêm trọng, nhiều ổ gà gây nguy hiểm cho học sinh",
]
B = "Đề nghị giải quyết dứt điểm việc chậm chi trả tiền đền bù giải phóng mặt bằng đường tránh"
C = "Phụ huynh phản ánh trường tiểu học thu các khoản ngoài quy định, lạm thu đầu năm học"


def make_index(th: Thresholds | None = None) -> IssueIndex:
    return IssueIndex(Featurizer(FeatureConfig(accented_words=False)), th)


def test_known_duplicates_join_and_others_do_not():
    index = make_index()
    first = index.ingest(index.featurizer.transform([A, B, C]), ["a", "b", "c"])
    assert [d.action for d in first] == [Decision.NEW] * 3
    decisions = index.ingest(index.featurizer.transform(A_VARIANTS), ["a1", "a2", "a3"])
    for d in decisions:
        assert d.action is Decision.JOIN
        assert d.issue_id == "a"
        assert d.neighbours[0].issue_id == "a"
        assert d.candidates_checked >= 1
        assert d.reason
    assert len(index) == 3


def test_duplicates_within_one_batch():
    index = make_index()
    out = index.ingest(index.featurizer.transform([A, B, *A_VARIANTS]), ["a", "b", "x", "y", "z"])
    assert out[0].action is Decision.NEW and out[1].action is Decision.NEW
    assert all(d.issue_id == "a" for d in out[2:])


def test_query_is_read_only():
    index = make_index()
    index.ingest(index.featurizer.transform([A]), ["a"])
    d = index.query(index.featurizer.transform([A_VARIANTS[0]]))[0]
    assert d.action is Decision.JOIN and d.issue_id == "a"
    assert len(index.issues) == 1 and index.issues["a"].size == 1


def test_threshold_decisions():
    th = Thresholds(auto_join=0.7, suggest=0.4)
    assert th.decide(0.9) is Decision.JOIN
    assert th.decide(0.7) is Decision.JOIN
    assert th.decide(0.5) is Decision.SUGGEST
    assert th.decide(0.39) is Decision.NEW


def test_suggest_band_between_thresholds():
    index = make_index(Thresholds(auto_join=0.999, suggest=0.3))
    index.ingest(index.featurizer.transform([A]), ["a"])
    d = index.query(index.featurizer.transform([A_VARIANTS[1]]))[0]
    assert d.action is Decision.SUGGEST and d.issue_id == "a"
    assert "xem xét" in d.reason


def test_tune_thresholds_from_feedback():
    pairs = [LabelledPair(s, True) for s in (0.9, 0.85, 0.8, 0.75, 0.7, 0.6)]
    pairs += [LabelledPair(s, False) for s in (0.65, 0.5, 0.4, 0.3, 0.2)]
    th = tune_thresholds(pairs, Thresholds(0.9, 0.8), target_precision=1.0, target_recall=1.0)
    assert 0.65 < th.auto_join <= 0.7
    assert th.suggest <= 0.6
    assert th.suggest <= th.auto_join
    # no feedback keeps the current thresholds
    assert tune_thresholds([], Thresholds(0.8, 0.5)) == Thresholds(0.8, 0.5)


def test_merge_and_move():
    index = make_index()
    index.ingest(index.featurizer.transform([A, B]), ["a", "b"])
    index.merge("a", "b")
    assert "b" not in index.issues
    d = index.query(index.featurizer.transform([B]))[0]
    assert d.issue_id == "a"
    index.move_signals(["b"], "a", "b2")
    d = index.query(index.featurizer.transform([B]))[0]
    assert d.issue_id == "b2"
