"""Commands for research: registered on the shared app (see refdb.cli.common)."""

from __future__ import annotations
