"""Demo data: a believable 街道 for trying the app, for tests and for benchmarks."""

from .build import SCALES, build_demo

__all__ = ["SCALES", "build_demo"]
