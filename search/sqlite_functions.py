"""The SQL function SQLite's search triggers call (search migration 0003), on every connection.

SQLite has no way to strip tags in SQL, and its full-text index must hold plain text: its
snippets are cut from the indexed text, and tag names indexed as words would match every item.
"""

import re
from html import unescape

from django.db.backends.signals import connection_created

TAG = re.compile(r"<[^>]*>")

# The name search migration 0003's triggers call.
PLAIN_TEXT = "newsroom_plain_text"


def plain_text(html: str | None) -> str:
    """`html` without its tags, entities decoded: the words a reader sees."""
    return unescape(TAG.sub(" ", html or ""))


def register_functions(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(PLAIN_TEXT, 1, plain_text, deterministic=True)


def connect() -> None:
    connection_created.connect(register_functions, dispatch_uid="search_sqlite_functions")
