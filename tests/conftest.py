"""Shared fixtures.  Corpus-wide tests read ../shared/corpus and skip with a reason
when it is absent (a fresh clone without the shared folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not available: {CORPUS} is absent (it ships beside the project in CI)")
    return CORPUS


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


# --- databases -----------------------------------------------------------------------
# Storage, service and CLI tests run on SQLite always and on PostgreSQL when
# REFDB_TEST_PG_URL is set (.ci/run sets it; there a server that is down fails the
# run instead of skipping).  Each PostgreSQL test gets a schema of its own.

import os
import uuid

PG_URL = os.environ.get("REFDB_TEST_PG_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _pg_admin_engine():
    import sqlalchemy as sa

    from refdb.store.engine import normalise_url

    return sa.create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A URL to a new, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'refdb.sqlite'}"
        return
    from urllib.parse import quote

    from refdb.store.engine import normalise_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    base = normalise_url(PG_URL)
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()


@pytest.fixture
def engine(db_url):
    """An engine on a new database migrated to head."""
    from refdb.store.engine import create
    from refdb.store.migrate import ensure_schema

    eng = create(db_url)
    ensure_schema(eng)
    yield eng
    eng.dispose()
