"""Index entries for search tests, and access hooks that stand in for the owning apps'."""

import itertools

from reviewhub.accounts.access import role_map
from reviewhub.accounts.choices import CASE_ROLES, Role
from reviewhub.search.models import SearchEntry
from reviewhub.search.services import search_index_upsert

_pk = itertools.count(1000)


def entry(partnership, title, body="", *, kind="learning", published=True, embed=False, **facets):
    """Index one object and return its entry (no embedding unless asked: the model is slow)."""
    pk = facets.pop("object_pk", None) or next(_pk)
    return search_index_upsert(
        kind=kind,
        object_pk=pk,
        object_id=facets.pop("object_id", f"{kind}-{pk}"),
        partnership_id=partnership.pk,
        title=title,
        body=body,
        url=facets.pop("url", f"/things/{pk}/"),
        published=published,
        embed=embed,
        **facets,
    )


def staff_or_published(user, pks):
    """A hook like learning's: case roles see their partnership's rows; others published only."""
    roles = role_map(user)
    rows = SearchEntry.objects.filter(object_pk__in=pks)
    visible = set()
    for e in rows:
        held = roles.get(e.partnership_id, frozenset())
        national = any(Role.NATIONAL_ANALYST in r for r in roles.values())
        if held & CASE_ROLES or (e.published and (held or national)):
            visible.add(e.object_pk)
    return visible
