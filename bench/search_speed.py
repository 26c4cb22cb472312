"""Search speed: p50/p95 of a search over 1,500 synthetic reports of 60 pages each.

Generates a library from synthetic text (words drawn from the corpus in shared/corpus/ and the
taxonomy's keywords), indexes every page as a ``document_page`` entry (full text only) and a few
learning points per report (full text and MiniLM embeddings: a mean vector and about four sentence
vectors each), then times ~50 queries through the same selector the search page uses (scope,
filters, fusion, access hooks, snippets, audit). SQLite by default; PostgreSQL when DATABASE_URL
says so.

    PYTHONPATH=src python bench/search_speed.py [--reports 1500] [--pages 60]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_common import SHARED, drop_partnership, fresh_partnership, setup_django  # noqa: E402
from search_quality import QUERIES  # noqa: E402

EXTRA_QUERIES = [
    "neglect",
    "county lines exploitation",
    "information sharing between police and health",
    "missed appointments",
    "safer sleep",
    "mental capacity assessment",
    "domestic abuse and coercive control",
    "bruising protocol",
    "escalation policy",
    "children missing education",
    "self-harm in adolescents",
    "the voice of the child",
    "disguised compliance",
    "supervision and caseloads",
    "housing and poverty",
    "care leavers",
    "strategy discussion",
    "fathers",
]


def word_pool():
    words = []
    for line in (SHARED / "corpus" / "learning.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        words += re.findall(
            r"[A-Za-z][A-Za-z'-]+", f"{row['heading']} {row['learned']} {row.get('action', '')}"
        )
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1500)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--words", type=int, default=300, help="words per page")
    parser.add_argument("--learning", type=int, default=4, help="learning points per report")
    parser.add_argument("--keep", action="store_true", help="keep the generated rows (PostgreSQL)")
    args = parser.parse_args()
    vendor = setup_django()
    from django.db import connection, transaction

    from reviewhub.accounts.choices import Role
    from reviewhub.accounts.models import Membership, User
    from reviewhub.search import registry, semantic
    from reviewhub.search.models import SearchEntry
    from reviewhub.search.query import theme_labels, theme_phrases
    from reviewhub.search.selectors import search_entries

    rng = random.Random(8)
    pool = word_pool()
    themes = list(theme_labels())
    phrases: dict[str, list[str]] = {}
    for stems_, theme in theme_phrases():
        phrases.setdefault(theme, []).append(" ".join(stems_))
    p = fresh_partnership("Speed bench")
    user = User.objects.create_user(username=f"bench-{p.slug}", password=None)
    Membership.objects.create(user=user, partnership=p, role=Role.ANALYST)
    for kind in ("learning", "document_page"):
        registry.register_kind(kind, lambda u, pks: set(pks))
    try:
        t0 = time.perf_counter()
        pk = 0
        batch: list[SearchEntry] = []
        learning_texts: list[tuple[SearchEntry, str]] = []
        for r in range(1, args.reports + 1):
            report_themes = rng.sample(themes, 3)
            year = 2015 + r % 11
            for page in range(1, args.pages + 1):
                words = rng.choices(pool, k=args.words)
                for t in report_themes:
                    words.insert(rng.randrange(len(words)), rng.choice(phrases[t]))
                batch.append(
                    SearchEntry(
                        partnership=p,
                        kind="document_page",
                        object_id=f"{r}:p{page}",
                        object_pk=r,
                        title=f"Review {r} page {page}",
                        body=" ".join(words),
                        url=f"/documents/{r}/#page={page}",
                        published=False,
                        year=year,
                        review_type="lcspr",
                    )
                )
            for n in range(args.learning):
                pk += 1
                words = rng.choices(pool, k=60) + [rng.choice(phrases[report_themes[n % 3]])]
                # Sentences of ~15 words, as real points have (about 4 on average in the
                # corpus): the semantic ranker keeps a vector per sentence.
                body = ". ".join(" ".join(words[i : i + 15]) for i in range(0, len(words), 15))
                e = SearchEntry(
                    partnership=p,
                    kind="learning",
                    object_id=f"r{r}-{n}",
                    object_pk=pk,
                    title=" ".join(rng.choices(pool, k=8)),
                    body=body,
                    url=f"/learning/{pk}/",
                    published=n % 2 == 0,
                    year=year,
                    review_type="lcspr",
                    theme_ids=[report_themes[n % 3]],
                    theme_keys=f"|{report_themes[n % 3]}|",
                )
                learning_texts.append((e, f"{e.title}. {body}"))
                batch.append(e)
            if len(batch) >= 5000:
                with transaction.atomic():
                    SearchEntry.objects.bulk_create(batch, batch_size=1000)
                batch = []
        with transaction.atomic():
            SearchEntry.objects.bulk_create(batch, batch_size=1000)
        t_text = time.perf_counter() - t0
        t1 = time.perf_counter()
        entries = list(
            SearchEntry.objects.filter(partnership=p, kind="learning").only("pk", "title", "body")
        )
        for start in range(0, len(entries), 512):
            chunk = entries[start : start + 512]
            vecs, sents = semantic.embed_entries([f"{e.title}. {e.body}" for e in chunk])
            for e, v, s in zip(chunk, vecs, sents, strict=True):
                e.embedding = semantic.to_bytes(v)
                e.sentence_embeddings = semantic.rows_to_bytes(s)
            with transaction.atomic():
                SearchEntry.objects.bulk_update(
                    chunk, ["embedding", "sentence_embeddings"], batch_size=500
                )
        t_embed = time.perf_counter() - t1
        if vendor == "postgresql":
            with connection.cursor() as c:
                c.execute("ANALYZE search_searchentry")
        n_pages = SearchEntry.objects.filter(partnership=p, kind="document_page").count()
        print(
            f"database: {vendor}; {args.reports} reports x {args.pages} pages = {n_pages} page entries "
            f"(~{args.words} words each) + {len(entries)} learning points"
        )
        print(
            f"index build: text {t_text:.1f}s (FTS kept in step on insert), embeddings {t_embed:.1f}s"
        )
        queries = [q for q, _, _ in QUERIES] + EXTRA_QUERIES
        # Warm-up: load the encoder and the embedding matrix once, as a running server has.
        search_entries(user=user, query="warm up", partnership_ids=[p.pk])
        times = []
        totals = []
        for q in queries:
            t = time.perf_counter()
            res = search_entries(user=user, query=q, partnership_ids=[p.pk], limit=20)
            times.append((time.perf_counter() - t) * 1000)
            totals.append(res.total)
        times.sort()
        p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
        print(
            f"{len(queries)} queries: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
            f"max {times[-1]:.0f} ms; median results {statistics.median(totals):.0f}"
        )
        t = time.perf_counter()
        from reviewhub.search.selectors import SearchFilters

        for q in queries[:20]:
            search_entries(
                user=user,
                query=q,
                partnership_ids=[p.pk],
                filters=SearchFilters(types=("learning",), year=2020),
            )
        print(f"with filters (learning, year): mean {(time.perf_counter() - t) * 1000 / 20:.0f} ms")
    finally:
        if not args.keep:
            t = time.perf_counter()
            user.delete()
            drop_partnership(p)
            print(f"clean-up {time.perf_counter() - t:.1f}s")


if __name__ == "__main__":
    main()
