"""API search: the search page's form and selector, so the same access and audit apply.

``search_entries`` scopes by partnership and role (practitioners find published entries only),
asks each kind's access hook which results the caller may see, and audits every search whose
scope holds unpublished material (the query's length and keyed hash, never its words). The
query parameters are checked by the page's ``SearchForm`` as well as by their schema, and the
schema states the form's rules (a letter or digit in ``q``, the patterns of the facets), so a
query the schema allows is one the page takes. One difference: a ``theme`` that is not in the
taxonomy finds nothing (200, no results), as on ``/learning-points``, where the page's form
offers only the taxonomy's themes.
"""

from dataclasses import replace
from typing import Annotated, Literal

from django.utils.datastructures import MultiValueDict
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from reviewhub.search.choices import TYPE_KINDS
from reviewhub.search.forms import SearchForm
from reviewhub.search.selectors import MAX_RESULTS, search_entries
from reviewhub.search.text import plain_snippet, render_snippet

from .inputs import Matches, QueryIn
from .routers import ERRORS

router = Router(tags=["search"])

#: The kind of an index entry -> the ``type`` the filter names (document pages are "document").
TYPE_OF_KIND = {kind: name for name, kinds in TYPE_KINDS.items() for kind in kinds}


#: A letter or digit somewhere (``[^\W_]`` is exactly ``str.isalnum``, the form's test) and no NUL.
HAS_A_WORD = r"^[^\x00]*[^\W_][^\x00]*$"


class SearchParams(QueryIn):
    q: Annotated[str, Matches(HAS_A_WORD, "Enter a word to search for.")] = Field(
        ..., min_length=1, max_length=200, description="the words to look for"
    )
    type: list[Literal[tuple(TYPE_KINDS)]] | None = Field(  # type: ignore[valid-type]
        None, description="repeat to search several types; none: all"
    )
    theme: str | None = Field(
        None,
        max_length=80,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="a theme id of the taxonomy (GET /themes); another finds nothing",
    )
    year: int | None = Field(None, ge=1950, le=2100)
    review_type: str | None = Field(None, max_length=40, pattern=r"^[A-Za-z0-9_-]*$")
    agency: str | None = Field(None, max_length=40, pattern=r"^[A-Za-z0-9_-]*$")
    age_band: str | None = Field(None, max_length=30, pattern=r"^[A-Za-z0-9_-]*$")
    published: bool | None = Field(None, description="true: published learning only")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_RESULTS, description=f"results stop at {MAX_RESULTS}")


class SearchHitOut(Schema):
    type: str
    id: str
    title: str
    score: float
    snippet: str = Field(..., description="plain text, the matched words in [brackets]")
    snippet_html: str = Field(..., description="HTML-escaped, the matched words in <mark>")
    url: str
    published: bool
    year: int | None


class SearchOut(Schema):
    count: int = Field(..., description=f"results you may see (at most {MAX_RESULTS})")
    items: list[SearchHitOut]
    expansions: list[str] = Field(..., description="everyday words also searched for")


def _form(params: SearchParams) -> SearchForm:
    data = MultiValueDict()
    for name, value in params.dict().items():
        # The theme is applied as given (below): the form knows only the taxonomy's.
        if name in ("limit", "offset", "theme") or value is None:
            continue
        if name == "type":
            data.setlist("type", list(value))
        elif name == "published":
            if value:
                data["published"] = "on"
        else:
            data[name] = str(value)
    return SearchForm(data)


@router.get(
    "/search",
    response={200: SearchOut, **ERRORS},
    url_name="search",
    summary="Search learning, briefings and document pages (practitioners: published only)",
)
def search(request, params: Query[SearchParams]):
    """Run the page's search as the token's user in their partnership, one page of results."""
    form = _form(params)
    if not form.is_valid():
        raise ValidationError(
            [
                {"loc": ["query", field], "msg": msg, "type": "value_error"}
                for field, msgs in form.errors.items()
                for msg in msgs
            ]
        )
    pid = request.partnership_id
    results = search_entries(
        user=request.user,
        query=form.cleaned_data["q"],
        filters=replace(form.filters(), theme=params.theme or ""),
        partnership_ids=[pid] if pid else [],
        limit=params.limit,
        offset=params.offset,
    )
    return {
        "count": results.total,
        "items": [
            {
                "type": TYPE_OF_KIND.get(hit.entry.kind, hit.entry.kind),
                "id": hit.entry.object_id,
                "title": hit.entry.title,
                "score": hit.score,
                "snippet": plain_snippet(hit.marked),
                "snippet_html": str(render_snippet(hit.marked)),
                "url": hit.entry.url,
                "published": hit.entry.published,
                "year": hit.entry.year,
            }
            for hit in results.hits
        ],
        "expansions": list(results.expansions),
    }
