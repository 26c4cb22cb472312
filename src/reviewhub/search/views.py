"""The search page: one box over learning, briefings and document text, for every role."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .forms import PAGE_SIZE, SearchForm
from .selectors import search_entries


@require_GET
@login_required
def search(request):
    """Search within the active partnership; HTMX requests get the results panel only."""
    form = SearchForm(request.GET or None)
    results = None
    page = 1
    if form.is_bound and form.is_valid():
        page = form.page_number
        partnership = getattr(request, "partnership", None)
        results = search_entries(
            user=request.user,
            query=form.cleaned_data["q"],
            filters=form.filters(),
            partnership_ids=[partnership.pk] if partnership else [],
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
    context = {"form": form, "results": results, "page": page}
    if results is not None:
        params = request.GET.copy()
        params.pop("page", None)
        base = params.urlencode()
        context["prev_url"] = f"?{base}&{urlencode({'page': page - 1})}" if page > 1 else ""
        more = results.total > page * PAGE_SIZE and page < 10
        context["next_url"] = f"?{base}&{urlencode({'page': page + 1})}" if more else ""
        context["first"] = (page - 1) * PAGE_SIZE + 1
        context["last"] = (page - 1) * PAGE_SIZE + len(results.hits)
    template = "search/_results.html" if getattr(request, "htmx", False) else "search/search.html"
    return render(request, template, context)
