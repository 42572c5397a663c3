"""``refdb ingest --jobs``: parsing in worker processes gives the same database as
parsing in-process, for files (reader process + parser processes) and for stdin
(read here, parsed in a pool); small inputs start no workers."""

from __future__ import annotations

import pytest

from refdb.service import ingest as ingest_service

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory, corpus_dir):
    import generate_corpus

    out = tmp_path_factory.mktemp("corpus")
    assert generate_corpus.main(["--n", "400", "--seed", "3", "--out", str(out)]) == 0
    return out / "cables.csv"


def _parsed(paths, jobs):
    return [
        (c.published_id, c.text, c.refs, c.mentions) if hasattr(c, "refs") else str(c)
        for c in ingest_service.parse_inputs(paths, jobs=jobs)
    ]


def test_worker_pipeline_keeps_input_order_and_results(corpus_file):
    assert _parsed([str(corpus_file)], 2) == _parsed([str(corpus_file)], 1)


def test_stdin_is_parsed_in_a_pool(corpus_file, monkeypatch):
    import io
    import sys

    sequential = _parsed([str(corpus_file)], 1)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(corpus_file.read_bytes())))
    got = _parsed(["-"], 2)
    assert [g[1:] for g in got] == [s[1:] for s in sequential]


def test_small_input_starts_no_workers(corpus_file, tmp_path, monkeypatch):
    data = corpus_file.read_bytes()
    cut = data.index(b'\n"6","') + 1  # the first five rows
    small = tmp_path / "small.csv"
    small.write_bytes(data[:cut])

    def no_workers(*args, **kwargs):
        raise AssertionError("workers started for a five-cable input")

    monkeypatch.setattr(ingest_service, "_pipeline", no_workers)
    monkeypatch.setattr(ingest_service, "_parse_parallel", no_workers)
    assert len(_parsed([str(small)], 4)) == 5


def test_ingest_with_jobs_stores_the_same(corpus_file, tmp_path):
    from refdb.store.engine import create
    from refdb.store.migrate import ensure_schema

    reports = []
    for jobs in (1, 2):
        engine = create(f"sqlite:///{tmp_path / f'j{jobs}.sqlite'}")
        ensure_schema(engine)
        reports.append(ingest_service.ingest(engine, [str(corpus_file)], jobs=jobs).as_dict())
        engine.dispose()
    for r in reports:  # timings differ; everything else must not
        for key in [k for k in r if k.startswith("seconds")]:
            r.pop(key)
    assert reports[0] == reports[1]
    assert reports[0]["cables_new"] == 400
