from datetime import UTC, datetime, timedelta

import pytest

from phoihop.triage.claims import Claim, ClaimRegistry
from phoihop.triage.classify import ClassifierConfig, Example, FieldClassifier, train
from phoihop.triage.engine import TriageEngine
from phoihop.triage.grouping import Decision
from phoihop.triage.hotness import HotnessConfig, hotness

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def test_hotness_alert_and_channel_boost():
    calm = [(T0 + timedelta(days=d), "petition") for d in range(14)]
    h = hotness(calm, T0 + timedelta(days=14, hours=1))
    assert not h.alert and h.reason
    burst = calm + [
        (T0 + timedelta(days=14, hours=h_), ch)
        for h_, ch in [
            (1, "petition"),
            (2, "social"),
            (3, "news"),
            (4, "social"),
            (5, "feedback"),
            (6, "collaborator"),
        ]
    ]
    hot = hotness(burst, T0 + timedelta(days=14, hours=7))
    assert hot.alert and hot.count == 6 and hot.boost > 1.0
    assert "Cảnh báo" in hot.reason
    single = calm + [(T0 + timedelta(days=14, hours=k), "petition") for k in range(1, 7)]
    assert hotness(single, T0 + timedelta(days=14, hours=7)).score < hot.score
    assert not hotness(burst, T0 + timedelta(days=14, hours=7), HotnessConfig(min_count=10)).alert


def test_claim_matching_top1_and_passage():
    reg = ClaimRegistry(
        [
            Claim("c1", "Uống nước chanh pha muối chữa khỏi ung thư", "Bộ Y tế đã bác bỏ"),
            Claim("c2", "Tỉnh sắp thu hồi toàn bộ đất nông nghiệp của xã Thất Khê để làm sân bay"),
            *[
                Claim(f"d{i}", f"Dự báo thời tiết ngày {i}: có mưa rào và dông rải rác")
                for i in range(40)
            ],
        ]
    )
    got = reg.match(
        "Hàng xóm bảo tôi thế này. Nghe nói uống nước chanh pha muối chữa khỏi bệnh ung thư!"
    )
    assert got[0].claim_id == "c1" and got[0].score > 0.5
    assert "chanh" in got[0].passage and "Hàng xóm" not in got[0].passage
    assert got[0].rebuttal == "Bộ Y tế đã bác bỏ"
    got = reg.match("tinh sap thu hoi toan bo dat nong nghiep xa that khe lam san bay")
    assert got[0].claim_id == "c2"


FIELD_EXAMPLES = [
    Example(t, label)
    for label, texts in {
        "giao_duc": [
            "trường thu học phí cao",
            "giáo viên dạy thêm ép học sinh",
            "thiếu phòng học",
            "con tôi bị lạm thu tiền trường",
            "sách giáo khoa đắt",
            "học bổng chậm trả",
        ],
        "y_te": [
            "bệnh viện quá tải",
            "thẻ bảo hiểm y tế bị từ chối",
            "trạm y tế thiếu thuốc",
            "bác sĩ thái độ kém",
            "viện phí tăng",
            "chuyển tuyến khó khăn",
        ],
        "cong_thuong": [
            "tiền điện tăng",
            "mất điện liên tục",
            "chợ thiếu vệ sinh",
            "giá xăng tăng",
            "hàng giả bán tràn lan",
            "điện lực cắt điện không báo",
        ],
    }.items()
    for t in texts
]


def test_classifier_learns_from_corrections():
    model = train(FIELD_EXAMPLES, ClassifierConfig(calibration_folds=2))
    preds = model.predict(["học phí trường quá cao", "bệnh viện thiếu thuốc", "cắt điện cả ngày"])
    assert [p.label for p in preds] == ["giao_duc", "y_te", "cong_thuong"]
    for p in preds:
        assert 0 <= p.confidence <= 1 and set(p.scores) == {"giao_duc", "y_te", "cong_thuong"}
    again = type(model).from_bytes(model.to_bytes())
    assert again.predict(["học phí trường quá cao"])[0].label == "giao_duc"


def test_retraining_on_the_same_decisions_gives_the_same_model():
    # staff who retrain on unchanged decisions must not see confidences move
    texts = ["học phí trường quá cao", "bệnh viện thiếu thuốc", "cắt điện cả ngày"]
    first, second = (train(FIELD_EXAMPLES, ClassifierConfig(calibration_folds=2)) for _ in "ab")
    assert first.predict_proba(texts).tolist() == second.predict_proba(texts).tolist()


def test_field_lexicon_and_needs_review():
    fc = FieldClassifier()
    p = fc.classify(["Dân kêu chậm đền bù giải phóng mặt bằng"])[0]
    assert p.label == "dat_dai" and not p.needs_review and "giải phóng mặt bằng" in p.top_terms
    assert fc.classify(["duong xuong cap nhieu o ga"])[0].label == "xay_dung_giao_thong"
    assert fc.classify(["Thẻ BHYT bị lỗi"])[0].label == "y_te"
    vague = fc.classify(["Hôm nay tôi muốn hỏi một việc"])[0]
    assert vague.needs_review
    fc.train(FIELD_EXAMPLES, ClassifierConfig(calibration_folds=2))
    assert fc.classify(["giáo viên ép học thêm"])[0].label == "giao_duc"


@pytest.fixture
def engine() -> TriageEngine:
    """A fresh engine per test: tests run in any order and in parallel (pytest-randomly, -n)."""
    e = TriageEngine()
    e.set_claims(
        [
            Claim("c1", "Uống nước chanh pha muối chữa khỏi ung thư"),
            *[Claim(f"d{i}", f"Tin thời tiết số {i} có mưa") for i in range(20)],
        ]
    )
    return e


def test_engine_end_to_end(engine):
    p1 = engine.add_signal(
        "Dân xã Thất Khê phản ánh chậm đền bù GPMB dự án đường tránh.", signal_id="s1", at=T0
    )
    assert p1.group.action is Decision.NEW and p1.issue_id == "s1"
    p2 = engine.add_signal(
        "dan xa that khe phan anh cham den bu giai phong mat bang du an duong tranh",
        signal_id="s2",
        channel="social",
        at=T0,
    )
    assert p2.group.action is Decision.JOIN and p2.issue_id == "s1"
    assert p2.field.label == "dat_dai"
    assert p2.route.rule == "commune" and p2.route.commune_code == 6040 and p2.route.reason
    assert any(pl.name == "Xã Thất Khê" for pl in p2.places)
    assert p2.text_hash and p2.normalized.startswith("dan xa")
    p3 = engine.triage("Nghe nói uống nước chanh pha muối chữa khỏi ung thư, đúng không?")
    assert p3.claims and p3.claims[0].claim_id == "c1"
    assert p3.group.action is Decision.NEW and p3.issue_id is None
    assert engine.hotness("s1", T0 + timedelta(hours=1)).count == 2


def test_engine_corrections_and_state(engine):
    engine.add_signal(
        "Dân xã Thất Khê phản ánh chậm đền bù GPMB dự án đường tránh.", signal_id="s1", at=T0
    )
    engine.add_signal("Trường tiểu học lạm thu tiền đầu năm", signal_id="s10", at=T0)
    assert engine.signal_issue["s10"] == "s10"  # a matter of its own until staff merge it
    engine.merge_issues("s1", "s10")
    assert engine.signal_issue["s10"] == "s1" and engine.feedback[-1].same
    engine.split_issue("s1", ["s10"], "edu")
    assert engine.signal_issue["s10"] == "edu" and not engine.feedback[-1].same
    assert engine.triage("Trường tiểu học lạm thu tiền đầu năm").group.issue_id == "edu"
    engine.retune_thresholds()
    clone = TriageEngine.from_bytes(engine.to_bytes())
    assert clone.triage("Trường tiểu học lạm thu tiền đầu năm").group.issue_id == "edu"


def test_optional_encoder_needs_a_local_model(tmp_path):
    from phoihop.triage.encoders import EncoderUnavailable, LocalSentenceEncoder

    with pytest.raises(EncoderUnavailable):
        LocalSentenceEncoder(tmp_path / "missing")


class _KeywordEncoder:
    """A stand-in for a sentence encoder: it knows that three wordings mean a health facility."""

    HEALTH = ("bệnh viện", "trạm y tế", "phòng khám")

    def encode(self, texts):
        import numpy as np

        return np.array(
            [[1.0, 0.0] if any(h in t for h in self.HEALTH) else [0.0, 1.0] for t in texts],
            dtype=np.float32,
        )


def test_classifier_adds_encoder_embeddings_beside_ngrams():
    from phoihop.triage.classify import TextClassifier, select_config

    examples = [Example(f"bệnh viện tuyến huyện quá tải lần {i}", "y_te") for i in range(6)]
    examples += [Example(f"trạm y tế xã thiếu bác sĩ đợt {i}", "y_te") for i in range(6)]
    examples += [Example(f"đường liên xã hư hỏng đoạn {i}", "giao_thong") for i in range(6)]
    examples += [Example(f"cầu treo xuống cấp nguy hiểm số {i}", "giao_thong") for i in range(6)]
    config = ClassifierConfig(calibration_folds=2, encoder_weight=3.0)
    model = train(examples, config, _KeywordEncoder())
    assert model._features(["phòng khám"]).shape[1] == model.featurizer.n_features + 2
    # the only thing "phòng khám" shares with the training texts is the encoder's knowledge
    assert model.predict(["phòng khám đa khu vực đóng cửa sớm"])[0].label == "y_te"
    clone = TextClassifier.from_bytes(model.to_bytes())
    assert clone.encoder is None
    with pytest.raises(RuntimeError, match="encoder"):
        clone.predict(["phòng khám"])
    clone.encoder = _KeywordEncoder()
    assert clone.predict(["phòng khám đa khu vực"])[0].label == "y_te"
    sel = select_config(examples, (config,), folds=2, encoder=_KeywordEncoder())
    assert sel.cv_macro_f1 > 0.9
