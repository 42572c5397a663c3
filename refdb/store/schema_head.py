"""The schema revision this refdb reads and writes, as a constant.

The quick read path (``direct.py``) compares a database's ``alembic_version`` with it
instead of asking Alembic, whose import costs more than the whole query.  A test holds
it equal to Alembic's head (``migrate.head_revision()``): bump it with every new
revision in ``migrations/``, or the quick path would read a database at the old one."""

HEAD = "0010"
