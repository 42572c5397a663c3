"""Database URLs as refdb accepts them: a plain path means a SQLite file.

Apart from ``engine.py`` so that the quick read path (``direct.py``) can read a URL
without importing SQLAlchemy."""

from __future__ import annotations

from pathlib import Path

DEFAULT_URL = "sqlite:///refdb.sqlite"


def normalise_url(url_or_path: str | None) -> str:
    """A URL as given, or a plain file path turned into a SQLite URL."""
    if not url_or_path:
        return DEFAULT_URL
    if "://" in url_or_path:
        if url_or_path.startswith(("postgresql://", "postgres://")):
            # psycopg 3 is the driver refdb ships with; psycopg2 is not installed.
            return "postgresql+psycopg://" + url_or_path.split("://", 1)[1]
        return url_or_path
    return f"sqlite:///{Path(url_or_path)}"
