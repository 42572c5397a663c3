"""The benchmark modules live in benchmarks/ (run as scripts, importing each other by
plain module name): put that folder on sys.path for these tests."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))
