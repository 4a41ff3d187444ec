"""Matching texts against a registry of rebutted false claims."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .classify import TextEncoder
from .features import FeatureConfig, Featurizer
from .normalize import normalize_text, strip_diacritics

_SENTENCE = re.compile(r"(?<=[.!?…;])\s+|\n+")
# Links, @mentions and #hashtags say where a post was, not what it claims.
_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#][^\s#@]+")
# How a registry entry reports a claim ("Tin lan truyền nói …", "Bài đăng trên mạng xã hội
# cho rằng …"): the report, not the claim; matched on the folded lower-case text.
_FRAMING = re.compile(
    r"^(?:(?:co |mot )?(?:tin|thong tin|bai|bai dang|bai viet|clip|video|trang|tai khoan|"
    r"nguoi|mot so|cac|nhieu|doi tuong)\b[^,.;:]{0,70}?)\b"
    r"(?:cho rang|noi rang|noi|rang|loan tin|tung tin|dua tin|khang dinh|tuyen truyen)\s+"
)
# Chat spellings and everyday synonyms of claims, folded: paraphrases on Zalo or Facebook
# reach the same n-grams as the registry's wording.
_CANONICAL: dict[str, str] = {
    "bv": "benh vien",
    "bvdk": "benh vien da khoa",
    "bs": "bac si",
    "ko": "khong",
    "k": "khong",
    "kg": "khong",
    "kh": "khong",
    "hok": "khong",
    "hong": "khong",
    "dc": "duoc",
    "ng": "nguoi",
    "ngta": "nguoi ta",
    "vs": "voi",
    "tu vong": "chet",
    "qua doi": "chet",
    "thiet mang": "chet",
    "tu choi": "khong chiu",
    "khong nhan": "khong chiu",
}
# Chat filler around a claim ("nghe nói…", "mọi người chia sẻ giúp") and causal links
# that paraphrases swap freely ("khiến", "nên", "làm cho"), folded.
_FILLER = re.compile(
    r"\b(?:nghe noi|nghe don|nghe bao|hinh nhu|moi nguoi oi|moi nguoi chia se giup|"
    r"moi nguoi chia se|chia se giup|share giup|khien cho|khien|lam cho|nen|mot)\b"
)
_CANONICAL_RE = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _CANONICAL), key=len, reverse=True)) + r")\b"
)
_NON_WORD = re.compile(r"[^\w\s]+|_")
# multilingual-e5's cosine of two unrelated Vietnamese sentences is rarely below this: the
# encoder's share of the blend starts from here. Floor and weight were chosen on vnPara train
# (bench/RESULTS.md, "claims" of the encoder section)
ENCODER_FLOOR = 0.7
ENCODER_WEIGHT = 0.7


def split_sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE.split(normalize_text(text.replace("\n", " \n ")))]
    return [p for p in parts if len(p) >= 3] or [text]


def matching_form(text: str, *, registry_entry: bool = False) -> str:
    """The folded form both claims and posts are compared in: no links, tags or diacritics
    (half of all posts are typed without them), chat spellings and common synonyms unified;
    a registry entry also loses the words that report the claim rather than state it."""
    text = strip_diacritics(_NOISE.sub(" ", normalize_text(text))).lower()
    text = " ".join(_NON_WORD.sub(" ", text).split())
    if registry_entry:
        framed = _FRAMING.match(text)
        # keep the report when what follows is too short to be a claim on its own
        if framed and len(text) - framed.end() >= 20:
            text = text[framed.end() :]
    text = _CANONICAL_RE.sub(lambda m: _CANONICAL[m.group(0)], text)
    return " ".join(_FILLER.sub(" ", text).split())


@dataclass(frozen=True)
class Claim:
    claim_id: str
    text: str
    rebuttal: str = ""  # link or summary of the official rebuttal


@dataclass(frozen=True)
class ClaimMatch:
    claim_id: str
    claim_text: str
    score: float  # cosine (0–1) of the best passage; with an encoder, the blended score
    passage: str  # the sentence of the query that matched best
    rebuttal: str


class ClaimRegistry:
    """Two-stage search: an inverted index over rare syllable n-grams proposes candidates
    (sparse top-k), which are re-ranked by exact cosine on character + syllable n-grams.

    With an optional ``encoder`` a second candidate source joins the index: the
    ``dense_candidates`` claims nearest to each passage by embedding cosine (one dense product
    over the whole registry, which is small in the product: hundreds to a few thousand
    claims), so a rumour reworded with no rare word in common still reaches the re-rank. Then
    the index's ``shortlist`` best candidates and the nearest ones are re-ranked by
    ``(1 - encoder_weight) · n-gram cosine + encoder_weight · embedding score``, where the
    embedding score is the cosine rescaled from ``encoder_floor`` (e5's cosine of unrelated
    sentences is rarely below it) to 1, so unrelated text does not pass ``min_score`` on the
    encoder alone. With an encoder, ``encoder_min_score`` (when set) replaces ``min_score``:
    blended scores are on another scale than n-gram cosines. The encoder reads each sentence
    of a text once; the whole text of several sentences, matched beside them, keeps the
    n-gram score and ``min_score``. Claim embeddings are computed once per registry (through
    the encoder's cache, so each claim text is embedded once). The encoder is not pickled.
    """

    # class defaults: registries pickled before the encoder stage existed
    encoder: TextEncoder | None = None
    encoder_weight: float = ENCODER_WEIGHT
    shortlist: int = 20
    dense_candidates: int = 10
    encoder_floor: float = ENCODER_FLOOR
    encoder_min_score: float | None = None
    _dense: np.ndarray | None = None
    _dense_encoder: object | None = None
    _by_feature: sp.csr_matrix | None = None

    def __init__(
        self,
        claims: Sequence[Claim] = (),
        candidates: int = 30,
        max_df: float = 0.02,
        min_score: float = 0.3,
        encoder: TextEncoder | None = None,
        encoder_weight: float = ENCODER_WEIGHT,
        shortlist: int = 20,
        dense_candidates: int = 10,
        encoder_floor: float = ENCODER_FLOOR,
        encoder_min_score: float | None = None,
    ) -> None:
        self.claims: list[Claim] = list(claims)
        self.candidates = candidates
        self.max_df = max_df
        self.min_score = min_score
        self.encoder = encoder
        self.encoder_weight = encoder_weight
        self.shortlist = shortlist
        self.dense_candidates = dense_candidates
        self.encoder_floor = encoder_floor
        self.encoder_min_score = encoder_min_score
        self._dense = None  # claims × dim embeddings, built on first use with an encoder
        self._dense_encoder: object | None = None  # the encoder that built them
        self.full = Featurizer(FeatureConfig(accented_words=False))
        self.rare = Featurizer(
            FeatureConfig(char_ngrams=(), word_ngrams=(1, 2, 3), accented_words=False)
        )
        self._vectors: sp.csr_matrix | None = None  # claims × features
        self._by_feature: sp.csr_matrix | None = None  # its transpose, kept as CSR
        self._inverted: sp.csr_matrix | None = None  # features × claims
        if self.claims:
            self.build()

    def add(self, claims: Sequence[Claim]) -> None:
        self.claims.extend(claims)
        self.build()

    def build(self) -> None:
        texts = [matching_form(c.text, registry_entry=True) for c in self.claims]
        self._vectors = self.full.fit_transform(texts)
        rare = self.rare.fit_transform(texts).tocsc()
        df = np.diff(rare.indptr)
        limit = max(2, int(self.max_df * len(texts)))
        keep = (df > 0) & (df <= limit)
        mask = sp.diags(keep.astype(np.float32))
        self._inverted = (rare @ mask).T.tocsr()
        self._inverted.eliminate_zeros()
        self._by_feature = None
        self._dense = None

    def __len__(self) -> int:
        return len(self.claims)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["encoder"] = None
        state["_by_feature"] = None  # rebuilt on first use: the pickle stays as small
        state["_dense"] = state["_dense_encoder"] = None
        return state

    def claim_embeddings(self) -> np.ndarray:
        """Every claim's embedding (claims × dim), computed once per registry and encoder."""
        assert self.encoder is not None
        if self._dense is None or self._dense_encoder is not self.encoder:
            self._dense = np.asarray(
                self.encoder.encode([c.text for c in self.claims]), dtype=np.float32
            )
            self._dense_encoder = self.encoder
        return self._dense

    def _blend(
        self, cos: np.ndarray, ids: np.ndarray, sims: np.ndarray, near: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """One passage's candidates re-scored by the blend: the index's ``shortlist`` best by
        n-gram cosine and the ``near`` claims by embedding (``cos``: passage · every claim;
        ``sims``: n-gram cosine of each id in ``ids``, then of each id in ``near``)."""
        ng_ids, ng_sims = ids[: len(ids) - len(near)], sims[: len(ids) - len(near)]
        if len(ng_ids) > self.shortlist:
            top = np.argpartition(-ng_sims, self.shortlist)[: self.shortlist]
            ng_ids, ng_sims = ng_ids[top], ng_sims[top]
        extra = ~np.isin(near, ng_ids)
        ids = np.concatenate([ng_ids, near[extra]])
        sims = np.concatenate([ng_sims, sims[len(sims) - len(near) :][extra]])
        floor = self.encoder_floor
        score = np.clip((cos[ids] - floor) / (1.0 - floor), 0.0, 1.0)
        w = self.encoder_weight
        return ids, (1 - w) * sims + w * score

    def _candidate_ids(self, q_rare: sp.csr_matrix) -> list[np.ndarray]:
        assert self._inverted is not None
        scores = (q_rare @ self._inverted).tocsr()
        out = []
        for i in range(scores.shape[0]):
            a, b = scores.indptr[i], scores.indptr[i + 1]
            idx, val = scores.indices[a:b], scores.data[a:b]
            if len(idx) > self.candidates:
                top = np.argpartition(-val, self.candidates)[: self.candidates]
                idx = idx[top]
            out.append(idx)
        return out

    def match_many(
        self, texts: Sequence[str], k: int = 5, sentences: bool = True
    ) -> list[list[ClaimMatch]]:
        if not self.claims or self._vectors is None:
            return [[] for _ in texts]
        passages: list[str] = []
        owner: list[int] = []
        wholes: set[int] = set()  # a text of several sentences, after them
        for i, t in enumerate(texts):
            parts = split_sentences(t) if sentences else [t]
            if sentences and len(parts) > 1:
                parts = [*parts, t]
                wholes.add(len(passages) + len(parts) - 1)
            passages.extend(parts)
            owner.extend([i] * len(parts))
        forms = [matching_form(p) for p in passages]
        cand = self._candidate_ids(self.rare.vectors(forms))
        # with an encoder, every sentence in one batch against every claim (passages ×
        # claims). A text of several sentences is not embedded a second time whole: the
        # encoder would read each sentence twice, and the whole text is there for the n-grams
        # (a claim whose words are spread over sentences), so it keeps their score and threshold
        cosines: np.ndarray | None = None
        near: dict[int, np.ndarray] = {}
        if self.encoder is not None:
            dense = [p for p in range(len(passages)) if p not in wholes]
            cosines = np.zeros((len(passages), len(self.claims)), dtype=np.float32)
            cosines[dense] = (
                self.encoder.encode([passages[p] for p in dense]) @ self.claim_embeddings().T
            )
            n_near = min(self.dense_candidates, len(self.claims))
            for p in dense:
                top = np.argpartition(-cosines[p], n_near - 1)[:n_near] if n_near else ()
                near[p] = np.asarray(top, dtype=np.int64)
                # the nearest claims join the index's candidates (n-gram ones first)
                cand[p] = np.concatenate([cand[p].astype(np.int64), near[p]])
        # one product for every passage with a candidate against every claim (sparse);
        # transposing a query row per passage would cost the whole feature space each time,
        # and most passages share no rare term with any claim, so they are not vectorised
        shortlisted = [p for p, ids in enumerate(cand) if len(ids)]
        if self._by_feature is None:
            # once per registry: a product with the transpose as it comes (CSC) converted
            # it, every claim's vector, on every call (4 ms per signal with 500 claims)
            self._by_feature = self._vectors.T.tocsr()
        row_of = {p: r for r, p in enumerate(shortlisted)}
        sims_all = (
            (self.full.vectors([forms[p] for p in shortlisted]) @ self._by_feature).tocsr()
            if shortlisted
            else sp.csr_matrix((0, len(self.claims)))
        )
        results: list[dict[int, tuple[float, str]]] = [{} for _ in texts]
        blend_min = self.min_score if self.encoder_min_score is None else self.encoder_min_score
        for p, ids in enumerate(cand):
            if len(ids) == 0:
                continue
            r = row_of[p]
            a, b = sims_all.indptr[r], sims_all.indptr[r + 1]
            row = dict(
                zip(sims_all.indices[a:b].tolist(), sims_all.data[a:b].tolist(), strict=True)
            )
            sims = np.array([row.get(cid, 0.0) for cid in ids.tolist()], dtype=np.float64)
            min_score = self.min_score
            if cosines is not None and p in near:
                ids, sims = self._blend(cosines[p], ids, sims, near[p])
                min_score = blend_min
            best = results[owner[p]]
            for cid, s in zip(ids.tolist(), sims.tolist(), strict=True):
                if s >= min_score and (cid not in best or s > best[cid][0]):
                    best[cid] = (s, passages[p])
        out: list[list[ClaimMatch]] = []
        for best in results:
            ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:k]
            out.append(
                [
                    ClaimMatch(
                        self.claims[cid].claim_id,
                        self.claims[cid].text,
                        round(s, 4),
                        passage,
                        self.claims[cid].rebuttal,
                    )
                    for cid, (s, passage) in ranked
                ]
            )
        return out

    def match(self, text: str, k: int = 5) -> list[ClaimMatch]:
        return self.match_many([text], k)[0]
