"""The search entries: one narrow row per item of either kind, which search reads."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from publishing.models import Status


class SearchEntry(models.Model):
    """What search reads of one item of either kind, in a narrow row: its weighted vector, what
    `published()` asks, and the opening of its plain text for snippets.

    Database triggers write the entries whenever an item or one of its parts is written,
    whatever writes it; nothing in Python does. On PostgreSQL (search migration 0002) they hold
    the vector and snippet source; on SQLite (0003) those stay empty, and the triggers write the
    item's text into an FTS5 index of its kind instead.
    """

    pk = models.CompositePrimaryKey("kind", "item_id")
    kind = models.CharField(max_length=10)
    item_id = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices)
    published_at = models.DateTimeField()
    language = models.CharField(max_length=8)
    vector = SearchVectorField()
    snippet_source = models.TextField()

    class Meta:
        indexes = [
            # Search walks the newest items of a kind to find the newest matches of a word.
            models.Index(fields=["kind", "status", "-published_at"], name="search_entry_pub"),
            models.Index(
                fields=["kind", "language", "status", "-published_at"],
                name="search_entry_lang_pub",
            ),
            GinIndex(fields=["vector"], name="search_entry_vector"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id}"
