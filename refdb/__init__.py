"""refdb: parse diplomatic cables into a database and resolve every reference between them."""

__version__ = "0.1.0"
