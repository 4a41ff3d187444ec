"""Grouping signals into issues: a MinHash LSH candidate index, exact cosine verification,
two-threshold decisions (auto-join / suggest / new) and threshold tuning from staff feedback.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import chain
from operator import itemgetter

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .features import U64, Batch, Featurizer, SparseStore, _mix, pair_cosines


@dataclass(frozen=True)
class Thresholds:
    """Cosine similarity levels: ≥ auto_join joins automatically, ≥ suggest asks staff."""

    auto_join: float = 0.65
    suggest: float = 0.45

    def decide(self, score: float) -> Decision:
        if score >= self.auto_join:
            return Decision.JOIN
        if score >= self.suggest:
            return Decision.SUGGEST
        return Decision.NEW


class Decision(StrEnum):
    JOIN = "join"
    SUGGEST = "suggest"
    NEW = "new"


@dataclass(frozen=True)
class Neighbour:
    """A nearby issue and the representative signal that was closest."""

    issue_id: str
    signal_id: str
    score: float


@dataclass(frozen=True)
class GroupDecision:
    """What to do with a signal, with the evidence."""

    action: Decision
    issue_id: str | None  # issue to join (JOIN) or proposed (SUGGEST); None for NEW
    score: float  # best cosine similarity found (0 if no candidate)
    neighbours: tuple[Neighbour, ...]  # best representative per nearby issue, best first
    candidates_checked: int  # representatives verified exactly (from the LSH index)
    thresholds: Thresholds
    reason: str


@dataclass(frozen=True)
class IndexConfig:
    bands: int = 21
    rows: int = 3
    max_bucket: int = 400  # buckets stop growing beyond this (boilerplate guard)
    max_candidates: int = 24  # verified per signal, most band hits first
    single_hit_candidates: int = 6  # of those sharing only one LSH band (likely chance)
    verify_top: int = 4  # best by estimated Jaccard (signatures) verified by exact cosine
    max_reps_per_issue: int = 6
    rep_novelty: float = 0.8  # a joined signal below this similarity becomes a representative
    top_neighbours: int = 5
    # Below this many live representatives every query is scored against all of them by
    # exact cosine (one sparse product) instead of LSH candidates: at provincial scale the
    # decisions are those of brute force, and a short signal still finds a long issue text
    # whose shingle sets share too little for LSH. ``exact_max_pairs`` bounds the work of
    # one call (signals × representatives): larger bulk batches use the LSH path.
    exact_below: int = 20_000
    exact_max_pairs: int = 1_000_000
    exact_top: int = 32  # best representatives kept per signal from the exact scores


# exact fallback: blocks of at least this many representatives keep an inverted index
_INVERTED_FROM = 256


@dataclass(frozen=True)
class LabelledPair:
    """Staff feedback on a pair: their similarity score and whether they are the same issue."""

    score: float
    same: bool


def tune_thresholds(
    pairs: Sequence[LabelledPair],
    current: Thresholds | None = None,
    target_precision: float = 0.97,
    target_recall: float = 0.97,
    min_pairs: int = 10,
) -> Thresholds:
    """New thresholds from labelled pairs (staff merges = same, splits/rejections = not same).

    auto_join is the lowest score whose "≥ score" set reaches ``target_precision``;
    suggest is the highest score that still keeps ``target_recall`` of same-issue pairs at or
    above it (never above auto_join). With fewer than ``min_pairs`` labels the current
    thresholds are blended towards the estimate in proportion to the evidence.
    """
    current = current or Thresholds()
    if not pairs:
        return current
    scores = np.array([p.score for p in pairs], dtype=np.float64)
    labels = np.array([p.same for p in pairs], dtype=bool)
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], labels[order]
    tp = np.cumsum(y)
    precision = tp / np.arange(1, len(y) + 1)
    auto = current.auto_join
    ok = np.flatnonzero(precision >= target_precision)
    if len(ok):
        # the deepest prefix that is still precise enough; its last score is the threshold
        auto = float(s[ok[-1]])
        # halfway to the next (lower) score, so that score itself is excluded
        nxt = ok[-1] + 1
        if nxt < len(s) and s[nxt] < auto:
            auto = float((auto + s[nxt]) / 2)
    elif labels.any():
        auto = float(s[0]) + 1e-6
    sugg = current.suggest
    if labels.any():
        pos = np.sort(scores[labels])
        k = int(np.floor((1.0 - target_recall) * len(pos)))
        sugg = float(pos[min(k, len(pos) - 1)]) - 1e-6
    sugg = min(sugg, auto)
    w = min(1.0, len(pairs) / float(min_pairs))
    auto = w * auto + (1 - w) * current.auto_join
    sugg = w * sugg + (1 - w) * current.suggest
    return Thresholds(auto_join=round(auto, 4), suggest=round(min(sugg, auto), 4))


@dataclass
class _Issue:
    reps: list[int] = field(default_factory=list)
    size: int = 0


class IssueIndex:
    """Representatives of issues in a MinHash LSH index, verified by exact cosine.

    Not every signal is indexed: a new issue's first signal is, and a joined signal only when
    it adds variety (similarity below ``rep_novelty``), up to ``max_reps_per_issue``.
    """

    def __init__(
        self,
        featurizer: Featurizer,
        thresholds: Thresholds | None = None,
        config: IndexConfig | None = None,
    ) -> None:
        self.featurizer = featurizer
        self.thresholds = thresholds or Thresholds()
        self.config = config or IndexConfig()
        if self.config.bands * self.config.rows > featurizer.config.num_perm:
            raise ValueError("bands × rows must not exceed num_perm")
        self.store = SparseStore()
        self._sigs = np.zeros((1024, featurizer.config.num_perm), dtype=np.uint32)
        self.rep_issue: list[str] = []
        self.rep_signal: list[str] = []
        self.rep_alive: list[bool] = []
        self._dead = 0  # representatives removed (rep_alive False)
        self.buckets: dict[int, list[int]] = {}
        self.issues: dict[str, _Issue] = {}
        # representative vectors as CSR blocks for the exact fallback (built lazily)
        self._blocks: list[tuple[int, sp.csr_matrix, sp.csr_matrix | None]] = []
        self._band_salt = _mix(np.arange(1, self.config.bands + 1, dtype=U64) * U64(0x51ED27))

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state.pop("_blocks", None)  # derived from the store; rebuilt on the next exact query
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        rep_alive = self.rep_alive
        self._dead = len(rep_alive) - sum(rep_alive)

    def _kill(self, rep: int) -> None:
        if self.rep_alive[rep]:
            self.rep_alive[rep] = False
            self._dead += 1

    # -- LSH keys ---------------------------------------------------------------------------
    def band_keys(self, sig: npt.NDArray[np.uint32]) -> list[list[int]]:
        b, r = self.config.bands, self.config.rows
        x = sig[:, : b * r].astype(U64).reshape(sig.shape[0], b, r)
        h = np.broadcast_to(self._band_salt, (sig.shape[0], b)).copy()
        for c in range(r):
            h = _mix(h ^ (x[:, :, c] + U64(0x9E3779B97F4A7C15)))
        keys: list[list[int]] = h.tolist()
        return keys

    def _candidates(self, keys: list[int]) -> list[int]:
        lists = [b for b in map(self.buckets.get, keys) if b]
        if not lists:
            return []
        # band hits per representative, in first-seen order (Counter counts in C)
        hits: dict[int, int] = (
            Counter(chain.from_iterable(lists)) if len(lists) > 1 else dict.fromkeys(lists[0], 1)
        )
        if self._dead:
            alive = self.rep_alive
            hits = {r: h for r, h in hits.items() if alive[r]}
        return self._shortlist(hits)

    def _prune(
        self,
        cands: list[list[int]],
        qsig: npt.NDArray[np.uint32],
        store: npt.NDArray[np.uint32],
    ) -> list[list[int]]:
        """Keep each query's ``verify_top`` candidates by signature agreement (≈ Jaccard)."""
        k = self.config.verify_top
        if not any(len(c) > k for c in cands):
            return cands
        rows = np.repeat(np.arange(len(cands)), [len(c) for c in cands])
        flat = np.fromiter((r for c in cands for r in c), dtype=np.int64, count=len(rows))
        est = (store[flat] == qsig[rows]).sum(axis=1).tolist()
        out: list[list[int]] = []
        pos = 0
        for c in cands:
            if len(c) > k:
                e = est[pos : pos + len(c)]
                order = sorted(range(len(c)), key=lambda t: -e[t])[:k]
                out.append([c[t] for t in order])
            else:
                out.append(c)
            pos += len(c)
        return out

    def _shortlist(self, hits: dict[int, int]) -> list[int]:
        """Candidates to verify: those sharing ≥ 2 bands first, a few single-band ones."""
        cfg = self.config
        if len(hits) <= cfg.single_hit_candidates:
            return list(hits)
        # most hits first, first-seen order among equals (sorted is stable, and all in C)
        ranked = sorted(hits.items(), key=itemgetter(1), reverse=True)
        n_multi = 0
        for _, h in ranked[: cfg.max_candidates]:
            if h < 2:
                break
            n_multi += 1
        return [r for r, _ in ranked[: n_multi + cfg.single_hit_candidates]]

    def _insert(
        self,
        issue_id: str,
        signal_id: str,
        keys: list[int],
        vec: sp.csr_matrix | tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]],
        sig: npt.NDArray[np.uint32],
    ) -> int:
        rep = len(self.rep_issue)
        if rep >= len(self._sigs):
            grown = np.zeros((2 * len(self._sigs), self._sigs.shape[1]), dtype=np.uint32)
            grown[: len(self._sigs)] = self._sigs
            self._sigs = grown
        self._sigs[rep] = sig
        self.rep_issue.append(issue_id)
        self.rep_signal.append(signal_id)
        self.rep_alive.append(True)
        if isinstance(vec, tuple):  # (indices, data) of one row
            self.store.indices.append(vec[0])
            self.store.data.append(vec[1])
        else:
            self.store.append_rows(vec)
        cap = self.config.max_bucket
        buckets = self.buckets
        for key in keys:
            bucket = buckets.get(key)
            if bucket is None:
                buckets[key] = [rep]
            elif len(bucket) < cap:
                bucket.append(rep)
        self.issues.setdefault(issue_id, _Issue()).reps.append(rep)
        return rep

    # -- exact fallback ---------------------------------------------------------------------
    def _use_exact(self, n_queries: int, exact: bool | None) -> bool:
        if exact is not None:
            return exact
        live = self.n_representatives
        cfg = self.config
        if live >= cfg.exact_below:
            return False
        return n_queries * live + n_queries * n_queries // 2 <= cfg.exact_max_pairs

    def _rep_blocks(self) -> list[tuple[int, sp.csr_matrix, sp.csr_matrix | None]]:
        """All representative vectors as a few CSR blocks (offset, rows, and for a large
        block its feature-major transpose: an inverted index), merged by size so that
        appending one representative costs amortised O(log n) copies."""
        blocks: list[tuple[int, sp.csr_matrix, sp.csr_matrix | None]]
        blocks = self.__dict__.setdefault("_blocks", [])
        n = len(self.rep_issue)
        done = blocks[-1][0] + blocks[-1][1].shape[0] if blocks else 0
        if done < n:
            rows = self.store.rows(range(done, n), self.featurizer.n_features)
            blocks.append((done, rows, None))
            while len(blocks) >= 2 and blocks[-2][1].shape[0] <= 2 * blocks[-1][1].shape[0]:
                (off, x, _), (_, y, _) = blocks[-2], blocks[-1]
                blocks[-2:] = [(off, sp.vstack([x, y], format="csr"), None)]
            off, x, t = blocks[-1]
            if t is None and x.shape[0] >= _INVERTED_FROM:
                blocks[-1] = (off, x, x.T.tocsr())
        return blocks

    def _exact_candidates(
        self, vectors: sp.csr_matrix
    ) -> tuple[list[list[int]], list[npt.NDArray[np.float32]], int]:
        """Per query, the best live representatives by exact cosine (and their scores)."""
        m = vectors.shape[0]
        alive = np.asarray(self.rep_alive, dtype=bool)
        n_live = int(alive.sum())
        sims = np.zeros((m, len(alive)), dtype=np.float32)
        dense: npt.NDArray[np.float32] | None = None
        for off, x, t in self._rep_blocks():
            r = x.shape[0]
            if t is not None:  # inverted index: touches only the postings of query features
                sims[:, off : off + r] = (vectors @ t).toarray()
                continue
            # a small block: scatter each query densely and gather along the block's entries
            if dense is None:
                dense = np.zeros(vectors.shape[1], dtype=np.float32)
            row_of = np.repeat(np.arange(r), np.diff(x.indptr))
            for i in range(m):
                a, b = vectors.indptr[i], vectors.indptr[i + 1]
                q = vectors.indices[a:b]
                dense[q] = vectors.data[a:b]
                sims[i, off : off + r] = np.bincount(
                    row_of, weights=x.data * dense[x.indices], minlength=r
                )
                dense[q] = 0.0
        k = self.config.exact_top
        cands: list[list[int]] = []
        scores: list[npt.NDArray[np.float32]] = []
        for i in range(m):
            row = sims[i]
            idx = np.flatnonzero(alive & (row > 0))
            val = row[idx]
            if len(idx) > k:
                top = np.argpartition(-val, k - 1)[:k]
                idx, val = idx[top], val[top]
            order = np.argsort(-val, kind="stable")
            cands.append(idx[order].tolist())
            scores.append(val[order])
        return cands, scores, n_live

    # -- decisions --------------------------------------------------------------------------
    def _neighbours(self, reps: Sequence[int], scores: npt.NDArray[np.float32]) -> list[Neighbour]:
        best: dict[str, tuple[float, int]] = {}
        for rep, score in zip(reps, scores.tolist(), strict=True):
            issue = self.rep_issue[rep]
            cur = best.get(issue)
            if cur is None or score > cur[0]:
                best[issue] = (score, rep)
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[: self.config.top_neighbours]
        return [Neighbour(i, self.rep_signal[r], round(s, 4)) for i, (s, r) in ranked]

    def _decision(self, neighbours: list[Neighbour], checked: int) -> GroupDecision:
        th = self.thresholds
        if not neighbours:
            return GroupDecision(
                Decision.NEW,
                None,
                0.0,
                (),
                checked,
                th,
                "Không có vấn đề nào tương tự trong chỉ mục; đề xuất tạo vấn đề mới.",
            )
        top = neighbours[0]
        action = th.decide(top.score)
        if action is Decision.JOIN:
            reason = (
                f"Độ tương đồng {top.score:.2f} ≥ ngưỡng tự động gộp {th.auto_join:.2f} "
                f"với vấn đề {top.issue_id}."
            )
            target: str | None = top.issue_id
        elif action is Decision.SUGGEST:
            reason = (
                f"Độ tương đồng {top.score:.2f} nằm giữa ngưỡng gợi ý {th.suggest:.2f} và ngưỡng "
                f"tự động gộp {th.auto_join:.2f}: đề nghị cán bộ xem xét gộp vào {top.issue_id}."
            )
            target = top.issue_id
        else:
            reason = (
                f"Độ tương đồng cao nhất {top.score:.2f} < ngưỡng gợi ý {th.suggest:.2f}; "
                "đề xuất tạo vấn đề mới."
            )
            target = None
        return GroupDecision(action, target, top.score, tuple(neighbours), checked, th, reason)

    def query(self, batch: Batch, exact: bool | None = None) -> list[GroupDecision]:
        """Decisions for each text of a batch against the index (read-only).

        ``exact`` forces (True) or forbids (False) exact scoring against every live
        representative; by default it is used while the index is small (``exact_below``).
        """
        if self._use_exact(batch.vectors.shape[0], exact):
            cands, cscores, n_live = self._exact_candidates(batch.vectors)
            return [
                self._decision(self._neighbours(c, s), n_live)
                for c, s in zip(cands, cscores, strict=True)
            ]
        sig = self.featurizer.signatures(batch)
        all_keys = self.band_keys(sig)
        cand = self._prune([self._candidates(k) for k in all_keys], sig, self._sigs)
        qrows = np.repeat(np.arange(len(cand)), [len(c) for c in cand])
        flat = [r for c in cand for r in c]
        scores = pair_cosines(
            batch.vectors[qrows], self.store.rows(flat, self.featurizer.n_features)
        )
        out: list[GroupDecision] = []
        pos = 0
        for c in cand:
            s = scores[pos : pos + len(c)]
            pos += len(c)
            out.append(self._decision(self._neighbours(c, s), len(c)))
        return out

    def _lsh_candidates(
        self, batch: Batch, sig: npt.NDArray[np.uint32], all_keys: list[list[int]]
    ) -> tuple[
        list[list[int]],
        list[npt.NDArray[np.float32]],
        list[list[int]],
        list[npt.NDArray[np.float32]],
    ]:
        """LSH candidates (with exact cosines) among representatives and earlier batch rows."""
        n = len(all_keys)
        local: dict[int, list[int]] = {}
        g_cand: list[list[int]] = []
        l_cand: list[list[int]] = []
        cap = self.config.max_bucket
        get = local.get
        for i, keys in enumerate(all_keys):
            g_cand.append(self._candidates(keys))
            # earlier rows of this batch sharing a band (counted before this row is added)
            lists = [b for b in map(get, keys) if b]
            seen: dict[int, int] = (
                Counter(chain.from_iterable(lists))
                if len(lists) > 1
                else dict.fromkeys(lists[0], 1)
                if lists
                else {}
            )
            for key in keys:
                bucket = get(key)
                if bucket is None:
                    local[key] = [i]
                elif len(bucket) < cap:
                    bucket.append(i)
            l_cand.append(self._shortlist(seen))
        nf = self.featurizer.n_features
        g_cand = self._prune(g_cand, sig, self._sigs)
        l_cand = self._prune(l_cand, sig, sig)
        gq = np.repeat(np.arange(n), [len(c) for c in g_cand])
        g_flat = [r for c in g_cand for r in c]
        g_scores = pair_cosines(batch.vectors[gq], self.store.rows(g_flat, nf))
        lq = np.repeat(np.arange(n), [len(c) for c in l_cand])
        l_flat = np.array([j for c in l_cand for j in c], dtype=np.int64)
        l_scores = pair_cosines(batch.vectors[lq], batch.vectors[l_flat])
        g_cuts = np.cumsum([len(c) for c in g_cand])[:-1]
        l_cuts = np.cumsum([len(c) for c in l_cand])[:-1]
        return g_cand, np.split(g_scores, g_cuts), l_cand, np.split(l_scores, l_cuts)

    def ingest(
        self,
        batch: Batch,
        signal_ids: Sequence[str],
        new_issue_ids: Sequence[str] | None = None,
        join_suggestions: bool = False,
        exact: bool | None = None,
    ) -> list[GroupDecision]:
        """Decide and commit a batch of signals in arrival order (equivalent to one at a time).

        A JOIN adds the signal to the issue; NEW (and SUGGEST unless ``join_suggestions``)
        opens a new issue whose id is ``new_issue_ids[i]`` (default: the signal id).
        """
        n = len(signal_ids)
        sig = self.featurizer.signatures(batch)
        all_keys = self.band_keys(sig)
        g_cand: list[list[int]]
        l_cand: list[list[int]]
        g_sc: list[npt.NDArray[np.float32]]
        l_sc: list[npt.NDArray[np.float32]]
        checked: list[int]
        if self._use_exact(n, exact):
            g_cand, g_sc, n_live = self._exact_candidates(batch.vectors)
            within = (batch.vectors @ batch.vectors.T).toarray().astype(np.float32)
            k = self.config.exact_top
            l_cand, l_sc = [], []
            for i in range(n):
                earlier = within[i, :i]
                idx = np.flatnonzero(earlier > 0)
                if len(idx) > k:
                    idx = idx[np.argpartition(-earlier[idx], k - 1)[:k]]
                l_cand.append(idx.tolist())
                l_sc.append(earlier[idx])
            checked = [n_live + i for i in range(n)]
        else:
            g_cand, g_sc, l_cand, l_sc = self._lsh_candidates(batch, sig, all_keys)
            checked = [len(g) + len(c) for g, c in zip(g_cand, l_cand, strict=True)]
        vptr = batch.vectors.indptr
        vind = batch.vectors.indices.astype(np.int32, copy=False)
        vdat = batch.vectors.data.astype(np.float32, copy=False)

        def row(i: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
            a, b = vptr[i], vptr[i + 1]
            return vind[a:b].copy(), vdat[a:b].copy()

        assigned: list[str] = []
        out: list[GroupDecision] = []
        for i in range(n):
            gc, gs, lc, ls = g_cand[i], g_sc[i], l_cand[i], l_sc[i]
            neighbours = self._neighbours(gc, gs)
            if lc:
                # earlier signals of this batch: they are (or are not yet) representatives
                extra: dict[str, Neighbour] = {}
                for j, s in zip(lc, ls.tolist(), strict=True):
                    issue = assigned[j]
                    if issue not in extra or s > extra[issue].score:
                        extra[issue] = Neighbour(issue, signal_ids[j], round(s, 4))
                merged = {nb.issue_id: nb for nb in neighbours}
                for issue, nb in extra.items():
                    if issue not in merged or nb.score > merged[issue].score:
                        merged[issue] = nb
                neighbours = sorted(merged.values(), key=lambda nb: -nb.score)[
                    : self.config.top_neighbours
                ]
            decision = self._decision(neighbours, checked[i])
            out.append(decision)
            joins = decision.action is Decision.JOIN or (
                join_suggestions and decision.action is Decision.SUGGEST
            )
            if joins and decision.issue_id is not None:
                issue_id = decision.issue_id
                rec = self.issues.setdefault(issue_id, _Issue())
                rec.size += 1
                if (
                    decision.score < self.config.rep_novelty
                    and len(rec.reps) < self.config.max_reps_per_issue
                ):
                    self._insert(issue_id, signal_ids[i], all_keys[i], row(i), sig[i])
            else:
                issue_id = new_issue_ids[i] if new_issue_ids is not None else signal_ids[i]
                self._insert(issue_id, signal_ids[i], all_keys[i], row(i), sig[i])
                self.issues[issue_id].size += 1
            assigned.append(issue_id)
        return out

    # -- staff corrections ------------------------------------------------------------------
    def add_representative(self, issue_id: str, signal_id: str, batch: Batch) -> None:
        """Index a signal as a representative of an issue (staff placed it there)."""
        sig = self.featurizer.signatures(batch)[:1]
        self._insert(issue_id, signal_id, self.band_keys(sig)[0], batch.vectors[0], sig[0])
        self.issues[issue_id].size += 1

    def remove_signal(self, signal_id: str) -> None:
        for rep, sid in enumerate(self.rep_signal):
            if sid == signal_id and self.rep_alive[rep]:
                self._kill(rep)
                issue = self.issues.get(self.rep_issue[rep])
                if issue is not None and rep in issue.reps:
                    issue.reps.remove(rep)

    def remove_issue(self, issue_id: str) -> None:
        rec = self.issues.pop(issue_id, None)
        if rec is not None:
            for rep in rec.reps:
                self._kill(rep)

    def merge(self, target: str, source: str) -> None:
        """Fold issue ``source`` into ``target``."""
        src = self.issues.pop(source, None)
        if src is None:
            return
        dst = self.issues.setdefault(target, _Issue())
        for rep in src.reps:
            self.rep_issue[rep] = target
        dst.reps.extend(src.reps)
        dst.size += src.size

    def move_signals(self, signal_ids: Iterable[str], source: str, target: str) -> int:
        """Move the representatives among ``signal_ids`` from ``source`` to ``target``."""
        wanted = set(signal_ids)
        src = self.issues.get(source)
        if src is None:
            return 0
        dst = self.issues.setdefault(target, _Issue())
        moved = [r for r in src.reps if self.rep_signal[r] in wanted]
        for rep in moved:
            src.reps.remove(rep)
            self.rep_issue[rep] = target
            dst.reps.append(rep)
        dst.size += len(wanted)
        src.size = max(0, src.size - len(wanted))
        return len(moved)

    def issue_of_signal(self, signal_id: str) -> str | None:
        for rep, sid in enumerate(self.rep_signal):
            if sid == signal_id and self.rep_alive[rep]:
                return self.rep_issue[rep]
        return None

    def __len__(self) -> int:
        return len(self.issues)

    @property
    def n_representatives(self) -> int:
        return len(self.rep_alive) - self._dead
