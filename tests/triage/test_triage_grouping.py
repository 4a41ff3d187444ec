from phoihop.triage.features import FeatureConfig, Featurizer
from phoihop.triage.grouping import (
    Decision,
    IndexConfig,
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


# A voter-contact round: the same road told three ways, and a longer demo petition about it.
ROAD = [
    "Cử tri đề nghị tỉnh sớm có phương án sửa chữa tuyến đường ĐT.234 đoạn qua xã, mặt đường "
    "xuống cấp nghiêm trọng, mùa mưa đi lại rất khó khăn.",
    "Đề nghị sửa chữa đường ĐT.234 đoạn qua xã Cao Lộc, mặt đường xuống cấp nhiều ổ gà",
    "Đề nghị sửa chữa tuyến ĐT.234 qua xã Cao Lộc bị xuống cấp, nhiều ổ gà",
    "Cử tri xã Cao Lộc phản ánh tuyến ĐT.234 xuống cấp, nhiều ổ gà, đề nghị sớm sửa chữa",
]
HIGHWAY = [
    "Làm cao tốc Đồng Đăng mà không đền bù cho dân, đất mất trắng!",
    "Dân Đồng Đăng mất đất làm cao tốc không được đồng nào",
]


def test_rewordings_of_one_petition_make_one_pending_group():
    index = IssueIndex(
        Featurizer(FeatureConfig(accented_words=False)), config=IndexConfig(pending_prefix="s:")
    )
    # same frame, place and complaint, another object: 0.50 against the road's rewordings
    school = "Phụ huynh đề nghị sửa chữa phòng học xuống cấp của trường tiểu học xã Cao Lộc"
    texts = ROAD + HIGHWAY + [B, C, school]
    ids = [f"s:{i}" for i in range(len(texts))]
    out = index.ingest(index.featurizer.transform(texts), ids)
    groups = [
        d.issue_id if d.action is Decision.JOIN else sid for d, sid in zip(out, ids, strict=True)
    ]
    assert groups[:4] == ["s:0"] * 4
    assert groups[4:6] == ["s:4"] * 2
    assert groups[6:] == ["s:6", "s:7", "s:8"]
    assert out[1].score < index.thresholds.auto_join  # joined as a pending group only
    assert "chưa xử lý" in out[5].reason


def test_a_settled_issue_still_needs_the_auto_join_level():
    index = IssueIndex(
        Featurizer(FeatureConfig(accented_words=False)), config=IndexConfig(pending_prefix="s:")
    )
    index.ingest(index.featurizer.transform([HIGHWAY[0]]), ["i:1"])
    (d,) = index.query(index.featurizer.transform([HIGHWAY[1]]))
    assert index.thresholds.suggest <= d.score < index.thresholds.auto_join
    assert d.action is Decision.SUGGEST


ROAD_226 = "Đề nghị sửa chữa tuyến ĐT.226 qua xã Cao Lộc bị xuống cấp, nhiều ổ gà nguy hiểm"
ROAD_234 = "Đề nghị sửa chữa tuyến ĐT.234 qua xã Cao Lộc bị xuống cấp, nhiều ổ gà nguy hiểm"


def test_petitions_naming_different_roads_are_never_grouped():
    """The same words about two roads are two matters: at 0.9 of similarity the road
    numbers decide, whichever way the index searches and whether in one batch or two."""
    for exact in (True, False):
        index = make_index()
        index.ingest(index.featurizer.transform([ROAD_226]), ["r226"], exact=exact)
        d = index.query(index.featurizer.transform([ROAD_234]), exact=exact)[0]
        assert d.action is Decision.NEW, exact
        assert "r226" not in {nb.issue_id for nb in d.neighbours}
        assert "r226" in d.reason and "ĐT.226" in d.reason and "ĐT.234" in d.reason
        # the same road, however it is written, still joins; so does a text naming no road
        for same in (
            "Đề nghị sửa chữa tuyến đường tỉnh 226 qua xã Cao Lộc bị xuống cấp, nhiều ổ gà",
            "de nghi sua chua tuyen DT226 qua xa Cao Loc bi xuong cap, nhieu o ga nguy hiem",
            "Đề nghị sửa chữa tuyến đường qua xã Cao Lộc bị xuống cấp, nhiều ổ gà nguy hiểm",
        ):
            d = index.query(index.featurizer.transform([same]), exact=exact)[0]
            assert d.action is Decision.JOIN and d.issue_id == "r226", (exact, same)

        index = make_index()
        out = index.ingest(
            index.featurizer.transform([ROAD_226, ROAD_234, ROAD_234 + " ."]),
            ["a", "b", "c"],
            exact=exact,
        )
        assert [d.issue_id for d in out] == [None, None, "b"], exact


def test_an_issue_naming_two_roads_takes_a_petition_about_either():
    index = make_index()
    both = "Đề nghị sửa chữa tuyến ĐT.226 và QL.4B qua xã Cao Lộc bị xuống cấp, nhiều ổ gà"
    index.ingest(index.featurizer.transform([both]), ["both"])
    for text in (ROAD_226, ROAD_226.replace("ĐT.226", "Quốc lộ 4B")):
        d = index.query(index.featurizer.transform([text]))[0]
        assert d.issue_id == "both", text
    d = index.query(index.featurizer.transform([ROAD_234]))[0]
    assert d.issue_id is None
