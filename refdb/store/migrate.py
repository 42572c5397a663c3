"""Running the Alembic revisions from the application.

The revisions live in the top-level ``migrations/`` folder, shipped inside the
package as ``refdb._migrations``; a checkout without an install falls back to the
folder itself.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from refdb.errors import SchemaOutdated


@cache
def script_location() -> str:
    try:
        import refdb._migrations as packaged

        where = Path(packaged.__file__).resolve().parent
        if (where / "env.py").is_file():
            return str(where)
    except ImportError:
        pass
    repo = Path(__file__).resolve().parents[2] / "migrations"
    if (repo / "env.py").is_file():
        return str(repo)
    raise RuntimeError("refdb's migrations are missing from this installation (reinstall refdb)")


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", script_location())
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _run(engine: Engine, fn, revision: str) -> None:  # type: ignore[no-untyped-def]
    cfg = _config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch operations re-create tables; foreign keys must be off meanwhile
            # (ON DELETE CASCADE would empty the child tables).  The pragma is a no-op
            # inside a transaction, so it goes to the driver connection, which runs in
            # autocommit until refdb's BEGIN (see engine.py).
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            cfg.attributes["connection"] = conn
            fn(cfg, revision)
            conn.commit()
        finally:
            if sqlite:
                conn.rollback()
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, command.downgrade, revision)


def is_empty(engine: Engine) -> bool:
    """No refdb table yet (an ``alembic_version`` table left by a full downgrade is empty)."""
    return not [t for t in sa.inspect(engine).get_table_names() if t != "alembic_version"]


def ensure_schema(engine: Engine, *, create: bool = True) -> None:
    """Create a new database at head, or check that an existing one is at head."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is None and is_empty(engine) and create:
        upgrade(engine)
        return
    raise SchemaOutdated(current, head)
