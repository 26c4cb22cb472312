"""The search index: one denormalised row per searchable thing (learning point, briefing, page).

Search never imports the models it indexes; their services call ``search_index_upsert`` and
``search_index_delete`` and register an access hook per kind (``registry.register_kind``).

Full text lives beside this table, per database (migration 0001):
- SQLite: an FTS5 external-content table ``search_fts(title, body)`` with the ``porter unicode61``
  tokenizer, kept in step with this table by triggers, so no write path can forget it.
- PostgreSQL: a generated ``search_vector`` tsvector column (English, title weight A, body B) with
  a GIN index. Generated, so it can never disagree with title and body.
Neither is a Django field: the ranking SQL in ``fulltext.py`` is the only code that reads them.
"""

from django.db import models

from reviewhub.accounts.models import Partnership

from .choices import Kind

EMBEDDING_DIM = 384


class SearchEntry(models.Model):
    """One searchable item with the facets the search page filters on."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="search_entries"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # The public id shown to users and printed by `reviewhub search --json` (e.g. the id a
    # learning point was imported with); object_pk is the row the access hook checks.
    object_id = models.CharField(max_length=100)
    object_pk = models.BigIntegerField()
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    published = models.BooleanField(default=False)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    review_type = models.CharField(max_length=40, blank=True)
    theme_ids = models.JSONField(default=list, blank=True)
    # Themes the theme engine suggests for a point nobody has coded yet (imported learning):
    # ranking only, never the theme filter, which means "coded with". Nullable with no default
    # so that SQLite adds the column in place: a NOT NULL or defaulted column makes Django rebuild
    # the table, which drops the full-text triggers (see migration 0001).
    suggested_theme_ids = models.JSONField(null=True, blank=True)
    agency_ids = models.JSONField(default=list, blank=True)
    age_band = models.CharField(max_length=30, blank=True)
    # "|id1|id2|" copies of the JSON lists: a LIKE filter works the same on both databases,
    # where JSON containment does not exist on SQLite.
    theme_keys = models.TextField(blank=True, editable=False)
    agency_keys = models.TextField(blank=True, editable=False)
    # float32 x 384, L2-normalised (MiniLM); null when the caller asked for none.
    embedding = models.BinaryField(null=True, blank=True)
    # The entry's sentence vectors (float32 x 384 each, concatenated, at most 8): the semantic
    # ranker scores an entry by its best sentence as well as by the whole (semantic.rank), so
    # one sentence squarely on the question is not averaged away by the rest of a long point.
    # Null on rows indexed before it existed: they are scored by ``embedding`` alone.
    sentence_embeddings = models.BinaryField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # A document has one entry per page: same object_pk, object_id "<pk>:p<page>".
            models.UniqueConstraint(
                fields=["kind", "object_pk", "object_id"], name="search_entry_unique_object"
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "kind", "published"], name="search_scope_idx"),
            models.Index(fields=["year"], name="search_year_idx"),
            # The semantic matrix's freshness check (semantic.vectors) reads the count and newest
            # change of a partnership's embedded entries; without this index it scanned every
            # page of the library (0.1 s at 90,000 pages).
            models.Index(
                fields=["partnership", "updated_at"],
                name="search_embedded_idx",
                condition=models.Q(embedding__isnull=False),
            ),
        ]
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
