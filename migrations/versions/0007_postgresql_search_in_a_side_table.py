"""PostgreSQL: the search vectors in a table of their own, ``cable_search``, which a
large ingest can fill behind its writer

Revision ID: 0007
Revises: 0006

Until now PostgreSQL searched through the expression GIN index ``ix_cable_search``
over ``cable``.  The server computes an expression index entry in the backend that
writes the row, so every cable's tsvector (about 1.1 ms of server CPU for a 6.6 KB
cable, measured) was computed inside the ingest's one writing transaction, on one
core: at 50,000 cables 55 s of a 103 s storing phase.

Now the vector is a row of ``cable_search`` (id, the ``content_hash`` of the text it
was computed from, doc) with a plain GIN index on ``doc``:

- a trigger on ``cable`` keeps it current row by row, as the index did;
- while the search index is deferred (``deferred_index``, revision 0005) the trigger
  does nothing, and a large ingest fills ``cable_search`` from a second connection
  while its writer goes on storing, then catches up (``refdb.store.search``);
- a row whose ``content_hash`` differs from its cable's is stale: search leaves it
  out, and catching up recomputes it.  So a vector computed from a text that was
  replaced meanwhile can never answer a search.

SQLite is unchanged (its FTS5 table ``cable_fts`` of revision 0003).  The objects are
made by hand-written SQL and left out of autogenerate, as 0003's are
(``refdb.store.search.include_in_autogenerate``).  The vector expression must stay
identical to ``refdb.store.search.DOC``.
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _doc(row: str) -> str:
    return (
        f"setweight(to_tsvector('english'::regconfig, coalesce({row}.subject, '')), 'A') || "
        f"setweight(to_tsvector('english'::regconfig, left({row}.text, 250000)), 'B')"
    )


UPGRADE = [
    "CREATE TABLE cable_search ("
    " id VARCHAR(80) NOT NULL,"
    " content_hash VARCHAR(64) NOT NULL,"
    " doc TSVECTOR NOT NULL,"
    " CONSTRAINT pk_cable_search PRIMARY KEY (id),"
    " CONSTRAINT fk_cable_search_id_cable FOREIGN KEY (id) REFERENCES cable (id) ON DELETE CASCADE)",
    f"INSERT INTO cable_search (id, content_hash, doc) SELECT cable.id, cable.content_hash, {_doc('cable')} FROM cable",
    "CREATE INDEX ix_cable_search_doc ON cable_search USING gin (doc)",
    "CREATE FUNCTION cable_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  -- A large ingest that deferred the index fills cable_search itself.\n"
    "  IF EXISTS (SELECT 1 FROM deferred_index WHERE name = 'search') THEN\n"
    "    RETURN NULL;\n"
    "  END IF;\n"
    f"  INSERT INTO cable_search (id, content_hash, doc) VALUES (NEW.id, NEW.content_hash, {_doc('NEW')})\n"
    "  ON CONFLICT (id) DO UPDATE SET content_hash = EXCLUDED.content_hash, doc = EXCLUDED.doc;\n"
    "  RETURN NULL;\n"
    "END $$",
    "CREATE TRIGGER cable_search_sync AFTER INSERT OR UPDATE OF subject, text, content_hash ON cable "
    "FOR EACH ROW EXECUTE FUNCTION cable_search_sync()",
    "DROP INDEX ix_cable_search",
]

DOWNGRADE = [
    "CREATE INDEX ix_cable_search ON cable USING gin (("
    "setweight(to_tsvector('english'::regconfig, coalesce(subject, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, left(text, 250000)), 'B')))",
    "DROP TRIGGER cable_search_sync ON cable",
    "DROP FUNCTION cable_search_sync()",
    "DROP TABLE cable_search",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for sql in UPGRADE:
            op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for sql in DOWNGRADE:
            op.execute(sql)
