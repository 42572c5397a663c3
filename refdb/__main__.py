"""``python -m refdb``: the same as the ``refdb`` command."""

from refdb.cli.app import main

main()
