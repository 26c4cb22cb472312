"""Reads of the search index, always through the access rule, audited for case material.

Order of checks for a signed-in user:
1. Partnership first: entries of the partnerships searched where the user holds a role; roles
   without case access (practitioners) get only ``published`` entries there (belt); national
   analysts get published learning of every partnership.
2. Filters narrow that scope (kind, theme, year, review type, agency, age band, published).
3. Ranking runs inside the scope only, so nothing outside it can leak through scores or counts.
4. The owning app's hook (registry.py) decides, per kind, which ranked objects the user may see
   (braces); a kind without a hook shows nothing.
A search whose scope includes unpublished material is audited (AuditAction.SEARCH) with the
number of results and the filters; the query itself is not stored, since it may hold a child's
name: only its length and a keyed hash (HMAC-SHA256 with SECRET_KEY, 16 hex digits), which lets
an investigator confirm a suspected query without the log disclosing it.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from reviewhub.accounts.access import role_map
from reviewhub.accounts.choices import CASE_ROLES, Role
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from . import registry
from .choices import TYPE_KINDS, Kind
from .models import SearchEntry
from .ranking import rank_entries
from .text import render_snippet, snippet

# How many fused results are checked against the access hooks; deeper pages are not offered.
MAX_RESULTS = 200
# How deep each ranker looks; fused, they still yield well over a page or ten of results.
RANK_DEPTH = 100
# Kinds the command line may search without naming a user (see management command).
OPERATOR_KINDS = (Kind.LEARNING, Kind.BRIEFING)


@dataclass(frozen=True)
class SearchFilters:
    """The facets a search may be narrowed by; empty values do not filter."""

    types: tuple[str, ...] = ()
    theme: str = ""
    year: int | None = None
    review_type: str = ""
    agency: str = ""
    age_band: str = ""
    published_only: bool = False

    def apply(self, qs):
        if self.types:
            kinds = [k for t in self.types for k in TYPE_KINDS.get(t, ())]
            qs = qs.filter(kind__in=kinds)
        if self.theme:
            qs = qs.filter(theme_keys__contains=f"|{self.theme}|")
        if self.year is not None:
            qs = qs.filter(year=self.year)
        if self.review_type:
            qs = qs.filter(review_type=self.review_type)
        if self.agency:
            qs = qs.filter(agency_keys__contains=f"|{self.agency}|")
        if self.age_band:
            qs = qs.filter(age_band=self.age_band)
        if self.published_only:
            qs = qs.filter(published=True)
        return qs

    def describe(self) -> str:
        """Name the filters used, for the audit detail (ids and years only, never free text)."""
        parts = []
        for name in ("types", "theme", "year", "review_type", "agency", "age_band"):
            value = getattr(self, name)
            if value not in ("", None, ()):
                shown = ",".join(value) if isinstance(value, tuple) else str(value)
                parts.append(f"{name}={shown[:40]}")
        if self.published_only:
            parts.append("published")
        return " ".join(parts) or "none"


@dataclass
class Hit:
    """One result: the entry, its fused score and a marked snippet."""

    entry: SearchEntry
    score: float
    marked: str

    @property
    def snippet_html(self):
        return render_snippet(self.marked)

    @property
    def kind_label(self) -> str:
        return registry.label_for(self.entry.kind)


@dataclass
class SearchResults:
    """A page of results, the total visible and whether the search was audited."""

    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    audited: bool = False
    expansions: tuple[str, ...] = ()


def query_fingerprint(query: str) -> str:
    """Return a keyed hash of a query: comparable, not readable."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, query.strip().lower().encode(), hashlib.sha256).hexdigest()[:16]


def user_scope(user, partnership_ids=None) -> tuple[Q | None, list[int], bool]:
    """Return (scope, partnerships to rank over, whether unpublished material is in scope)."""
    parts: list[Q] = []
    pids: set[int] = set()
    case_scope = False
    for pid, held in role_map(user).items():
        if partnership_ids is not None and pid not in partnership_ids:
            continue
        if held & CASE_ROLES:
            parts.append(Q(partnership_id=pid))
            pids.add(pid)
            case_scope = True
        elif Role.PRACTITIONER in held:
            parts.append(Q(partnership_id=pid, published=True))
            pids.add(pid)
    if any(Role.NATIONAL_ANALYST in held for held in role_map(user).values()):
        parts.append(Q(kind=Kind.LEARNING, published=True))
        pids.update(SearchEntry.objects.values_list("partnership_id", flat=True).distinct())
    if not parts:
        return None, [], False
    scope = parts[0]
    for p in parts[1:]:
        scope |= p
    return scope, sorted(pids), case_scope


def _rank_page(scope_qs, pids, query, limit, offset, visible_fn):
    analysed, fused = rank_entries(scope_qs, pids, query, depth=RANK_DEPTH)
    fused = fused[:MAX_RESULTS]
    # The access hooks need only each entry's kind and object; whole rows (text for snippets)
    # are read for the page of results shown, never the stored vectors.
    light = SearchEntry.objects.only("pk", "kind", "object_pk").in_bulk([f.pk for f in fused])
    ordered = [(f, light[f.pk]) for f in fused if f.pk in light]
    allowed = visible_fn(ordered)
    visible = [(f, e) for f, e in ordered if e.pk in allowed]
    shown = visible[offset : offset + limit]
    rows = SearchEntry.objects.defer("embedding", "sentence_embeddings").in_bulk(
        [e.pk for _, e in shown]
    )
    stems_ = analysed.highlight_stems
    hits = []
    for f, e in shown:
        e = rows.get(e.pk)
        if e is None:  # removed since it was ranked
            continue
        marked, _ = snippet(e.body or e.title, stems_)
        hits.append(Hit(entry=e, score=round(f.score, 6), marked=marked))
    return SearchResults(hits=hits, total=len(visible), expansions=analysed.expansions)


def search_entries(
    *,
    user,
    query: str,
    filters: SearchFilters | None = None,
    partnership_ids=None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    """Search as ``user``: scope, filter, rank, check each result with its kind's hook, audit."""
    filters = filters or SearchFilters()
    if user is None or not user.is_authenticated or not user.is_active:
        return SearchResults()
    scope, pids, case_scope = user_scope(user, partnership_ids)
    if scope is None or not query.strip():
        return SearchResults()
    scope_qs = filters.apply(SearchEntry.objects.filter(scope))

    def visible_fn(ordered):
        by_kind: dict[str, list[int]] = {}
        for _, e in ordered:
            by_kind.setdefault(e.kind, []).append(e.object_pk)
        ok_objects = {
            (k, pk) for k, pks in by_kind.items() for pk in registry.visible(user, k, pks)
        }
        return {e.pk for _, e in ordered if (e.kind, e.object_pk) in ok_objects}

    results = _rank_page(scope_qs, pids, query, limit, offset, visible_fn)
    if case_scope and not filters.published_only:
        _audit(user=user, query=query, filters=filters, total=results.total, pids=pids)
        results.audited = True
    return results


def operator_search(
    *, query: str, filters: SearchFilters | None = None, partnership_ids=None, limit: int = 20
) -> SearchResults:
    """Search learning and briefings for the command line's operator, who names no user.

    Someone at the server's shell already holds the database; the search is still audited (with
    no user) whenever unpublished entries are in scope.
    """
    filters = filters or SearchFilters()
    if not query.strip():
        return SearchResults()
    qs = SearchEntry.objects.filter(kind__in=OPERATOR_KINDS)
    if partnership_ids is not None:
        qs = qs.filter(partnership_id__in=partnership_ids)
    scope_qs = filters.apply(qs)
    pids = sorted(set(scope_qs.values_list("partnership_id", flat=True).distinct()))
    results = _rank_page(
        scope_qs, pids, query, limit, 0, lambda ordered: {e.pk for _, e in ordered}
    )
    if not filters.published_only:
        _audit(user=None, query=query, filters=filters, total=results.total, pids=pids)
        results.audited = True
    return results


def _audit(*, user, query: str, filters: SearchFilters, total: int, pids) -> None:
    with transaction.atomic():
        audit_event_record(
            action=AuditAction.SEARCH,
            object_type="search.searchentry",
            user=user,
            partnership_id=pids[0] if len(pids) == 1 else None,
            detail=(
                f"results={total}; query_length={len(query)}; "
                f"query_hmac={query_fingerprint(query)}; filters={filters.describe()}"
                + ("" if user is not None else "; from=command line")
            ),
        )
