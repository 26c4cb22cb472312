"""Adding learning points and setting up coding exercises through the web pages."""

import pytest

from reviewhub.accounts.choices import Role
from reviewhub.audit.models import AuditEvent
from reviewhub.learning.models import CodingExercise, LearningPoint, LearningSource
from reviewhub.tests import factories as base

from .factories import point, small_taxonomy, source

pytestmark = pytest.mark.django_db


def test_business_unit_adds_a_point_with_a_new_source_and_it_gets_suggestions(world, login):
    small_taxonomy(world.partnership)
    client = login(world.users[Role.BUSINESS_UNIT])
    response = client.post(
        "/learning/new/",
        {
            "source_title": "Rapid review: Child Q",
            "source_kind": "local_review",
            "source_review_type": "rapid review",
            "source_year": "2025",
            "heading": "Neglect seen by the school",
            "learned": "The school saw hunger and dental decay but did not share information.",
            "action": "Share information early.",
            "polarity": "improvement",
            "agencies": ["education", "gp"],
        },
    )
    created = LearningPoint.objects.get(heading="Neglect seen by the school")
    assert response.status_code == 302 and response["Location"] == f"/learning/{created.pk}/"
    assert created.source.title == "Rapid review: Child Q" and created.source.year == 2025
    assert sorted(created.agency_values()) == ["education", "gp"]
    assert not created.published and not created.coding_complete
    assert created.external_id == f"reviewhub-{world.partnership.slug}-{created.pk}"
    assert created.codes.filter(source="suggested").exists()
    event = AuditEvent.objects.filter(object_type="learning.learningpoint").latest("pk")
    assert event.username == world.users[Role.BUSINESS_UNIT].username


def test_adding_a_point_refuses_missing_source_and_impossible_year_and_writes_nothing(world, login):
    client = login(world.users[Role.ANALYST])
    page = client.post(
        "/learning/new/",
        {"heading": "h", "learned": "l", "polarity": "improvement", "source_year": "1066"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Enter the title of the new source" in html
    assert "Enter a year between 1950 and 2100." in html
    assert not LearningPoint.objects.exists() and not LearningSource.objects.exists()


def test_a_point_can_only_use_a_source_of_the_same_partnership(world, login):
    foreign = source(world.other)
    client = login(world.users[Role.ANALYST])
    page = client.post(
        "/learning/new/",
        {"source": str(foreign.pk), "heading": "h", "learned": "l", "polarity": "improvement"},
    )
    assert page.status_code == 200 and b"Select a valid choice" in page.content
    assert not LearningPoint.objects.exists()


def test_an_analyst_sets_up_a_double_coding_exercise(world, login):
    second = base.user(world.partnership, Role.ANALYST, username="analyst-two")
    points = [point(world.partnership) for _ in range(2)]
    client = login(world.users[Role.ANALYST])
    response = client.post(
        "/learning/exercises/new/",
        {
            "name": "Spring sample",
            "coder_a": str(world.users[Role.ANALYST].pk),
            "coder_b": str(second.pk),
            "points": [str(p.pk) for p in points],
        },
    )
    exercise = CodingExercise.objects.get(name="Spring sample")
    assert response["Location"] == f"/learning/exercises/{exercise.pk}/"
    assert set(exercise.points.all()) == set(points)
    same = client.post(
        "/learning/exercises/new/",
        {
            "name": "x",
            "coder_a": str(second.pk),
            "coder_b": str(second.pk),
            "points": [str(points[0].pk)],
        },
    )
    assert b"Choose a different analyst" in same.content
    # An administrator is not an analyst, so cannot be a coder.
    admin = client.post(
        "/learning/exercises/new/",
        {
            "name": "y",
            "coder_a": str(world.users[Role.ADMINISTRATOR].pk),
            "coder_b": str(second.pk),
            "points": [str(points[0].pk)],
        },
    )
    assert admin.status_code == 200 and CodingExercise.objects.count() == 1


def test_unpublished_learning_of_a_review_follows_the_review_access(world, login):
    """A reviewer sees the draft learning of the review they lead; others without access do not."""
    from django.urls import reverse

    from reviewhub.accounts.choices import Role
    from reviewhub.learning.tests.factories import point, source

    review = world.case.review
    src = source(world.partnership, review=review)
    draft = point(world.partnership, src=src, published=False)
    other = point(world.partnership, published=False)
    reviewer = world.users[Role.REVIEWER]
    visible = set(LearningPoint.objects.restrict(reviewer, "view").values_list("pk", flat=True))
    assert draft.pk in visible and other.pk not in visible
    assert draft.pk not in set(
        LearningPoint.objects.restrict(world.users[Role.PRACTITIONER], "view").values_list(
            "pk", flat=True
        )
    )
    url = reverse("learning:point_detail", kwargs={"pk": draft.pk})
    assert login(reviewer).get(url).status_code == 200
    assert login(world.users[Role.PRACTITIONER]).get(url).status_code == 404


def test_a_point_added_without_an_id_has_one_search_entry_under_its_generated_id(world):
    """It is indexed before and after it gets its generated id: the second replaces the first."""
    from reviewhub.search.models import SearchEntry
    from reviewhub.search.selectors import search_entries

    p = point(world.partnership, heading="Dental neglect of a toddler", published=True)
    entries = SearchEntry.objects.filter(kind="learning", object_pk=p.pk)
    assert list(entries.values_list("object_id", flat=True)) == [p.external_id]
    found = search_entries(
        user=world.users[Role.ANALYST], query="dental neglect", partnership_ids=[p.partnership_id]
    )
    assert [h.entry.object_pk for h in found.hits].count(p.pk) == 1


def test_search_ranks_an_uncoded_point_by_its_likely_suggestions_until_it_is_coded(world):
    """Suggestions the engine is fairly sure of (score >= 0.5) go to the index; once an analyst
    confirms a code, the confirmed codes replace them."""
    from reviewhub.learning import services
    from reviewhub.search.models import SearchEntry

    from .factories import suggested, theme

    p = point(world.partnership, heading="Home conditions", published=True)
    for theme_id, score in (("neglect", 0.81), ("information-sharing", 0.2)):
        suggested(p, theme_id, score)
    indexed = SearchEntry.objects.get(kind="learning", object_pk=p.pk)
    assert indexed.theme_ids == [] and indexed.suggested_theme_ids == ["neglect"]
    services.code_confirm(
        point=p,
        theme=theme(world.partnership, "physical-abuse"),
        user=world.users[Role.ANALYST],
    )
    indexed.refresh_from_db()
    assert indexed.theme_ids == ["physical-abuse"] and indexed.suggested_theme_ids == []


def test_storing_suggestions_re_indexes_the_point_once(world, monkeypatch):
    """Each suggested code is saved on its own; the point is embedded once, at the end."""
    from reviewhub.learning import search, services

    p = point(world.partnership, heading="Dental neglect", published=True)
    calls = []
    real = search.index_points
    monkeypatch.setattr(search, "index_points", lambda pks: (calls.append(set(pks)), real(pks)))
    made = services.learning_point_suggest(point=p)
    assert made >= 2 and calls == [{p.pk}]


def test_the_search_migration_fills_suggestions_of_points_indexed_before_it(world):
    """Migration search 0005's fill, run against today's models: uncoded points get their likely
    suggestions, coded points and unlikely suggestions get none."""
    import importlib

    from django.apps import apps

    from reviewhub.learning import services
    from reviewhub.search.models import SearchEntry

    from .factories import suggested, theme

    fill = importlib.import_module("reviewhub.search.migrations.0005_suggested_theme_ids").fill
    uncoded = point(world.partnership, heading="Uncoded")
    coded = point(world.partnership, heading="Coded")
    for p, theme_id, score in (
        (uncoded, "neglect", 0.9),
        (uncoded, "information-sharing", 0.6),
        (uncoded, "physical-abuse", 0.1),
        (coded, "neglect", 0.9),
    ):
        suggested(p, theme_id, score)
    services.code_confirm(
        point=coded, theme=theme(world.partnership, "domestic-abuse"), user=world.users["analyst"]
    )
    SearchEntry.objects.update(suggested_theme_ids=None)  # as the column arrives
    fill(apps, None)
    by_point = dict(SearchEntry.objects.values_list("object_pk", "suggested_theme_ids"))
    assert by_point[uncoded.pk] == ["information-sharing", "neglect"]
    assert by_point[coded.pk] is None
