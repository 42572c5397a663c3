"""Input formats: one module per format, detection by content in :mod:`.reader`.

Every reader yields :class:`~refdb.model.RawCable` (``format`` is one of
:data:`FORMATS`) or :class:`~refdb.model.InputProblem`.  ``RawCable.meta`` keys, when
the container states them: ``id`` (the published refid), ``date``, ``released``,
``origin_name``, ``classification``, ``references`` (WikiLeaks' own list, never
truth), ``subject``, ``title``, ``tags``, ``precedence``, ``row``.
"""

from refdb.parse.formats.reader import MAX_DOCUMENT_BYTES, read_bytes, read_path, read_stream

__all__ = ["FORMATS", "MAX_DOCUMENT_BYTES", "read_bytes", "read_path", "read_stream"]

FORMATS = ("telegram", "viewer_html", "cables_csv", "mongo_json", "plusd_text", "body_text", "jsonp")
