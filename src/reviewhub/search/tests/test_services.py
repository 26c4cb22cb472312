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
    v = semantic.vectors(world.partnership.pk)
    ids, mat = v.ids, v.docs
    assert list(ids) == [first.pk] and mat.shape == (1, 384)
    second = entry(world.partnership, "Knives", "Knife crime among teenagers.", embed=True)
    ids = semantic.vectors(world.partnership.pk).ids
    assert sorted(ids) == sorted([first.pk, second.pk])
    search_index_delete("learning", first.object_pk)
    ids = semantic.vectors(world.partnership.pk).ids
    assert list(ids) == [second.pk]


def test_a_deleted_entry_is_no_longer_found(world, hooks):
    e = entry(world.partnership, "Neglect", "Neglect.")
    analyst = world.users[Role.ANALYST]
    assert search_entries(user=analyst, query="neglect").total == 1
    search_index_delete("learning", e.object_pk)
    assert search_entries(user=analyst, query="neglect").total == 0


def test_each_sentence_of_an_entry_keeps_its_own_unit_vector(world):
    from reviewhub.themes.engine.embed import sentences

    body = (
        "Parents were not asked about where the baby slept at night. "
        "The health visitor did not see the sleeping arrangements at home. "
        "Safe sleep advice was given once and never repeated."
    )
    e = search_index_upsert(
        kind="learning",
        object_pk=6,
        object_id="y",
        partnership_id=world.partnership.pk,
        title="Safer sleep",
        body=body,
        url="",
        published=True,
    )
    rows = semantic.rows_from_bytes(e.sentence_embeddings)
    assert rows.shape == (len(sentences(f"Safer sleep. {body}")), 384) and len(rows) >= 3
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-3)
    assert entry(world.partnership, "No vector", embed=False).sentence_embeddings is None


def test_an_entry_scores_by_its_best_sentence_and_its_whole():
    unit = np.eye(384, dtype=np.float32)
    v = semantic.Vectors(
        sig=(),
        ids=np.array([1, 2]),
        docs=np.vstack([unit[0], unit[1]]),
        # entry 1 has three sentences, entry 2 one: the offsets must keep them apart
        sentences=np.vstack([unit[2], unit[3], unit[1], unit[1]]),
        starts=np.array([0, 3]),
    )
    q = (unit[0] + unit[3]) / np.sqrt(2)
    got = semantic.scores(v, q[None, :])[:, 0]
    w = semantic.SENTENCE_WEIGHT
    assert got[0] == pytest.approx(w * (1 / np.sqrt(2)) + (1 - w) * (1 / np.sqrt(2)))
    assert got[1] == pytest.approx(0.0)


def test_entries_indexed_before_sentence_vectors_are_scored_by_their_whole(world, hooks):
    old = entry(world.partnership, "Sleep", "Safer sleep for babies.", embed=True)
    SearchEntry.objects.filter(pk=old.pk).update(sentence_embeddings=None)
    semantic.invalidate()
    v = semantic.vectors(world.partnership.pk)
    assert v.sentences.shape == (1, 384) and np.array_equal(v.sentences[0], v.docs[0])
    q = semantic.embed_queries(["babies sleeping safely"])[0]
    assert semantic.rank(SearchEntry.objects.all(), [world.partnership.pk], q) == [old.pk]


def test_semantic_candidates_are_rechecked_against_the_scope(world, hooks):
    kept = entry(world.partnership, "Sleep", "Safer sleep for babies.", embed=True)
    hidden = entry(world.partnership, "Cots", "Babies should sleep in their own cot.", embed=True)
    semantic.vectors(world.partnership.pk)  # both are in the cached matrices
    q = semantic.embed_queries(["where babies sleep"])
    scope = SearchEntry.objects.exclude(pk=hidden.pk)
    ranked = semantic.rank_many(scope, [world.partnership.pk], np.vstack([q, q]))
    assert ranked == [[kept.pk], [kept.pk]]


# One sentence squarely on the question, among others about something else, against a text that
# is vaguely on topic throughout: averaged vectors rank the second first.
ON_POINT = (
    "Annual report of the board. The board met six times this year and approved its budget. "
    "Attendance at board meetings by partner agencies was good. Training was delivered to four "
    "hundred staff across the county. The website was updated with new guidance pages. One baby "
    "died after co-sleeping in the parents' bed on the sofa."
)
VAGUE = (
    "Parents and their babies at home. The parents looked after the baby at home and health "
    "visitors visited the family regularly. The baby was growing well."
)


def test_one_sentence_on_the_question_is_not_averaged_away(world, hooks, monkeypatch):
    on_point = entry(world.partnership, "Board report", ON_POINT, embed=True)
    vague = entry(world.partnership, "Home visits", VAGUE, embed=True)
    q = semantic.embed_queries(["baby died sleeping in the parents bed"])[0]
    pid = [world.partnership.pk]
    assert semantic.rank(SearchEntry.objects.all(), pid, q) == [on_point.pk, vague.pk]
    monkeypatch.setattr(semantic, "SENTENCE_WEIGHT", 0.0)  # the whole-entry vector alone
    assert semantic.rank(SearchEntry.objects.all(), pid, q) == [vague.pk, on_point.pk]
