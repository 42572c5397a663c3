"""A database of the whole corpus, built once per session (SQLite), for the tests that
check answers on real data."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def corpus_db(corpus_dir, tmp_path_factory):
    from refdb.service.ingest import ingest
    from refdb.store.engine import create
    from refdb.store.migrate import ensure_schema

    engine = create(f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'corpus.sqlite'}")
    ensure_schema(engine)
    report = ingest(engine, [str(corpus_dir)])
    assert report.new > 8000
    yield engine
    engine.dispose()
