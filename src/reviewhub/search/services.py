"""Writes to the search index. Other apps call these from their own services.

The index holds a copy of text and facets, not the source of truth: each owning app's service
calls ``search_index_upsert`` when it saves and ``search_index_delete`` when it removes, inside its
own transaction, so the index commits or rolls back with the change. The caller audits its change;
index writes are derived data and are not audited again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from . import semantic
from .choices import Kind
from .models import SearchEntry

_KIND = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
TITLE_MAX = 500


def _keys(values) -> str:
    values = [str(v) for v in values or ()]
    for v in values:
        if "|" in v:
            raise ValidationError("A facet id may not contain '|'.")
    return "|" + "|".join(values) + "|" if values else ""


def _fields(item: dict) -> dict:
    kind = item["kind"]
    if not isinstance(kind, str) or not _KIND.match(kind):
        raise ValidationError(f"Search kind {str(kind)[:40]!r} is not a lower-case slug.")
    title = " ".join(str(item.get("title") or "").split())
    if not title:
        raise ValidationError("A search entry needs a title.")
    year = item.get("year")
    if year is not None and (isinstance(year, bool) or not 1900 <= int(year) <= 2200):
        raise ValidationError("year must be between 1900 and 2200.")
    theme_ids = [str(t) for t in item.get("theme_ids") or ()]
    suggested = [str(t) for t in item.get("suggested_theme_ids") or ()]
    agency_ids = [str(a) for a in item.get("agency_ids") or ()]
    return {
        "partnership_id": int(item["partnership_id"]),
        "object_id": str(item["object_id"])[:100],
        "title": title[:TITLE_MAX],
        "body": str(item.get("body") or ""),
        "url": str(item.get("url") or "")[:500],
        "published": bool(item.get("published")),
        "year": int(year) if year is not None else None,
        "review_type": str(item.get("review_type") or "")[:40],
        "theme_ids": theme_ids,
        # Suggestions stand in only while nobody has coded the entry.
        "suggested_theme_ids": [] if theme_ids else suggested,
        "agency_ids": agency_ids,
        "theme_keys": _keys(theme_ids),
        "agency_keys": _keys(agency_ids),
        "age_band": str(item.get("age_band") or "")[:30],
    }


def search_index_upsert(
    *,
    kind: str,
    object_pk: int,
    object_id: str,
    partnership_id: int,
    title: str,
    body: str,
    url: str,
    published: bool,
    year: int | None = None,
    review_type: str = "",
    theme_ids: Iterable = (),
    suggested_theme_ids: Iterable = (),
    agency_ids: Iterable = (),
    age_band: str = "",
    embed: bool = True,
) -> SearchEntry:
    """Create or replace the index entry of one object (embedding it unless ``embed`` is off)."""
    return search_index_upsert_many(
        [
            {
                "kind": kind,
                "object_pk": object_pk,
                "object_id": object_id,
                "partnership_id": partnership_id,
                "title": title,
                "body": body,
                "url": url,
                "published": published,
                "year": year,
                "review_type": review_type,
                "theme_ids": list(theme_ids),
                "suggested_theme_ids": list(suggested_theme_ids),
                "agency_ids": list(agency_ids),
                "age_band": age_band,
                "embed": embed,
            }
        ]
    )[0]


def search_index_upsert_many(items: list[dict]) -> list[SearchEntry]:
    """Upsert many entries at once, embedding them in batches (imports, re-indexing).

    Each item has the keyword arguments of ``search_index_upsert``. Everything is validated before
    anything is written, so a bad item writes nothing.
    """
    prepared = []
    for item in items:
        fields = _fields(item)
        prepared.append((item["kind"], int(item["object_pk"]), fields, item.get("embed", True)))
    to_embed = [i for i, (_, _, _, e) in enumerate(prepared) if e]
    vectors, sentence_vectors = semantic.embed_entries(
        [f"{prepared[i][2]['title']}. {prepared[i][2]['body']}" for i in to_embed]
    )
    embedding: dict[int, tuple[bytes, bytes]] = {
        i: (semantic.to_bytes(v), semantic.rows_to_bytes(s))
        for i, v, s in zip(to_embed, vectors, sentence_vectors, strict=True)
    }
    out = []
    with transaction.atomic():
        for i, (kind, object_pk, fields, _) in enumerate(prepared):
            fields["embedding"], fields["sentence_embeddings"] = embedding.get(i, (None, None))
            if kind == Kind.DOCUMENT_PAGE:
                # A document has one entry per page, told apart by object_id.
                object_id = fields.pop("object_id")
                entry, _ = SearchEntry.objects.update_or_create(
                    kind=kind, object_pk=object_pk, object_id=object_id, defaults=fields
                )
            else:
                # Every other kind has one entry per object, whose public id may change (a
                # learning point gets its generated external id after its first save).
                entry, _ = SearchEntry.objects.update_or_create(
                    kind=kind, object_pk=object_pk, defaults=fields
                )
            out.append(entry)
        partnerships = {f["partnership_id"] for _, _, f, _ in prepared}
        # Now (this process, this transaction) and after commit (what other readers then see).
        for p in partnerships:
            semantic.invalidate(p)
        transaction.on_commit(lambda: [semantic.invalidate(p) for p in partnerships])
    return out


def search_index_delete(kind: str, object_pk: int) -> int:
    """Remove an object's entries (every page of a document); return how many rows went."""
    with transaction.atomic():
        partnerships = set(
            SearchEntry.objects.filter(kind=kind, object_pk=object_pk).values_list(
                "partnership_id", flat=True
            )
        )
        deleted, _ = SearchEntry.objects.filter(kind=kind, object_pk=object_pk).delete()
        for p in partnerships:
            semantic.invalidate(p)
        transaction.on_commit(lambda: [semantic.invalidate(p) for p in partnerships])
    return deleted
