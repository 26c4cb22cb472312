"""The API's search: the page's selector, so the page's scope and audit; its errors."""

import pytest
from django.test import Client
from hypothesis import given

from reviewhub.accounts.choices import Role
from reviewhub.api.services import api_token_create
from reviewhub.audit.models import AuditEvent
from reviewhub.learning.tests.factories import point
from reviewhub.search.models import SearchEntry
from reviewhub.search.selectors import query_fingerprint
from reviewhub.tests.test_security import FUZZ, form_body, hostile

pytestmark = pytest.mark.django_db

URL = "/api/v1/search"


def as_(user):
    _, token = api_token_create(user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def canaries(world):
    """A published point and a draft canary about the same thing, through the real indexing."""
    published = point(
        world.partnership,
        external_id="pub-fathers",
        published=True,
        heading="Fathers were overlooked",
        learned="Nobody assessed the fathers in the household.",
        action="Ask about fathers and other male carers.",
    )
    draft = point(
        world.partnership,
        external_id="draft-canary",
        published=False,
        heading="DRAFT CANARY fathers",
        learned="Draft: fathers were never seen by the health visitor.",
        action="Draft action about fathers.",
    )
    return published, draft


def searches():
    return AuditEvent.objects.filter(action="search", object_type="search.searchentry")


@pytest.mark.parametrize("role", sorted(Role.values))
def test_every_role_searches_and_only_case_roles_find_the_draft(world, canaries, role):
    published, draft = canaries
    response = as_(world.users[role]).get(URL, {"q": "fathers"})
    assert response.status_code == 200
    body = response.json()
    ids = {hit["id"] for hit in body["items"]}
    assert body["count"] == len(body["items"])
    can_see_drafts = role in {Role.ANALYST, Role.BUSINESS_UNIT, Role.ADMINISTRATOR}
    if role == Role.NATIONAL_ANALYST:
        # Another partnership's national analyst: published learning of every partnership.
        assert ids == {"pub-fathers"}
    elif can_see_drafts:
        assert ids == {"pub-fathers", "draft-canary"}
    else:
        assert ids <= {"pub-fathers"}
        assert "CANARY" not in response.content.decode()


def test_a_practitioner_never_finds_the_draft_canary_even_asking_for_it(world, canaries):
    client = as_(world.users[Role.PRACTITIONER])
    for q in ("DRAFT CANARY", "canary", "health visitor", "fathers"):
        for extra in ({}, {"published": "false"}, {"type": "learning"}):
            response = client.get(URL, {"q": q, **extra})
            assert response.status_code == 200
            assert "CANARY" not in response.content.decode(), (q, extra)


def test_hits_have_type_id_score_snippet_and_link(world, canaries):
    published, _ = canaries
    body = as_(world.users[Role.PRACTITIONER]).get(URL, {"q": "dads"}).json()
    [hit] = body["items"]
    assert hit["type"] == "learning" and hit["id"] == "pub-fathers"
    assert hit["url"] == f"/learning/{published.pk}/" and hit["published"] is True
    assert hit["score"] > 0
    assert "[fathers]" in hit["snippet"].lower() and "<mark>" in hit["snippet_html"]
    assert "father" in body["expansions"]  # "dads" is an everyday word for it


def test_a_staff_search_writes_one_audit_event_without_the_words(world, canaries):
    client = as_(world.users[Role.ANALYST])
    before = AuditEvent.objects.count()
    assert client.get(URL, {"q": "fathers household"}).status_code == 200
    new = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(e.action, e.object_type) for e in new] == [("search", "search.searchentry")]
    assert "fathers" not in new[0].detail
    assert query_fingerprint("fathers household") in new[0].detail
    # Published learning only is not case material: no audit, as on the page.
    client.get(URL, {"q": "fathers", "published": "true"})
    assert searches().count() == 1


def test_a_practitioners_search_of_published_learning_is_not_audited(world, canaries):
    as_(world.users[Role.PRACTITIONER]).get(URL, {"q": "fathers"})
    assert not searches().exists()


def test_filters_and_paging(world, canaries):
    client = as_(world.users[Role.ANALYST])
    assert client.get(URL, {"q": "fathers", "published": "true"}).json()["count"] == 1
    assert client.get(URL, {"q": "fathers", "type": "briefing"}).json()["count"] == 0
    both = client.get(f"{URL}?q=fathers&type=learning&type=briefing").json()
    assert both["count"] == 2
    first = client.get(URL, {"q": "fathers", "limit": 1}).json()
    second = client.get(URL, {"q": "fathers", "limit": 1, "offset": 1}).json()
    assert first["count"] == second["count"] == 2
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert client.get(URL, {"q": "fathers", "year": 1999}).json()["count"] == 0


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"q": ""}, "q", "at least 1"),
        ({"q": "   "}, "q", "Enter a word to search for."),
        ({"q": "?!"}, "q", "Enter a word to search for."),
        ({"q": "__ -- ..."}, "q", "Enter a word to search for."),
        ({"q": "x" * 201}, "q", "at most 200"),
        ({"q": "x" * 1_000_000}, "q", "at most 200"),
        ({"q": "neglect", "theme": "Made up!"}, "theme", "pattern"),
        ({"q": "neglect", "type": "secret"}, "type", "Input should be"),
        ({"q": "neglect", "year": "20x0"}, "year", "valid integer"),
        ({"q": "neglect", "year": "1800"}, "year", "greater than or equal"),
        ({"q": "neglect", "limit": "101"}, "limit", "less than or equal"),
        ({"q": "neglect", "agency": "a b"}, "agency", "pattern"),
    ],
)
def test_invalid_searches_get_422_saying_what_is_wrong_and_are_not_audited(
    world, params, field, message
):
    response = as_(world.users[Role.ANALYST]).get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The request is not valid."
    assert any(field in e["loc"] and message in e["msg"] for e in body["errors"]), body
    assert not searches().exists()


def test_a_theme_outside_the_taxonomy_finds_nothing_like_the_learning_list(world, canaries):
    """The schema cannot list the taxonomy, so a well-formed theme id it does not hold is a
    filter that matches nothing (200, no results), as on /learning-points; the page's form,
    which offers only the taxonomy's themes, still refuses it."""
    published, _ = canaries
    SearchEntry.objects.filter(object_id=published.external_id).update(theme_keys="|neglect|")
    client = as_(world.users[Role.ANALYST])
    assert client.get(URL, {"q": "fathers"}).json()["count"] == 2
    assert client.get(URL, {"q": "fathers", "theme": "neglect"}).json()["count"] == 1
    unknown = client.get(URL, {"q": "fathers", "theme": "made-up"})
    assert unknown.status_code == 200
    assert unknown.json()["count"] == 0 and unknown.json()["items"] == []


@pytest.mark.parametrize("q", ["fathers", "  fathers?! ", "é", "½", "x_1"])
def test_a_query_the_schema_allows_is_searched(world, canaries, q):
    """The schema's pattern for ``q`` (a letter or digit, no NUL) is exactly the form's rule."""
    assert as_(world.users[Role.ANALYST]).get(URL, {"q": q}).status_code == 200


def test_the_schema_states_the_query_and_theme_rules(client):
    op = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/search"]["get"]
    params = {p["name"]: p["schema"] for p in op["parameters"]}
    assert params["q"]["pattern"] == r"^[^\x00]*[^\W_][^\x00]*$"
    assert params["theme"]["anyOf"][0]["pattern"] == r"^[a-z0-9][a-z0-9-]*$"


def test_a_missing_query_gets_422(world):
    response = as_(world.users[Role.ANALYST]).get(URL)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "q"]


def test_a_nul_in_the_query_is_refused_before_the_database(world):
    # The NUL guard in front of every view answers first (400), for pages and API alike.
    response = as_(world.users[Role.ANALYST]).get(f"{URL}?q=neg%00lect")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    assert not searches().exists()


def test_hostile_queries_never_crash(world, canaries):
    client = as_(world.users[Role.ANALYST])

    @FUZZ
    @given(q=hostile, theme=hostile)
    def check(q, theme):
        for params in ({"q": q}, {"q": "fathers", "theme": theme, "review_type": q}):
            query = form_body(params).decode("ascii")
            response = client.get(f"{URL}?{query}")
            assert response.status_code in {200, 400, 422}, (q[:20], response.status_code)
            assert "<script>" not in response.content.decode()

    check()


def test_search_is_in_the_schema(client):
    op = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/search"]["get"]
    assert {"200", "401", "422"} <= set(op["responses"])
    names = {p["name"] for p in op["parameters"]}
    assert {"q", "type", "theme", "year", "published", "limit", "offset"} <= names
