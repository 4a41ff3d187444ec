"""Bulk ingest on several cores: worker processes prepare batches (normalise, features, field,
places, route, claims) while this process commits them to the issue index in arrival order.

Grouping must stay sequential (each signal sees every earlier one), but most of the work per
signal does not depend on the index. The results are exactly those of calling
``TriageEngine.ingest_batch`` on the same batches one after another.
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
import queue
import traceback
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .engine import TriageEngine
from .proposal import Proposal


@dataclass(frozen=True)
class Chunk:
    """One batch of signals to ingest, in arrival order."""

    texts: Sequence[str]
    signal_ids: Sequence[str] | None = None
    channels: Sequence[str] | None = None
    ats: Sequence[datetime] | None = None


def peak_rss_mb() -> float:
    """Peak resident memory of the calling process (VmHWM), in MB; 0 where unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def _worker(engine_bytes: bytes, inbox: Any, outbox: Any) -> None:
    engine = TriageEngine.from_bytes(engine_bytes)
    del engine_bytes
    while True:
        item = inbox.get()
        if item is None:
            outbox.put(("done", peak_rss_mb()))
            return
        k, texts, with_claims = item
        try:
            prep = engine.prepare(texts, with_claims)
            # the index needs only the signatures: compute them here and send no shingles
            engine.featurizer.signatures(prep.batch)
            prep.batch.shingles = prep.batch.shingles[:0]
            outbox.put((k, prep))
        except Exception:
            outbox.put(("error", traceback.format_exc()))
            return


class ParallelIngest:
    """``with ParallelIngest(engine, workers=2) as p: for proposals in p.ingest(chunks): …``

    ``workers=0`` prepares in this process (same results, no extra processes). Workers are
    started with ``spawn`` and receive a copy of the engine without its index, so their
    memory is their own; ``worker_peak_rss_mb`` holds their peaks after ``close``.
    """

    def __init__(
        self,
        engine: TriageEngine,
        workers: int = 1,
        with_claims: bool = False,
        lookahead: int = 2,
        timeout_s: float = 600.0,
    ) -> None:
        self.engine = engine
        self.with_claims = with_claims
        self.lookahead = max(1, lookahead)
        self.timeout_s = timeout_s
        self.worker_peak_rss_mb: list[float] = []
        self._procs: list[Any] = []
        self._in: list[Any] = []
        self._out: list[Any] = []
        if workers <= 0:
            return
        ctx = mp.get_context("spawn")
        data = pickle.dumps(engine.analysis_copy(), protocol=pickle.HIGHEST_PROTOCOL)
        for _ in range(workers):
            inbox, outbox = ctx.Queue(), ctx.Queue()
            proc = ctx.Process(target=_worker, args=(data, inbox, outbox), daemon=True)
            proc.start()
            self._procs.append(proc)
            self._in.append(inbox)
            self._out.append(outbox)

    def __enter__(self) -> ParallelIngest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _receive(self, w: int) -> Any:
        waited = 0.0
        while True:
            try:
                return self._out[w].get(timeout=1.0)
            except queue.Empty:
                waited += 1.0
                if not self._procs[w].is_alive() or waited >= self.timeout_s:
                    raise RuntimeError(
                        f"triage worker {w} stopped (exit code {self._procs[w].exitcode})"
                    ) from None

    def ingest(self, chunks: Iterable[Chunk]) -> Iterator[list[Proposal]]:
        """Proposals of each chunk, in order, committed to the engine's index."""
        if not self._procs:
            for c in chunks:
                yield self.engine.ingest_batch(
                    c.texts, c.signal_ids, c.channels, c.ats, with_claims=self.with_claims
                )
            return
        n = len(self._procs)
        source = iter(chunks)
        pending: deque[tuple[int, Chunk]] = deque()
        sent = 0

        def submit() -> None:
            nonlocal sent
            c = next(source, None)
            if c is not None:
                self._in[sent % n].put((sent, list(c.texts), self.with_claims))
                pending.append((sent, c))
                sent += 1

        for _ in range(self.lookahead * n):
            submit()
        while pending:
            k, c = pending.popleft()
            tag, prep = self._receive(k % n)
            if tag == "error":
                raise RuntimeError(f"triage worker failed:\n{prep}")
            submit()
            yield self.engine.ingest_prepared(prep, c.signal_ids, c.channels, c.ats)

    def close(self) -> None:
        for w, proc in enumerate(self._procs):
            if proc.is_alive():
                self._in[w].put(None)
        for w, proc in enumerate(self._procs):
            try:
                while True:
                    tag, value = self._receive(w)
                    if tag == "done":
                        self.worker_peak_rss_mb.append(round(float(value), 1))
                        break
            except RuntimeError:
                pass
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
        self._procs, self._in, self._out = [], [], []
