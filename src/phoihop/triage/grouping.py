"""Grouping signals into issues: a MinHash LSH candidate index, exact cosine verification,
two-threshold decisions (auto-join / suggest / new) and threshold tuning from staff feedback.

- `candidates`: the representatives of issues and the candidate search over them (LSH, or
  exact cosine while the index is small), `IndexConfig`
- `thresholds`: the decision (`Thresholds`, `Decision`, `GroupDecision`) and
  `tune_thresholds` from staff feedback (`LabelledPair`)
- here: `IssueIndex`, which decides, ingests in arrival order and takes staff corrections;
  this module re-exports the names above, so importers keep one place to import from
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from .candidates import CandidateIndex, IndexConfig, _Issue
from .features import Batch, Featurizer, pair_cosines
from .thresholds import (
    Decision,
    GroupDecision,
    LabelledPair,
    Neighbour,
    Thresholds,
    tune_thresholds,
)

# Engine snapshots written before the split name IndexConfig, _Issue, Thresholds and
# LabelledPair by this module: keep them importable from here so those snapshots still load.
__all__ = [
    "Decision",
    "GroupDecision",
    "IndexConfig",
    "IssueIndex",
    "LabelledPair",
    "Neighbour",
    "Thresholds",
    "_Issue",
    "tune_thresholds",
]


class IssueIndex(CandidateIndex):
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
        self.thresholds = thresholds or Thresholds()
        super().__init__(featurizer, config)

    # -- decisions --------------------------------------------------------------------------
    def issue_roads(self, issue_id: str) -> frozenset[str]:
        """The roads an issue's live representatives name."""
        rec = self.issues.get(issue_id)
        if rec is None or not self.rep_roads:
            return frozenset()
        get, alive = self.rep_roads.get, self.rep_alive
        return frozenset().union(*(get(r, ()) for r in rec.reps if alive[r]))

    def _other_road(self, issue_id: str, roads: frozenset[str]) -> bool:
        """The signal names roads and the issue names only others: not the same matter."""
        theirs = self.issue_roads(issue_id) if roads else frozenset()
        return bool(theirs) and theirs.isdisjoint(roads)

    def _neighbours(self, reps: Sequence[int], scores: npt.NDArray[np.float32]) -> list[Neighbour]:
        """Each issue's best representative, best first (`_decision` keeps the top ones)."""
        best: dict[str, tuple[float, int]] = {}
        for rep, score in zip(reps, scores.tolist(), strict=True):
            issue = self.rep_issue[rep]
            cur = best.get(issue)
            if cur is None or score > cur[0]:
                best[issue] = (score, rep)
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
        return [Neighbour(i, self.rep_signal[r], round(s, 4)) for i, (s, r) in ranked]

    def _decision(
        self, ranked: list[Neighbour], checked: int, roads: frozenset[str] = frozenset()
    ) -> GroupDecision:
        """The decision on a signal's neighbours (each issue once, best first); an issue
        naming only other roads than the signal is never proposed, and the reason says so."""
        th = self.thresholds
        other_road: Neighbour | None = None
        if roads and self.rep_roads:
            kept = []
            for nb in ranked:
                if self._other_road(nb.issue_id, roads):
                    other_road = other_road or nb
                else:
                    kept.append(nb)
            ranked = kept
        neighbours = ranked[: self.config.top_neighbours]
        note = ""
        if other_road is not None and other_road.score >= th.suggest:
            note = (
                f" Vấn đề {other_road.issue_id} (độ tương đồng {other_road.score:.2f}) nói về "
                f"{_road_list(self.issue_roads(other_road.issue_id))}, ý kiến này nói về "
                f"{_road_list(roads)}: không gộp."
            )
        if not neighbours:
            return GroupDecision(
                Decision.NEW,
                None,
                0.0,
                (),
                checked,
                th,
                "Không có vấn đề nào tương tự trong chỉ mục; đề xuất tạo vấn đề mới." + note,
            )
        top = neighbours[0]
        action = th.decide(top.score)
        cfg = self.config
        if (
            action is not Decision.JOIN
            and cfg.pending_prefix
            and top.issue_id.startswith(cfg.pending_prefix)
            and top.score >= cfg.pending_join
        ):
            return GroupDecision(
                Decision.JOIN,
                top.issue_id,
                top.score,
                tuple(neighbours),
                checked,
                th,
                f"Độ tương đồng {top.score:.2f} ≥ ngưỡng gộp nhóm chờ xử lý {cfg.pending_join:.2f} "
                f"với nhóm ý kiến chưa xử lý {top.issue_id}: gộp vào nhóm (cán bộ xem cả nhóm "
                "khi tiếp nhận)." + note,
            )
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
        return GroupDecision(
            action, target, top.score, tuple(neighbours), checked, th, reason + note
        )

    def query(self, batch: Batch, exact: bool | None = None) -> list[GroupDecision]:
        """Decisions for each text of a batch against the index (read-only).

        ``exact`` forces (True) or forbids (False) exact scoring against every live
        representative; by default it is used while the index is small (``exact_below``).
        """
        if self._use_exact(batch.vectors.shape[0], exact):
            cands, cscores, n_live = self._exact_candidates(batch.vectors)
            return [
                self._decision(self._neighbours(c, s), n_live, batch.road_set(i))
                for i, (c, s) in enumerate(zip(cands, cscores, strict=True))
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
        for i, c in enumerate(cand):
            s = scores[pos : pos + len(c)]
            pos += len(c)
            out.append(self._decision(self._neighbours(c, s), len(c), batch.road_set(i)))
        return out

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
                neighbours = sorted(merged.values(), key=lambda nb: -nb.score)
            decision = self._decision(neighbours, checked[i], batch.road_set(i))
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
                    self._insert(
                        issue_id, signal_ids[i], all_keys[i], row(i), sig[i], batch.road_set(i)
                    )
            else:
                issue_id = new_issue_ids[i] if new_issue_ids is not None else signal_ids[i]
                self._insert(
                    issue_id, signal_ids[i], all_keys[i], row(i), sig[i], batch.road_set(i)
                )
                self.issues[issue_id].size += 1
            assigned.append(issue_id)
        return out

    # -- staff corrections ------------------------------------------------------------------
    def add_representative(self, issue_id: str, signal_id: str, batch: Batch) -> None:
        """Index a signal as a representative of an issue (staff placed it there)."""
        sig = self.featurizer.signatures(batch)[:1]
        self._insert(
            issue_id, signal_id, self.band_keys(sig)[0], batch.vectors[0], sig[0], batch.road_set(0)
        )
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


def _road_list(roads: frozenset[str]) -> str:
    return ", ".join(sorted(roads))
