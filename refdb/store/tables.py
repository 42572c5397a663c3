"""The database tables.  SQLModel classes used as a schema declaration only: they do
not validate input (parsed data is validated by the frozen dataclasses in
``refdb.model``), and all bulk writes go through SQLAlchemy Core.

Statuses and kinds are short strings, not database enums: Alembic cannot migrate
enums portably between SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Constraint names must be stable across SQLite and PostgreSQL for Alembic to
# alter them later (SQLite batch mode re-creates tables by name).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LEN = 80  # garbled published IDs are longer than real ones ("08SCTION02OF02SAOPAULO335")


class Cable(SQLModel, table=True):
    """One stored cable, keyed by its ID as published (garbled IDs are kept as they are)."""

    __tablename__ = "cable"

    id: str = Field(primary_key=True, max_length=ID_LEN)
    real_id: str | None = Field(default=None, max_length=ID_LEN, index=True)
    display_id: str | None = Field(default=None, max_length=ID_LEN)
    year: int | None = Field(default=None, index=True)
    origin: str | None = Field(default=None, max_length=64, index=True)
    serial: int | None = Field(default=None)
    date: datetime | None = Field(default=None, sa_column=sa.Column(sa.DateTime, index=True))
    dtg: str | None = Field(default=None, max_length=32)
    precedence: str | None = Field(default=None, max_length=32)
    origin_name: str | None = Field(default=None, max_length=200)
    routing_indicator: str | None = Field(default=None, max_length=16)
    classification: str | None = Field(default=None, max_length=64, index=True)
    caveats: str | None = Field(default=None, max_length=200)
    declassify_on: str | None = Field(default=None, max_length=64)
    tags: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    subject: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    classified_by: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    signer: str | None = Field(default=None, max_length=200)
    to_addrs: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    info_addrs: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    text: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    format: str = Field(max_length=32)
    id_source: str = Field(max_length=32)
    source: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    content_hash: str = Field(max_length=64)
    warnings: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    ingested_at: datetime = Field(sa_column=sa.Column(sa.DateTime, nullable=False))


class PendingCable(SQLModel, table=True):
    """A cable whose references, and the references waiting for it, are not yet
    resolved: a row from the moment the cable is stored (or changed) until a resolve
    pass has dealt with it, so an interrupted ingest leaves rows behind and the next
    run finishes the work.  A table of its own, not a flag on ``cable`` (revision
    0006): clearing a flag rewrote the whole cable row, and on PostgreSQL, because
    the flag was indexed, re-indexed its text for search (43x slower)."""

    __tablename__ = "pending_cable"

    id: str = Field(
        sa_column=sa.Column(
            sa.String(ID_LEN), sa.ForeignKey("cable.id", ondelete="CASCADE"), primary_key=True
        )
    )


class Reference(SQLModel, table=True):
    """One REF item of a citing cable, with its resolution."""

    __tablename__ = "reference"
    # The unique constraint's index also serves lookups by citing_id.
    __table_args__ = (sa.UniqueConstraint("citing_id", "ordinal"),)

    id: int | None = Field(default=None, primary_key=True)
    citing_id: str = Field(
        sa_column=sa.Column(sa.String(ID_LEN), sa.ForeignKey("cable.id", ondelete="CASCADE"), nullable=False)
    )
    ordinal: int
    block: int = 0
    letter: str | None = Field(default=None, max_length=8)
    raw: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    kind: str = Field(max_length=20)
    cited_id: str | None = Field(default=None, max_length=ID_LEN, index=True)
    origin_written: str | None = Field(default=None, max_length=200)
    cited_origin: str | None = Field(default=None, max_length=64, index=True)  # normalised post
    serial: int | None = None
    year: int | None = None
    year_source: str | None = Field(default=None, max_length=20)
    qualifiers: str | None = Field(default=None, max_length=200)
    dtg_sender: str | None = Field(default=None, max_length=100)
    dtg: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    # Resolution (computed; a manual decision overrides it, see ManualDecision).
    status: str = Field(max_length=20, index=True)
    method: str | None = Field(default=None, max_length=32)
    confidence: float = 0.0
    target_id: str | None = Field(default=None, max_length=ID_LEN, index=True)
    # Indexed (0004): the resolver looks up references waiting for a cable by wait_id,
    # resolved_id or cited_id; one unindexed term turned that OR into a table scan.
    resolved_id: str | None = Field(default=None, max_length=ID_LEN, index=True)
    wait_id: str | None = Field(default=None, max_length=ID_LEN, index=True)
    reason: str | None = Field(default=None, max_length=40)
    evidence: str | None = Field(default=None, sa_column=sa.Column(sa.Text))  # JSON list
    candidates: str | None = Field(default=None, sa_column=sa.Column(sa.Text))  # JSON list


class Mention(SQLModel, table=True):
    """A place in a citing cable's text that points back at one of its REF items."""

    __tablename__ = "mention"

    id: int | None = Field(default=None, primary_key=True)
    citing_id: str = Field(
        sa_column=sa.Column(
            sa.String(ID_LEN), sa.ForeignKey("cable.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    ordinal: int
    ref_ordinal: int | None = None  # None: the letter has no REF item
    letter: str | None = Field(default=None, max_length=8)
    form: str = Field(max_length=16)
    text: str = Field(max_length=200)
    start_offset: int
    end_offset: int
    paragraph: int | None = None


class ManualDecision(SQLModel, table=True):
    """A person's decision about one REF item, kept apart from computed results so that
    re-ingest and re-resolve never lose it.  Deliberately no foreign key: a decision
    outlives the reference row it was made on (re-ingest re-creates those rows)."""

    __tablename__ = "manual_decision"
    __table_args__ = (sa.UniqueConstraint("citing_id", "ordinal"),)

    id: int | None = Field(default=None, primary_key=True)
    citing_id: str = Field(max_length=ID_LEN)
    ordinal: int
    letter: str | None = Field(default=None, max_length=8)
    raw: str = Field(sa_column=sa.Column(sa.Text, nullable=False))  # the item's text when decided
    action: str = Field(max_length=10)  # "link" or "unlink"
    target_id: str | None = Field(default=None, max_length=ID_LEN)
    author: str = Field(max_length=100)
    decided_at: datetime = Field(sa_column=sa.Column(sa.DateTime, nullable=False))
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text))


class CatalogEntry(SQLModel, table=True):
    """An ID known to exist in a catalogue of released cables (Cablegate by default),
    whether or not the cable itself is stored: lets triage tell "exists, not loaded"
    from "not in the release"."""

    __tablename__ = "catalog_entry"

    id: str = Field(primary_key=True, max_length=ID_LEN)  # as published (may be garbled)
    # Its real ID, read once when the catalogue is loaded (garbles repaired; null when
    # unreadable), so that building a resolve lookup needs no parsing.
    real_id: str | None = Field(default=None, max_length=ID_LEN)
    year: int | None = None
    origin: str | None = Field(default=None, max_length=64)
    serial: int | None = None
    month: int | None = None
    catalog: str = Field(default="cablegate", max_length=40)


class DeferredIndex(SQLModel, table=True):
    """An index that is not being kept up to date row by row: a large ingest defers the
    SQLite full-text index (one rebuild at its end costs less than half of what the
    per-row triggers cost) and records it here in the transaction that starts the
    deferral.  The row is deleted in the transaction that rebuilds the index, so an
    interrupted ingest leaves it behind and the next ingest, ``refdb search`` or
    ``refdb search --reindex`` finishes the job (revision 0005).

    ``changes`` counts the cable rows written while the SQLite index is deferred (kept
    by triggers, revision 0008): an index built beside the database from a snapshot is
    current only if the count has not moved since the snapshot."""

    __tablename__ = "deferred_index"

    name: str = Field(primary_key=True, max_length=40)  # "search"
    since: datetime = Field(sa_column=sa.Column(sa.DateTime, nullable=False))
    changes: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
