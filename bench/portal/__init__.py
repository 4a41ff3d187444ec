"""Benchmark of the public portal's article page under concurrent load."""
