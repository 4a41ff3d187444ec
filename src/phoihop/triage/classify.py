"""Trainable text classifiers (field, reliability risk) and the curated field lexicon."""

from __future__ import annotations

import copy
import io
import json
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC

from .features import FeatureConfig, Featurizer
from .normalize import match_key, normalize_for_match


@dataclass(frozen=True)
class Example:
    """A labelled text (e.g. a staff correction of a field)."""

    text: str
    label: str


class TextEncoder(Protocol):
    """Anything that turns texts into dense vectors, e.g. ``encoders.LocalSentenceEncoder``."""

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


def _with_embeddings(
    x: sp.csr_matrix, embeddings: npt.NDArray[np.float32] | None, weight: float
) -> sp.csr_matrix:
    """N-gram vectors followed by (weighted) dense embedding columns."""
    if embeddings is None:
        return x
    return sp.hstack([x, sp.csr_matrix(embeddings * np.float32(weight))], format="csr")


# the solver visits rows in a random order: seeded, the same examples give the same model
SEED = 0


@dataclass(frozen=True)
class ClassifierConfig:
    features: FeatureConfig = field(
        default_factory=lambda: FeatureConfig(char_ngrams=(2, 3, 4), word_ngrams=(1, 2, 3))
    )
    c: float = 0.5
    class_weight: str | None = "balanced"
    calibration_folds: int = 3
    review_below: float = 0.6  # needs_review when calibrated confidence is below this
    encoder_weight: float = 1.0  # scale of the optional encoder's columns beside the n-grams


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float  # calibrated probability of ``label``
    needs_review: bool
    scores: dict[str, float]  # calibrated probability per label
    top_terms: tuple[str, ...] = ()  # lexicon terms that matched (evidence), if any
    source: str = "model"  # "model", "lexicon" or "model+lexicon"


class _MajorityModel:
    """Fallback when the training set has one label (or too few per label to calibrate)."""

    def __init__(self, labels: Sequence[str]) -> None:
        values, counts = np.unique(np.asarray(labels), return_counts=True)
        self.classes_ = values
        self.proba = counts / counts.sum()

    def predict_proba(self, x: sp.csr_matrix) -> npt.NDArray[np.float64]:
        return np.tile(self.proba, (x.shape[0], 1))


class TextClassifier:
    """Hashed syllable + character n-grams, idf, linear SVM with sigmoid calibration.

    With an optional ``encoder`` (a local sentence encoder) its embeddings are added as
    columns beside the n-grams. The encoder is not pickled: after ``from_bytes`` set
    ``encoder`` again before predicting.
    """

    def __init__(
        self, config: ClassifierConfig | None = None, encoder: TextEncoder | None = None
    ) -> None:
        self.config = config or ClassifierConfig()
        self.featurizer = Featurizer(self.config.features)
        self.model: Any = None
        self.classes: list[str] = []
        self.encoder = encoder
        self.uses_encoder = encoder is not None
        self.n_train = 0  # examples it was fitted on: its evidence when mixed with a prior

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["encoder"] = None
        return state

    def _features(self, texts: Sequence[str]) -> sp.csr_matrix:
        x = self.featurizer.vectors(texts)
        if not self.uses_encoder:
            return x
        if self.encoder is None:
            raise RuntimeError("this classifier was trained with an encoder: set .encoder")
        return _with_embeddings(x, self.encoder.encode(texts), self.config.encoder_weight)

    def fit(self, examples: Sequence[Example]) -> TextClassifier:
        if not examples:
            raise ValueError("no training examples")
        texts = [e.text for e in examples]
        labels = np.asarray([e.label for e in examples])
        self.n_train = len(examples)
        self.featurizer.fit_idf(texts)
        x = self._features(texts)
        _, counts = np.unique(labels, return_counts=True)
        folds = min(self.config.calibration_folds, int(counts.min()))
        if len(counts) < 2:
            self.model = _MajorityModel(labels.tolist())
        else:
            svm = LinearSVC(
                C=self.config.c, class_weight=self.config.class_weight, random_state=SEED
            )
            if folds >= 2:
                model = CalibratedClassifierCV(svm, method="sigmoid", cv=folds, ensemble=False)
            else:
                model = CalibratedClassifierCV(svm, method="sigmoid", cv=2, ensemble=False)
                # too few examples per label for folds: duplicate rows so calibration can run
                x = sp.vstack([x, x]).tocsr()
                labels = np.concatenate([labels, labels])
            model.fit(x, labels)
            self.model = model
        self.classes = [str(c) for c in self.model.classes_]
        return self

    def predict_proba_vectors(self, x: sp.csr_matrix) -> npt.NDArray[np.float64]:
        if self.model is None:
            raise RuntimeError("classifier is not trained")
        proba: npt.NDArray[np.float64] = self.model.predict_proba(x)
        return proba

    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        return self.predict_proba_vectors(self._features(texts))

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        x = self._features(texts)
        proba = self.predict_proba_vectors(x)
        # the label is the SVM's decision (trained on all examples); the confidence is the
        # calibrated probability of that label
        calibrated = getattr(self.model, "calibrated_classifiers_", None)
        if calibrated is not None and len(calibrated) == 1:
            svm = calibrated[0].estimator
            index = {c: i for i, c in enumerate(self.classes)}
            labels = [index[str(c)] for c in svm.predict(x)]
            return self.predictions(proba, labels)
        return self.predictions(proba)

    def predictions(
        self, proba: npt.NDArray[np.float64], labels: Sequence[int] | None = None
    ) -> list[Prediction]:
        out: list[Prediction] = []
        for i, row in enumerate(proba):
            k = int(np.argmax(row)) if labels is None else labels[i]
            conf = float(row[k])
            out.append(
                Prediction(
                    label=self.classes[k],
                    confidence=round(conf, 4),
                    needs_review=conf < self.config.review_below,
                    scores={c: round(float(p), 4) for c, p in zip(self.classes, row, strict=True)},
                )
            )
        return out

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        pickle.dump(self, buf, protocol=pickle.HIGHEST_PROTOCOL)
        return buf.getvalue()

    @staticmethod
    def from_bytes(data: bytes) -> TextClassifier:
        obj = pickle.loads(data)  # noqa: S301 - only bytes written by to_bytes
        if not isinstance(obj, TextClassifier):
            raise TypeError("not a TextClassifier")
        return obj


def train(
    examples: Sequence[Example],
    config: ClassifierConfig | None = None,
    encoder: TextEncoder | None = None,
) -> TextClassifier:
    """Train a classifier from labelled examples (field corrections, reliability labels)."""
    return TextClassifier(config, encoder).fit(examples)


# --- field lexicon ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldInfo:
    code: str
    name: str
    agency: str


def load_fields() -> list[FieldInfo]:
    raw = json.loads(resources.files(__package__).joinpath("data/fields.json").read_text("utf-8"))
    return [FieldInfo(r["code"], r["name"], r["agency"]) for r in raw]


def load_lexicon() -> dict[str, dict[str, float]]:
    """field code → {term: weight}, from data/field_lexicon.json."""
    path = resources.files(__package__).joinpath("data/field_lexicon.json")
    raw: dict[str, dict[str, float]] = json.loads(path.read_text("utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


class FieldLexicon:
    """Weighted term matching over folded syllables (works with or without diacritics).

    A text written with diacritics must agree with a term's diacritics (``cho`` is not
    ``chợ``, ``đặt ở`` is not ``đất ở``); a text written without them matches on the folded
    syllables, and there a one-word term counts half (``dien``: điện or diễn?).
    """

    # share of words carrying diacritics above which a text counts as written with them
    accented_share: float = 0.2

    def __init__(self, lexicon: dict[str, dict[str, float]] | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        # folded key → [(field, weight, term, the term as written, matching form)]
        self.terms: dict[str, list[tuple[str, float, str, str]]] = {}
        self.max_len = 1
        for code, terms in self.lexicon.items():
            for term, weight in terms.items():
                key = match_key(term)
                if not key:
                    continue
                written = normalize_for_match(term)
                self.terms.setdefault(key, []).append((code, float(weight), term, written))
                self.max_len = max(self.max_len, key.count(" ") + 1)
        self.codes = sorted(self.lexicon)
        self.first: dict[str, tuple[int, ...]] = {}
        for key in self.terms:
            head, length = key.split(" ", 1)[0], key.count(" ") + 1
            self.first[head] = tuple(sorted({*self.first.get(head, ()), length}))

    def match(self, key: str, accented: str | None = None) -> dict[str, list[tuple[str, float]]]:
        """field → [(term, weight)] of lexicon terms found in a folded key.

        ``accented`` (the same text before folding) lets terms check diacritics: in a text
        written with diacritics every word of a term must carry the term's own; a word
        written without any diacritics matches its folded form, where a one-word term
        counts half.
        """
        toks = key.split()
        atoks = accented.split() if accented is not None else toks
        if len(atoks) != len(toks):
            atoks = toks
        n = len(toks)
        strict: bool | None = None  # written with diacritics? decided when first needed
        found: dict[str, list[tuple[str, float]]] = {}
        terms = self.terms
        first = self.first
        # positions of words that start some term (most words start none)
        starts = [i for i, t in enumerate(toks) if t in first]
        for i in starts:
            for length in first[toks[i]]:
                if i + length > n:
                    break
                if length == 1:
                    fkey, akey = toks[i], atoks[i]
                else:
                    fkey = " ".join(toks[i : i + length])
                hit = terms.get(fkey)
                if not hit:
                    continue
                if length > 1:
                    akey = " ".join(atoks[i : i + length])
                for code, weight, term, written in hit:
                    factor = 1.0
                    if akey != written:
                        if akey != fkey and not self._agrees(
                            atoks[i : i + length], toks[i : i + length], written
                        ):
                            continue  # the text's diacritics disagree with the term's
                        # some words are written without diacritics: fine in a text written
                        # without them, a mismatch in a text written with them
                        if strict is None:
                            strict = sum(map(str.__ne__, atoks, toks)) >= self.accented_share * n
                        if strict:
                            continue
                        if length == 1:
                            factor = 0.5
                    found.setdefault(code, []).append((term, weight * factor))
        return found

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "accented" in state:  # pickled before terms carried their written form: rebuild
            self.__init__(state["lexicon"])  # type: ignore[misc]
        else:
            self.__dict__.update(state)

    @staticmethod
    def _agrees(span: list[str], folded: list[str], written: str) -> bool:
        """Each word either carries the term's diacritics or none at all."""
        return all(a in (w, f) for a, f, w in zip(span, folded, written.split(), strict=True))

    def scores(
        self, key: str, accented: str | None = None
    ) -> tuple[dict[str, float], dict[str, list[str]]]:
        found = self.match(key, accented)
        scores = {code: sum(w for _, w in hits) for code, hits in found.items()}
        terms = {code: sorted({t for t, _ in hits}) for code, hits in found.items()}
        return scores, terms


class FieldClassifier:
    """Field (lĩnh vực) of a signal: curated lexicon as the prior, refined by a model trained
    on staff decisions.

    Without a model the lexicon decides (softmax over summed term weights, so a single weak
    term gives low confidence). With a model the two distributions are mixed, and the
    model's share grows with its evidence: ``n / (n + evidence_half)`` for a model fitted on
    ``n`` examples. A model trained on a handful of decisions therefore refines the lexicon
    where the lexicon is unsure but cannot override a confident lexicon; one trained on
    ``evidence_half`` examples weighs as much as the lexicon (600: chosen by cross-validation
    on the train split of ``tests/data/complaints``, see ``bench/RESULTS.md``). Where the
    lexicon found nothing the model decides alone.
    """

    def __init__(
        self,
        lexicon: FieldLexicon | None = None,
        model: TextClassifier | None = None,
        default: str = "khac",
        evidence_half: float = 600.0,
        review_below: float = 0.55,
        temperature: float = 1.5,
    ) -> None:
        self.lexicon = lexicon or FieldLexicon()
        self.model = model
        self.default = default
        self.evidence_half = evidence_half
        self.review_below = review_below
        self.temperature = temperature

    def train(self, examples: Sequence[Example], config: ClassifierConfig | None = None) -> None:
        """(Re)train the model part from staff-labelled examples."""
        self.model = train(examples, config)

    def with_model(self, model: TextClassifier | None) -> FieldClassifier:
        """The same lexicon and settings with another model (or none: the lexicon alone)."""
        clone = copy.copy(self)
        clone.model = model
        return clone

    def model_weight(self) -> float:
        """Share of the model in the mix where the lexicon has evidence."""
        if self.model is None:
            return 0.0
        n = float(getattr(self.model, "n_train", 0))
        # engines pickled before the evidence weight existed have no evidence_half
        half = getattr(self, "evidence_half", 600.0)
        return n / (n + half) if n > 0 else 0.0

    def _lexicon_dist(self, scores: dict[str, float]) -> dict[str, float]:
        if not scores:
            return {self.default: 1.0}
        codes = [*scores, self.default] if self.default not in scores else list(scores)
        # the default field competes with a constant score, so weak evidence stays uncertain
        vals = np.array([scores.get(c, 1.0) for c in codes], dtype=np.float64)
        e = np.exp((vals - vals.max()) * self.temperature)
        p = e / e.sum()
        return {c: float(x) for c, x in zip(codes, p, strict=True)}

    def classify_keys(
        self, keys: Sequence[str], texts: Sequence[str], accented: Sequence[str] | None = None
    ) -> list[Prediction]:
        proba = None
        if self.model is not None:
            proba = self.model.predict_proba(texts)
        weight = self.model_weight()
        out: list[Prediction] = []
        for i, key in enumerate(keys):
            lex_scores, terms = self.lexicon.scores(key, accented[i] if accented else None)
            dist = self._lexicon_dist(lex_scores)
            source = "lexicon"
            if proba is not None and self.model is not None:
                w = weight if lex_scores else 1.0
                merged = {c: (1 - w) * p for c, p in dist.items()} if lex_scores else {}
                for c, p in zip(self.model.classes, proba[i], strict=True):
                    merged[c] = merged.get(c, 0.0) + w * float(p)
                dist = merged
                source = "model+lexicon" if lex_scores else "model"
            label = max(dist, key=lambda c: dist[c])
            conf = dist[label]
            if source == "lexicon" and not lex_scores:
                conf = 1.0 / max(2, len(self.lexicon.codes))  # no evidence at all
            out.append(
                Prediction(
                    label=label,
                    confidence=round(conf, 4),
                    needs_review=conf < self.review_below,
                    scores={c: round(p, 4) for c, p in sorted(dist.items(), key=lambda kv: -kv[1])},
                    top_terms=tuple(terms.get(label, ())),
                    source=source,
                )
            )
        return out

    def classify(self, texts: Sequence[str]) -> list[Prediction]:
        acc = [normalize_for_match(t) for t in texts]
        return self.classify_keys([match_key(a) for a in acc], texts, acc)


DEFAULT_GRID: tuple[ClassifierConfig, ...] = tuple(
    ClassifierConfig(features=f, c=c)
    for f in (
        FeatureConfig(char_ngrams=(), word_ngrams=(1, 2)),
        FeatureConfig(char_ngrams=(2, 3, 4), word_ngrams=(1, 2, 3)),
    )
    for c in (0.3, 1.0, 3.0)
)


@dataclass(frozen=True)
class Selection:
    config: ClassifierConfig
    cv_macro_f1: float
    tried: tuple[tuple[str, float], ...]  # (description, cross-validated macro-F1)


def select_config(
    examples: Sequence[Example],
    grid: Sequence[ClassifierConfig] = DEFAULT_GRID,
    folds: int = 5,
    seed: int = 0,
    encoder: TextEncoder | None = None,
) -> Selection:
    """Pick the configuration with the best cross-validated macro-F1 on ``examples`` only
    (with ``encoder``, its embeddings join the n-grams as in ``TextClassifier``)."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    texts = [e.text for e in examples]
    labels = np.asarray([e.label for e in examples])
    _, counts = np.unique(labels, return_counts=True)
    k = max(2, min(folds, int(counts.min())))
    splits = list(StratifiedKFold(k, shuffle=True, random_state=seed).split(texts, labels))
    emb = encoder.encode(texts) if encoder is not None else None
    tried: list[tuple[str, float]] = []
    best: tuple[float, ClassifierConfig] | None = None
    cache: dict[FeatureConfig, list[tuple[sp.csr_matrix, sp.csr_matrix]]] = {}
    for cfg in grid:
        if cfg.features not in cache:
            mats = []
            for tr, te in splits:
                fz = Featurizer(cfg.features).fit_idf([texts[i] for i in tr])
                xtr, xte = (
                    _with_embeddings(
                        fz.vectors([texts[i] for i in part]),
                        None if emb is None else emb[part],
                        cfg.encoder_weight,
                    )
                    for part in (tr, te)
                )
                mats.append((xtr, xte))
            cache[cfg.features] = mats
        scores = []
        for (tr, te), (xtr, xte) in zip(splits, cache[cfg.features], strict=True):
            svm = LinearSVC(C=cfg.c, class_weight=cfg.class_weight, random_state=SEED)
            svm.fit(xtr, labels[tr])
            scores.append(f1_score(labels[te], svm.predict(xte), average="macro"))
        score = float(np.mean(scores))
        f = cfg.features
        tried.append((f"char{f.char_ngrams} word{f.word_ngrams} C={cfg.c}", round(score, 4)))
        if best is None or score > best[0]:
            best = (score, cfg)
    assert best is not None
    return Selection(best[1], round(best[0], 4), tuple(tried))
