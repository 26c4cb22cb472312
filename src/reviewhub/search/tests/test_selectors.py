"""Search through the access rule: scope, hooks, filters and the audit trail."""

import pytest

from reviewhub.accounts.choices import Role
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.models import AuditEvent
from reviewhub.search import registry
from reviewhub.search.selectors import SearchFilters, query_fingerprint, search_entries

from .factories import entry

pytestmark = pytest.mark.django_db


def ids(results):
    return [hit.entry.object_id for hit in results.hits]


def test_full_text_matches_other_forms_of_a_word(world, hooks):
    entry(
        world.partnership,
        "Fathers were not involved",
        "Assessments ignored the fathers.",
        object_id="lp-1",
    )
    entry(world.partnership, "Unrelated", "Housing repairs were slow.", object_id="lp-2")
    results = search_entries(user=world.users[Role.ANALYST], query="father")
    assert ids(results) == ["lp-1"]


def test_everyday_words_find_report_words_through_the_thesaurus(world, hooks):
    entry(
        world.partnership,
        "Male carers",
        "The stepfather and mother's partner were never assessed.",
        object_id="men",
    )
    entry(
        world.partnership,
        "Gang violence",
        "County lines and child criminal exploitation.",
        object_id="cce",
    )
    entry(world.partnership, "Compliance", "Disguised compliance masked the risk.", object_id="dc")
    analyst = world.users[Role.ANALYST]
    assert ids(search_entries(user=analyst, query="dads"))[0] == "men"
    assert ids(search_entries(user=analyst, query="gangs"))[0] == "cce"
    assert ids(search_entries(user=analyst, query="hiding abuse"))[0] == "dc"


def test_practitioners_find_only_published_entries_even_if_a_hook_allowed_more(world, hooks):
    entry(world.partnership, "Neglect published", "Neglect of a baby.", object_id="pub")
    entry(
        world.partnership, "Neglect draft", "Neglect of a baby.", object_id="draft", published=False
    )
    registry.register_kind("learning", lambda user, pks: set(pks))  # a hook that allows all
    practitioner = world.users[Role.PRACTITIONER]
    assert ids(search_entries(user=practitioner, query="neglect")) == ["pub"]
    assert sorted(ids(search_entries(user=world.users[Role.ANALYST], query="neglect"))) == [
        "draft",
        "pub",
    ]


def test_a_kind_without_an_access_hook_shows_nothing(world, hooks):
    entry(world.partnership, "Neglect page", "Neglect.", kind="document_page", object_id="d:p1")
    entry(world.partnership, "Neglect point", "Neglect.", object_id="lp")
    assert ids(search_entries(user=world.users[Role.BUSINESS_UNIT], query="neglect")) == ["lp"]


def test_the_hook_decides_which_objects_a_user_sees(world, hooks):
    hidden = entry(world.partnership, "Neglect hidden", "Neglect.", kind="test_note")
    shown = entry(world.partnership, "Neglect shown", "Neglect.", kind="test_note")
    registry.register_kind("test_note", lambda user, pks: {shown.object_pk} & set(pks))
    found = ids(search_entries(user=world.users[Role.ADMINISTRATOR], query="neglect"))
    assert found == [shown.object_id]
    assert hidden.object_id not in found


def test_entries_of_another_partnership_are_never_found(world, hooks):
    entry(world.other, "Neglect elsewhere", "Neglect.", object_id="other")
    entry(world.partnership, "Neglect here", "Neglect.", object_id="here")
    assert ids(search_entries(user=world.users[Role.BUSINESS_UNIT], query="neglect")) == ["here"]
    assert ids(search_entries(user=world.outsider_admin, query="neglect")) == ["other"]


def test_national_analysts_find_published_learning_of_every_partnership_only(world, hooks):
    entry(world.partnership, "Neglect north", "Neglect.", object_id="north")
    entry(world.partnership, "Neglect north draft", "Neglect.", object_id="draft", published=False)
    entry(world.partnership, "Neglect briefing", "Neglect.", kind="briefing", object_id="brief")
    entry(world.other, "Neglect south", "Neglect.", object_id="south")
    found = ids(search_entries(user=world.users[Role.NATIONAL_ANALYST], query="neglect"))
    assert sorted(found) == ["north", "south"]


def test_anonymous_and_inactive_users_find_nothing(world, hooks):
    from django.contrib.auth.models import AnonymousUser

    entry(world.partnership, "Neglect", "Neglect.")
    assert search_entries(user=AnonymousUser(), query="neglect").total == 0
    analyst = world.users[Role.ANALYST]
    analyst.is_active = False
    assert search_entries(user=analyst, query="neglect").total == 0


def test_an_active_partnership_limits_the_search_to_it(world, hooks):
    entry(world.partnership, "Neglect here", "Neglect.", object_id="here")
    results = search_entries(
        user=world.users[Role.ANALYST], query="neglect", partnership_ids=[world.other.pk]
    )
    assert results.total == 0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(types=("briefing",)), ["b"]),
        (SearchFilters(types=("learning", "document")), ["a", "c"]),
        (SearchFilters(theme="neglect"), ["a", "b"]),
        (SearchFilters(theme="physical-abuse"), ["c"]),
        (SearchFilters(year=2021), ["b"]),
        (SearchFilters(review_type="rapid_review"), ["a"]),
        (SearchFilters(agency="police"), ["a", "c"]),
        (SearchFilters(age_band="under_1"), ["c"]),
        (SearchFilters(published_only=True), ["a", "b"]),
        (SearchFilters(theme="neglect", year=2020), ["a"]),
    ],
)
def test_filters_narrow_the_results(world, hooks, filters, expected):
    entry(
        world.partnership,
        "Neglect a",
        "Neglect.",
        object_id="a",
        theme_ids=["neglect"],
        year=2020,
        review_type="rapid_review",
        agency_ids=["police", "health"],
    )
    entry(
        world.partnership,
        "Neglect b",
        "Neglect.",
        object_id="b",
        kind="briefing",
        theme_ids=["neglect", "early-help-and-prevention"],
        year=2021,
        agency_ids=["health"],
    )
    entry(
        world.partnership,
        "Neglect c",
        "Neglect.",
        object_id="c",
        kind="document_page",
        published=False,
        theme_ids=["physical-abuse"],
        year=2022,
        agency_ids=["police"],
        age_band="under_1",
    )
    registry.register_kind("document_page", lambda user, pks: set(pks))
    found = ids(search_entries(user=world.users[Role.ANALYST], query="neglect", filters=filters))
    assert sorted(found) == expected


def test_a_theme_filter_does_not_match_part_of_another_theme_id(world, hooks):
    entry(world.partnership, "Self-neglect", "Neglect.", theme_ids=["self-neglect"])
    found = search_entries(
        user=world.users[Role.ANALYST], query="neglect", filters=SearchFilters(theme="neglect")
    )
    assert found.total == 0


def test_a_search_over_unpublished_material_is_audited_without_the_query(world, hooks):
    entry(world.partnership, "Neglect", "Neglect of Jayden Smith.")
    analyst = world.users[Role.ANALYST]
    results = search_entries(
        user=analyst, query="Jayden Smith neglect", filters=SearchFilters(year=None, theme="")
    )
    assert results.audited
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.user_id == analyst.pk
    assert "Jayden" not in event.detail and "Smith" not in event.detail
    assert "results=1" in event.detail
    assert f"query_hmac={query_fingerprint('Jayden Smith neglect')}" in event.detail
    assert "query_length=20" in event.detail


def test_audit_detail_names_the_filters_used(world, hooks):
    search_entries(
        user=world.users[Role.BUSINESS_UNIT],
        query="neglect",
        filters=SearchFilters(types=("learning",), year=2020),
    )
    detail = AuditEvent.objects.get(action=AuditAction.SEARCH).detail
    assert "types=learning" in detail and "year=2020" in detail


def test_practitioners_searches_of_published_learning_are_not_audited(world, hooks):
    entry(world.partnership, "Neglect", "Neglect.")
    results = search_entries(user=world.users[Role.PRACTITIONER], query="neglect")
    assert results.total == 1 and not results.audited
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


def test_snippets_mark_the_query_words_and_escape_the_text(world, hooks):
    entry(world.partnership, "Fathers", "<script>alert(1)</script> The fathers were absent.")
    hit = search_entries(user=world.users[Role.ANALYST], query="fathers").hits[0]
    html = str(hit.snippet_html)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>fathers</mark>" in html


def test_results_are_paged(world, hooks):
    for n in range(5):
        entry(world.partnership, f"Neglect {n}", "Neglect.")
    analyst = world.users[Role.ANALYST]
    first = search_entries(user=analyst, query="neglect", limit=2)
    third = search_entries(user=analyst, query="neglect", limit=2, offset=4)
    assert first.total == 5 and len(first.hits) == 2 and len(third.hits) == 1
    assert not {h.entry.pk for h in first.hits} & {h.entry.pk for h in third.hits}


def test_query_syntax_is_not_interpreted_by_the_database(world, hooks):
    entry(world.partnership, "Neglect", "Neglect.")
    analyst = world.users[Role.ANALYST]
    for hostile in ['neglect" OR "', "NEAR(neglect", "neglect*", "'; DROP TABLE x; --", "!:&|"]:
        search_entries(user=analyst, query=hostile)  # must not raise
    assert search_entries(user=analyst, query='"neglect"').total == 1


def test_similar_meaning_without_shared_words_is_found_by_embeddings(world, hooks):
    entry(
        world.partnership,
        "Hunger",
        "The children were often hungry and had no food at home.",
        object_id="food",
        embed=True,
    )
    entry(
        world.partnership,
        "Escalation",
        "Professionals should challenge decisions they disagree with.",
        object_id="esc",
        embed=True,
    )
    found = ids(search_entries(user=world.users[Role.ANALYST], query="starving kids"))
    assert found[0] == "food"


def test_engine_suggestions_raise_an_uncoded_entry_but_never_match_the_theme_filter(world, hooks):
    # Same words, so full text cannot tell them apart; only one carries the suggestion.
    entry(world.partnership, "Home conditions", "Poor home conditions.", object_id="plain")
    entry(
        world.partnership,
        "Home conditions",
        "Poor home conditions.",
        object_id="suggested",
        suggested_theme_ids=["neglect"],
    )
    analyst = world.users[Role.ANALYST]
    # "neglect" points the query at the neglect theme (the taxonomy label).
    found = ids(search_entries(user=analyst, query="home conditions neglect"))
    assert found == ["suggested", "plain"]
    filtered = search_entries(
        user=analyst, query="home conditions", filters=SearchFilters(theme="neglect")
    )
    assert filtered.total == 0


def test_an_entry_with_codes_keeps_no_suggestions(world, hooks):
    e = entry(
        world.partnership,
        "Home conditions",
        "Poor home conditions.",
        theme_ids=["physical-abuse"],
        suggested_theme_ids=["neglect"],
    )
    assert e.theme_ids == ["physical-abuse"] and e.suggested_theme_ids == []
