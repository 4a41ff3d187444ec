"""Where grouping looks for a signal's issue: representatives of issues in a MinHash LSH
index (band buckets, a shortlist by band hits, pruned by signature agreement), or, while the
index is small, exact cosine against every live representative. `IssueIndex` (in grouping)
decides on these candidates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .features import U64, Batch, Featurizer, SparseStore, _mix, pair_cosines


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
    # Groups whose id starts with this are pending (signals nobody has decided on yet, e.g.
    # the product's clusters): a signal joins one from ``pending_join`` (below auto_join),
    # since staff read and accept or split the whole group anyway; settled groups still need
    # auto_join. "" (the default): every group is settled. At 0.55 pair precision stays at
    # 0.98 on vnPara with the product's features, and a school and a road repaired in the
    # same commune (0.50) stay apart (bench/RESULTS.md, "pending clusters").
    pending_prefix: str = ""
    pending_join: float = 0.55


# exact fallback: blocks of at least this many representatives keep an inverted index
_INVERTED_FROM = 256


@dataclass
class _Issue:
    reps: list[int] = field(default_factory=list)
    size: int = 0


class CandidateIndex:
    """The representatives of issues (vectors, MinHash signatures, LSH buckets) and the
    candidate search over them; `IssueIndex` adds the decisions and staff corrections."""

    def __init__(self, featurizer: Featurizer, config: IndexConfig | None = None) -> None:
        self.featurizer = featurizer
        self.config = config or IndexConfig()
        if self.config.bands * self.config.rows > featurizer.config.num_perm:
            raise ValueError("bands × rows must not exceed num_perm")
        self.store = SparseStore()
        self._sigs = np.zeros((1024, featurizer.config.num_perm), dtype=np.uint32)
        self.rep_issue: list[str] = []
        self.rep_signal: list[str] = []
        self.rep_alive: list[bool] = []
        # the roads a representative names (`normalize.roads`), only for those naming one
        self.rep_roads: dict[int, frozenset[str]] = {}
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
        roads: frozenset[str] = frozenset(),
    ) -> int:
        rep = len(self.rep_issue)
        if roads:
            self.rep_roads[rep] = roads
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

    @property
    def n_representatives(self) -> int:
        return len(self.rep_alive) - self._dead
