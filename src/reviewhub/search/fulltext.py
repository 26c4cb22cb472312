"""Full-text ranking per database: FTS5 BM25 on SQLite, ts_rank over a tsvector on PostgreSQL.

Both take the same input (word and phrase lists, OR-ed: a practitioner's query is a bag of words,
not a boolean expression) and the same scope (a SearchEntry queryset already narrowed by
partnership, access and filters), and return entry ids best first. Every term is reduced to
[a-z0-9] tokens before it reaches either query language, so user input cannot inject operators.
"""

from __future__ import annotations

from django.db import connection

from .text import STOP_WORDS, tokens

# Title matches count more than body matches (FTS5 column weights; tsvector weight A vs B).
TITLE_WEIGHT = 3.0

# {scope} becomes the scope queryset's compiled SQL (its values stay parameters); {cap} an int.
PG_SQL = (
    "SELECT s.id FROM (SELECT e.id, e.search_vector FROM search_searchentry e "
    "WHERE e.search_vector @@ to_tsquery('english', %s) AND {group} AND e.id IN ({scope}) {cap}) s "
    "ORDER BY ts_rank('{0.1, 0.2, 0.4, 1.0}', s.search_vector, to_tsquery('english', %s), 1) "
    "DESC, s.id LIMIT %s"
)
# The group condition repeats the partial indexes' predicates, so the planner uses them.
PG_GROUPS = {"items": "e.kind <> 'document_page'", "pages": "e.kind = 'document_page'"}
# MATERIALIZED: flattened into the outer query, bm25() was re-evaluated row by row (40x slower).
SQLITE_SQL = (
    "WITH f AS MATERIALIZED (SELECT rowid AS id, bm25({table}, %s, 1.0) AS r "
    "FROM {table} WHERE {table} MATCH %s {cap}) SELECT f.id FROM f WHERE f.id IN ({scope}) "
    "ORDER BY f.r, f.id LIMIT %s"
)
# First try (both databases): the best matches regardless of scope, then keep those in scope by
# primary key. Building the scope's whole id list (IN (subquery)) costs ~30 ms on 90,000
# entries, so it is only the fallback when too few of the best matches are in scope.
SQLITE_TOP_SQL = (
    "WITH f AS MATERIALIZED (SELECT rowid AS id, bm25({table}, %s, 1.0) AS r "
    "FROM {table} WHERE {table} MATCH %s {cap}) SELECT f.id FROM f ORDER BY f.r, f.id LIMIT %s"
)
FIRST_TRY = 300
# Learning and briefings, and document pages, have an FTS5 table each (migration 0001).
TABLES = {"items": "search_fts", "pages": "search_fts_pages"}


def _clean_phrases(phrases) -> list[list[str]]:
    out, seen = [], set()
    for phrase in phrases:
        words = [t for t in tokens(phrase) if t not in STOP_WORDS]
        key = tuple(words)
        if words and key not in seen:
            seen.add(key)
            out.append(words)
    return out


def sqlite_match(phrases) -> str:
    """Build an FTS5 MATCH expression: quoted phrases joined by OR."""
    return " OR ".join('"' + " ".join(p) + '"' for p in _clean_phrases(phrases))


def postgres_tsquery(phrases) -> str:
    """Build a to_tsquery('english') expression: quoted lexemes, <-> within phrases, | between."""
    parts = []
    for p in _clean_phrases(phrases):
        lexemes = " <-> ".join(f"'{w}'" for w in p)
        parts.append(f"({lexemes})" if len(p) > 1 else lexemes)
    return " | ".join(parts)


def rank(scope, phrases, limit: int = 200, *, group: str = "items", cap: int = 0) -> list[int]:
    """Return the ids of entries in ``scope`` matching any phrase, best first.

    ``group`` is "items" (learning, briefings: every match is ranked) or "pages" (document pages).
    ``cap`` bounds how many matches are ranked: on a large library a common word matches tens of
    thousands of pages, and ranking them all would cost seconds.
    """
    cap_sql = f"LIMIT {int(cap)}" if cap else ""
    # scope_sql is Django's own compiled SQL with its values kept as parameters; user text only
    # ever travels as a parameter (and as [a-z0-9] tokens at that).
    scope_sql, scope_params = scope.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            q = postgres_tsquery(phrases)
            if not q:
                return []
            top_sql = (
                PG_SQL.replace(" AND e.id IN ({scope})", "")
                .replace("{cap}", cap_sql)
                .replace("{group}", PG_GROUPS[group])
            )
            cursor.execute(top_sql, [q, q, FIRST_TRY])
            top = [row[0] for row in cursor.fetchall()]
            allowed = set(scope.filter(pk__in=top).values_list("pk", flat=True))
            kept = [pk for pk in top if pk in allowed]
            if len(kept) >= limit or len(top) < FIRST_TRY:
                return kept[:limit]
            sql = (
                PG_SQL.replace("{scope}", scope_sql)
                .replace("{cap}", cap_sql)
                .replace("{group}", PG_GROUPS[group])
            )
            cursor.execute(sql, [q, *scope_params, q, limit])
        else:
            q = sqlite_match(phrases)
            if not q:
                return []
            top_sql = SQLITE_TOP_SQL.replace("{cap}", cap_sql).replace("{table}", TABLES[group])
            cursor.execute(top_sql, [TITLE_WEIGHT, q, FIRST_TRY])
            top = [row[0] for row in cursor.fetchall()]
            allowed = set(scope.filter(pk__in=top).values_list("pk", flat=True))
            kept = [pk for pk in top if pk in allowed]
            if len(kept) >= limit or len(top) < FIRST_TRY:
                return kept[:limit]
            sql = (
                SQLITE_SQL.replace("{scope}", scope_sql)
                .replace("{cap}", cap_sql)
                .replace("{table}", TABLES[group])
            )
            cursor.execute(sql, [TITLE_WEIGHT, q, *scope_params, limit])
        return [row[0] for row in cursor.fetchall()]
