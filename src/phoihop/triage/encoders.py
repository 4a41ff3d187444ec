"""Optional neural sentence encoder from a LOCAL path (sentence-transformers format).

Nothing here is imported by default and nothing is downloaded: ``sentence_transformers`` is
imported lazily when a ``LocalSentenceEncoder`` is created, and the model must already be on
disk. The engine works without it; use it to re-rank candidates when a model is available.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt


class EncoderUnavailable(RuntimeError):
    """The optional encoder cannot be used (package missing or path not a local model)."""


class LocalSentenceEncoder:
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

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """L2-normalised embeddings, one row per text."""
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True
        )
        return np.asarray(vectors, dtype=np.float32)

    def similarity(self, query: str, candidates: Sequence[str]) -> npt.NDArray[np.float32]:
        """Cosine similarity of a query to each candidate (for re-ranking a shortlist)."""
        vecs = self.encode([query, *candidates])
        out: npt.NDArray[np.float32] = vecs[1:] @ vecs[0]
        return out
