"""``reviewhub search "QUERY"``: the search page's ranking from the command line.

Who is searching: with ``--user USERNAME`` the search runs as that person through the same access
path as the page (their partnerships, their roles, each kind's access hook) and is audited under
their name. Without it, the operator searches learning points and briefings (published or not;
never document pages) of every partnership, or of ``--partnership``: whoever runs commands on
the server can read the database anyway, and the search is audited with no user and
"from=command line" unless ``--published`` restricts it to published material.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from reviewhub.accounts.models import Partnership, User
from reviewhub.search.forms import TYPE_CHOICES
from reviewhub.search.query import theme_labels
from reviewhub.search.selectors import SearchFilters, operator_search, search_entries
from reviewhub.search.text import plain_snippet

TYPES = [value for value, _ in TYPE_CHOICES]


def _positive_limit(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise CommandError(f"--limit must be a whole number, not {value[:20]!r}.")
    if not 1 <= n <= 200:
        raise CommandError("--limit must be between 1 and 200.")
    return n


class Command(BaseCommand):
    help = "Search learning points, briefings and document text (ranked, with snippets)."

    def add_arguments(self, parser):
        parser.add_argument("query", help="the words to look for")
        parser.add_argument("--json", action="store_true", help="print the ranked results as JSON")
        parser.add_argument("--limit", default="10", help="how many results (1-200, default 10)")
        parser.add_argument("--user", help="search as this user, through their access (audited)")
        parser.add_argument("--partnership", help="only this partnership (its slug)")
        parser.add_argument(
            "--type", choices=TYPES, action="append", help="learning, briefing or document"
        )
        parser.add_argument("--theme", help="only entries coded with this theme id")
        parser.add_argument("--year", type=int, help="only entries of this year")
        parser.add_argument("--published", action="store_true", help="only published entries")

    def handle(self, *args, **opts):
        query = " ".join(str(opts["query"]).split())
        if not any(ch.isalnum() for ch in query) or len(query) > 500:
            raise CommandError("Give a query of 1 to 500 characters with at least one word.")
        limit = _positive_limit(str(opts["limit"]))
        if opts["theme"] and opts["theme"] not in theme_labels():
            raise CommandError(f"Unknown theme {opts['theme'][:60]!r}.")
        if opts["year"] is not None and not 1950 <= opts["year"] <= 2100:
            raise CommandError("--year must be between 1950 and 2100.")
        filters = SearchFilters(
            types=tuple(opts["type"] or ()),
            theme=opts["theme"] or "",
            year=opts["year"],
            published_only=opts["published"],
        )
        partnership_ids = None
        if opts["partnership"]:
            p = Partnership.objects.filter(slug=opts["partnership"]).first()
            if p is None:
                raise CommandError(f"No partnership with slug {opts['partnership'][:60]!r}.")
            partnership_ids = [p.pk]
        if opts["user"]:
            user = User.objects.filter(username=opts["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {opts['user'][:60]!r}.")
            results = search_entries(
                user=user,
                query=query,
                filters=filters,
                partnership_ids=partnership_ids,
                limit=limit,
            )
        else:
            if "document" in filters.types:
                raise CommandError("Document pages are searched only as a user: add --user.")
            results = operator_search(
                query=query, filters=filters, partnership_ids=partnership_ids, limit=limit
            )
        if opts["json"]:
            rows = [
                {
                    "type": hit.entry.kind,
                    "id": hit.entry.object_id,
                    "score": hit.score,
                    "snippet": plain_snippet(hit.marked),
                }
                for hit in results.hits
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not results.hits:
            self.stdout.write("No results.")
            return
        for n, hit in enumerate(results.hits, start=1):
            e = hit.entry
            self.stdout.write(f"{n}. [{e.kind}] {e.object_id}  {e.title}  (score {hit.score:.4f})")
            self.stdout.write(f"   {plain_snippet(hit.marked)}")
            if e.url:
                self.stdout.write(f"   {e.url}")
