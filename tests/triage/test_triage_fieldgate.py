"""Learning that never makes it worse: the field model gate and the lexicon/model mix, on
the hand-labelled real complaint sentences of tests/data/complaints."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from phoihop.triage.classify import Example, FieldClassifier, FieldLexicon, train
from phoihop.triage.engine import TriageEngine
from phoihop.triage.gate import GateResult, gate_field_model, split_held_out

DATA = Path(__file__).resolve().parents[1] / "data" / "complaints"


def _load(name: str) -> list[Example]:
    with open(DATA / name, encoding="utf-8") as f:
        return [Example(r["text"], r["field"]) for r in map(json.loads, f)]


TRAIN = _load("train.jsonl")
TEST = _load("test.jsonl")

# a demo-sized handful of staff decisions, some of them wrong-ish (issue 11: a flooding
# complaint filed under justice, a theft under land)
HANDFUL = [
    Example("Chậm chi trả tiền bồi thường giải phóng mặt bằng dự án cao tốc", "dat_dai"),
    Example("Đường tỉnh đoạn qua xã xuống cấp nghiêm trọng, nhiều ổ gà", "xay_dung_giao_thong"),
    Example("Ô nhiễm mùi từ cơ sở chăn nuôi lợn trong khu dân cư", "moi_truong"),
    Example("Thiếu thuốc bảo hiểm y tế tại trung tâm y tế khu vực", "y_te"),
    Example("Đề nghị công khai kết quả xét xử vụ án lừa đảo đầu tư tiền ảo", "tu_phap"),
    Example("Học phí và các khoản thu đầu năm học tại trường THPT", "giao_duc"),
    Example("Chậm thanh toán tiền hỗ trợ giống cây trồng sau thiên tai", "nong_nghiep"),
    Example("Cấp giấy chứng nhận quyền sử dụng đất chậm tại phường", "dat_dai"),
    Example("Mưa lớn gây ngập úng, cống thoát nước bị tắc nhiều ngày", "tu_phap"),
    Example("Nhà dân bị kẻ gian đột nhập trộm cắp tài sản", "dat_dai"),
    Example("Trạm y tế xã xuống cấp, thiếu bác sĩ", "xay_dung_giao_thong"),
    Example("Học sinh phải học thêm nhiều, phụ huynh bức xúc", "lao_dong_an_sinh"),
]


def _accuracy(fields: FieldClassifier, rows: list[Example]) -> float:
    preds = fields.classify([e.text for e in rows])
    return sum(p.label == e.label for p, e in zip(preds, rows, strict=True)) / len(rows)


@pytest.fixture(scope="module")
def split() -> tuple[list[Example], list[Example]]:
    fit, held = split_held_out(TRAIN)
    assert len(held) >= 30 and len(fit) > len(held)
    return fit, held


@pytest.fixture(scope="module")
def good(split):
    return train(split[0])


@pytest.fixture(scope="module")
def handful():
    return train(HANDFUL)


def test_labelled_set_is_honest():
    root = Path(__file__).resolve().parents[2]
    rows = {
        name: [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines()]
        for name in ("train.jsonl", "test.jsonl")
    }
    every = rows["train.jsonl"] + rows["test.jsonl"]
    assert len(every) >= 300 and len({r["id"] for r in every}) == len(every)
    fields = json.loads((root / "src/phoihop/triage/data/fields.json").read_text("utf-8"))
    assert {r["field"] for r in every} <= {f["code"] for f in fields}
    articles = [{r["article_id"] for r in rows[name]} for name in rows]
    assert not articles[0] & articles[1]  # one article never on both sides
    holdout = root.parent / "shared/data/corpus/baomoi/holdout-ids.txt"
    if holdout.exists():  # the shared data sits beside the worktree, not in the repository
        assert not (articles[0] | articles[1]) & set(holdout.read_text().split())


def test_lexicon_terms_agree_with_diacritics():
    lex = FieldLexicon()
    # "cho" is not "chợ", "đặt ở" is not "đất ở", "tải, thậm" is not "tái thẩm"
    assert "cong_thuong" not in lex.scores(*_keys("Thứ trưởng cho rằng đây là hành vi sai"))[0]
    assert "dat_dai" not in lex.scores(*_keys("Có những loa đặt ở ngay đầu nhà dân"))[0]
    assert "tu_phap" not in lex.scores(*_keys("xe bán tải, thậm chí là taxi bị đập phá"))[0]
    # written with diacritics, the term still matches; without any, on folded syllables
    assert "cong_thuong" in lex.scores(*_keys("Tiểu thương chợ Bát Tràng bức xúc"))[0]
    folded, _ = lex.scores(*_keys("tieu thuong cho bat trang buc xuc vi cho dong cua"))
    assert folded["cong_thuong"] >= 2  # "tiểu thương" in full, "chợ" at half weight


def _keys(text: str) -> tuple[str, str]:
    from phoihop.triage.normalize import match_keys

    accented, key = match_keys(text)
    return key, accented


def test_issue_11_complaints_keep_their_field_after_a_bad_handful(handful):
    fields = FieldClassifier(model=handful)
    flood, theft = fields.classify(
        [
            "Người dân phản ánh tình trạng ngập úng kéo dài do cống thoát nước bị tắc",
            "Người dân bức xúc vì kẻ gian đột nhập trộm cắp tài sản trong đêm",
        ]
    )
    assert flood.label == "xay_dung_giao_thong" and theft.label == "an_ninh_trat_tu"
    assert fields.model_weight() < 0.05  # twelve decisions weigh little against the lexicon


def test_a_handful_of_wrongish_decisions_never_drops_below_the_lexicon(handful):
    lexicon = _accuracy(FieldClassifier(), TEST)
    assert _accuracy(FieldClassifier(model=handful), TEST) >= lexicon


def test_model_trained_on_the_train_split_reaches_the_target():
    model = train(TRAIN)
    lexicon = _accuracy(FieldClassifier(), TEST)
    mixed = _accuracy(FieldClassifier(model=model), TEST)
    assert mixed >= lexicon and mixed >= 0.85


def test_with_few_held_out_examples_the_lexicon_decides(good, split):
    result = gate_field_model(good, None, split[1][:20])
    assert result.chosen == "lexicon" and result.scores == () and result.version == 0
    assert "20 ví dụ" in result.reason and result.held_out_accuracy is None


def test_a_better_model_is_adopted(good, handful, split):
    previous = gate_field_model(handful, None, split[1], min_held_out=1)
    result = gate_field_model(good, handful, split[1], previous=previous)
    assert result.chosen == "candidate" and result.version == previous.version + 1
    cand, cur, lex = (result.score(n) for n in ("candidate", "current", "lexicon"))
    assert cand and cur and lex and cand.correct > cur.correct and cand.correct >= lex.correct
    assert result.training_size == len(split[0]) and result.held_out_size == len(split[1])
    assert result.fingerprint and result.held_out_accuracy == cand.accuracy
    assert "đã dùng mô hình mới" in result.reason


@pytest.fixture(scope="module")
def worse(split):
    labels = [e.label for e in split[0]]
    random.Random(3).shuffle(labels)
    return train([Example(e.text, lab) for e, lab in zip(split[0], labels, strict=True)])


def test_a_worse_model_is_refused(good, worse, split):
    previous = GateResult("candidate", 4, "abc", len(split[0]), len(split[1]), (), "")
    result = gate_field_model(worse, good, split[1], previous=previous)
    assert result.chosen == "current" and result.version == 4 and result.fingerprint == "abc"
    cand, cur = result.score("candidate"), result.score("current")
    assert cand and cur and cand.correct < cur.correct
    assert "giữ mô hình đang dùng" in result.reason


def test_a_current_model_below_the_lexicon_gives_way_to_the_lexicon(worse, split):
    # mixed so that the model dominates, the shuffled-label model is far below the lexicon
    heavy = FieldClassifier(evidence_half=1.0)
    result = gate_field_model(worse, worse, split[1], fields=heavy)
    lex, cur = result.score("lexicon"), result.score("current")
    assert lex and cur and cur.correct < lex.correct
    assert result.chosen == "lexicon" and result.fingerprint == "" and result.training_size == 0
    assert "dùng từ điển" in result.reason


def test_engine_retrains_through_the_gate_and_pickles_the_decision():
    engine = TriageEngine()
    for e in HANDFUL:
        engine.correct_field(e.text, e.label)
    few = engine.retrain_fields()
    assert few.chosen == "lexicon" and engine.fields.model is None
    for e in TRAIN:
        engine.correct_field(e.text, e.label)
    result = engine.retrain_fields()
    assert result.held_out_size >= 30 and result.scores
    assert (engine.fields.model is not None) == (result.chosen == "candidate")
    again = TriageEngine.from_bytes(engine.to_bytes())
    assert again.field_gate == result
    assert again.triage("Cống thoát nước tắc, đường ngập úng").field.label == (
        "xay_dung_giao_thong"
    )


def test_a_lexicon_pickled_in_the_old_format_is_rebuilt():
    old = FieldLexicon.__new__(FieldLexicon)
    old.__setstate__(
        {
            "lexicon": {"cong_thuong": {"chợ": 1.5}},
            "terms": {"cho": [("cong_thuong", 1.5, "chợ")]},
            "accented": {"cho": "chợ"},
        }
    )
    assert old.scores(*_keys("Tiểu thương chợ Bát Tràng"))[0] == {"cong_thuong": 1.5}
    assert old.scores(*_keys("Thứ trưởng cho rằng"))[0] == {}
