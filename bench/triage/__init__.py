"""Benchmark of the triage engine: python -m bench.triage --data DIR --out FILE.json [--quick]."""
