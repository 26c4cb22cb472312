"""Keeping the index in step: upsert, replace, delete, validation, embeddings."""

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from reviewhub.accounts.choices import Role
from reviewhub.search import fulltext, semantic
from reviewhub.search.models import SearchEntry
from reviewhub.search.selectors import search_entries
from reviewhub.search.services import (
    search_index_delete,
    search_index_upsert,
    search_index_upsert_many,
)

from .factories import entry

pytestmark = pytest.mark.django_db


def test_upserting_again_replaces_the_text_the_full_text_index_finds(world, hooks):
    e = entry(world.partnership, "Housing", "Overcrowded flat.", object_pk=1)
    entry(world.partnership, "Neglect", "Chronic neglect.", object_pk=1, object_id=e.object_id)
    assert SearchEntry.objects.count() == 1
    scope = SearchEntry.objects.all()
    assert fulltext.rank(scope, ["neglect"]) == [e.pk]
    assert fulltext.rank(scope, ["overcrowded"]) == []


def test_deleting_an_object_removes_every_entry_and_its_text(world, hooks):
    for page in (1, 2):
        entry(
            world.partnership,
            "Report",
            f"Neglect page {page}.",
            kind="document_page",
            object_pk=77,
            object_id=f"77:p{page}",
            url=f"/documents/77/#page={page}",
        )
    assert search_index_delete("document_page", 77) == 2
    assert fulltext.rank(SearchEntry.objects.all(), ["neglect"]) == []
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute(
                "SELECT count(*) FROM search_fts_pages WHERE search_fts_pages MATCH 'neglect'"
            )
            assert c.fetchone()[0] == 0


def test_a_bad_item_in_a_batch_writes_nothing(world):
    good = {
        "kind": "learning",
        "object_pk": 1,
        "object_id": "a",
        "partnership_id": world.partnership.pk,
        "title": "Fine",
        "body": "",
        "url": "",
        "published": True,
        "embed": False,
    }
    for bad in ({"kind": "Bad Kind!"}, {"title": "   "}, {"year": 1700}, {"theme_ids": ["a|b"]}):
        with pytest.raises(ValidationError):
            search_index_upsert_many([good, {**good, "object_pk": 2, **bad}])
    assert not SearchEntry.objects.exists()


def test_embeddings_are_stored_as_unit_float32_vectors(world):
    e = search_index_upsert(
        kind="learning",
        object_pk=5,
        object_id="x",
        partnership_id=world.partnership.pk,
        title="Safer sleep",
        body="Co-sleeping risks for infants.",
        url="",
        published=True,
    )
    vec = semantic.from_bytes(e.embedding)
    assert vec.shape == (384,) and vec.dtype == np.float32
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-3
    assert entry(world.partnership, "No vector", embed=False).embedding is None


def test_the_cached_matrix_follows_changes_to_the_index(world, hooks):
    first = entry(world.partnership, "Sleep", "Safer sleep for babies.", embed=True)
    ids, mat = semantic.matrix(world.partnership.pk)
    assert list(ids) == [first.pk] and mat.shape == (1, 384)
    second = entry(world.partnership, "Knives", "Knife crime among teenagers.", embed=True)
    ids, _ = semantic.matrix(world.partnership.pk)
    assert sorted(ids) == sorted([first.pk, second.pk])
    search_index_delete("learning", first.object_pk)
    ids, _ = semantic.matrix(world.partnership.pk)
    assert list(ids) == [second.pk]


def test_a_deleted_entry_is_no_longer_found(world, hooks):
    e = entry(world.partnership, "Neglect", "Neglect.")
    analyst = world.users[Role.ANALYST]
    assert search_entries(user=analyst, query="neglect").total == 1
    search_index_delete("learning", e.object_pk)
    assert search_entries(user=analyst, query="neglect").total == 0
