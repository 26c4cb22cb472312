"""The coding workflow: engine suggestions, confirming and rejecting, completeness, and the audit."""

import pytest
from django.core.exceptions import ValidationError

from reviewhub.accounts.choices import Role
from reviewhub.audit.models import AuditEvent
from reviewhub.learning import selectors, services
from reviewhub.learning.choices import CodeSource
from reviewhub.learning.engine import KeywordEngine, ThemeSuggestion
from reviewhub.learning.jsonl import export_rows
from reviewhub.learning.models import Code, LearningPoint

from .factories import point, small_taxonomy, theme

pytestmark = pytest.mark.django_db


def test_keyword_engine_ranks_themes_by_their_keywords_and_gives_the_words_as_reason(world):
    small_taxonomy(world.partnership)
    themes = list(world.partnership.taxonomy.themes.all())
    answer = KeywordEngine(themes).suggest(
        "Neglect went unseen", "Dental decay and neglect; nobody would share information.", ""
    )
    top = answer["circumstances"][0]
    assert top.theme_id == "neglect" and top.selected
    assert "“neglect”" in top.reason and "“dental decay”" in top.reason
    assert [s.theme_id for s in answer["practice"]] == ["information-sharing"]
    assert all(0 < s.score < 1 for axis in answer.values() for s in axis)


def test_suggestions_are_stored_but_never_count_as_confirmed(world):
    p = point(world.partnership, suggest=True)
    suggested = Code.objects.filter(point=p, source=CodeSource.SUGGESTED)
    assert {c.theme.theme_id for c in suggested} >= {"neglect", "information-sharing"}
    assert all(c.from_engine and c.score is not None and c.reason for c in suggested)
    row = export_rows(LearningPoint.objects.filter(pk=p.pk))[0]
    assert row["circumstances"] == [] and row["practice"] == []
    counts = selectors.learning_counts_by(
        user=world.users[Role.ANALYST], by="theme", partnership=world.partnership
    )
    assert counts == []
    with pytest.raises(ValidationError):
        services.learning_point_coding_complete(point=p, user=world.users[Role.ANALYST])


def test_confirming_and_rejecting_suggestions_records_who_when_and_audits_each_change(world):
    analyst = world.users[Role.ANALYST]
    p = point(world.partnership, suggest=True)
    neglect = theme(world.partnership, "neglect")
    sharing = theme(world.partnership, "information-sharing")
    before = AuditEvent.objects.count()

    code = services.code_confirm(point=p, theme=neglect, user=analyst)
    assert code.source == CodeSource.CONFIRMED and code.from_engine
    assert code.decided_by == analyst and code.decided_at is not None
    assert code.primary  # the first confirmed code of an axis becomes its primary
    services.code_reject(point=p, theme=sharing, user=analyst)
    assert Code.objects.get(point=p, theme=sharing).source == CodeSource.REJECTED

    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [e.detail for e in events] == ["code confirmed", "code rejected"]
    assert all(e.object_type == "learning.code" and e.username == analyst.username for e in events)
    assert "source" in events[0].changed_fields
    assert all("neglect" not in e.detail for e in events)


def test_coding_complete_enforces_the_axis_rules(world):
    analyst = world.users[Role.ANALYST]
    p = point(world.partnership)
    services.code_confirm(point=p, theme=theme(world.partnership, "neglect"), user=analyst)
    with pytest.raises(ValidationError) as refused:
        services.learning_point_coding_complete(point=p, user=analyst)
    assert "Choose at least 1 practice" in refused.value.messages[0]

    for theme_id in ("domestic-abuse", "physical-abuse"):
        services.code_confirm(point=p, theme=theme(world.partnership, theme_id), user=analyst)
    services.code_confirm(
        point=p, theme=theme(world.partnership, "information-sharing"), user=analyst
    )
    services.learning_point_coding_complete(point=p, user=analyst)
    p.refresh_from_db()
    assert p.coding_complete and p.coded_by == analyst

    # Any later change reopens the point until it is checked again.
    services.code_make_primary(
        point=p, theme=theme(world.partnership, "physical-abuse"), user=analyst
    )
    p.refresh_from_db()
    assert not p.coding_complete
    by_axis, primaries = services.live_coding(p)
    assert primaries["circumstances"] == "physical-abuse"
    assert by_axis["circumstances"] == ["neglect", "domestic-abuse", "physical-abuse"]


def test_coding_problems_names_each_broken_rule():
    problems = services.coding_problems(
        {"circumstances": ["a", "b", "c", "d"], "practice": []},
        {"circumstances": "z", "practice": None},
    )
    assert problems == [
        "Choose at most 3 circumstances and risk themes (you have 4).",
        "The primary circumstances and risk theme must be one of the themes chosen.",
        "Choose at least 1 practice and system theme.",
    ]


def test_removing_the_primary_promotes_the_next_confirmed_code(world):
    analyst = world.users[Role.ANALYST]
    p = point(world.partnership)
    services.code_confirm(
        point=p, theme=theme(world.partnership, "information-sharing"), user=analyst
    )
    services.code_confirm(
        point=p, theme=theme(world.partnership, "challenge-and-escalation"), user=analyst
    )
    services.code_reject(
        point=p, theme=theme(world.partnership, "information-sharing"), user=analyst
    )
    assert services.live_coding(p)[1]["practice"] == "challenge-and-escalation"


def test_asking_the_engine_again_keeps_the_analysts_decisions(world):
    analyst = world.users[Role.ANALYST]
    p = point(world.partnership, suggest=True)
    neglect = theme(world.partnership, "neglect")
    services.code_confirm(point=p, theme=neglect, user=analyst)

    class Fixed:
        def suggest(self, heading, learned, action):
            return {
                "circumstances": [ThemeSuggestion("neglect", 0.9, True, "again")],
                "practice": [ThemeSuggestion("challenge-and-escalation", 0.7, True, "words")],
            }

    services.learning_point_suggest(point=p, user=analyst, engine=Fixed())
    assert Code.objects.get(point=p, theme=neglect).source == CodeSource.CONFIRMED
    open_ = Code.objects.filter(point=p, source=CodeSource.SUGGESTED)
    assert [c.theme.theme_id for c in open_] == ["challenge-and-escalation"]


def test_next_uncoded_point_moves_on_and_wraps_round(world):
    analyst = world.users[Role.ANALYST]
    first, second, third = (point(world.partnership) for _ in range(3))
    services.learning_point_codes_set(
        point=second,
        user=analyst,
        circumstances=[],
        practice=["information-sharing"],
        primary_practice="information-sharing",
    )
    found = selectors.next_uncoded_point(
        user=analyst, partnership=world.partnership, after_pk=first.pk
    )
    assert found == third
    found = selectors.next_uncoded_point(
        user=analyst, partnership=world.partnership, after_pk=third.pk
    )
    assert found == first


def test_coding_screen_shows_scores_and_reasons_and_confirms_in_one_post(world, login):
    analyst = world.users[Role.ANALYST]
    p = point(world.partnership, suggest=True)
    following = point(world.partnership)
    client = login(analyst)
    page = client.get(f"/learning/coding/{p.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Matched words" in html and 'data-shortcut-confirm="1"' in html
    assert "learning-coding.js" in html and "<script>" not in html

    response = client.post(f"/learning/coding/{p.pk}/code/", {"op": "confirm", "theme": "neglect"})
    assert response.status_code == 302
    response = client.post(
        f"/learning/coding/{p.pk}/code/", {"op": "confirm", "theme": "information-sharing"}
    )
    response = client.post(f"/learning/coding/{p.pk}/complete/")
    assert (
        response.status_code == 302 and response["Location"] == f"/learning/coding/{following.pk}/"
    )
    p.refresh_from_db()
    assert p.coding_complete


def test_coding_screen_refuses_bad_input_and_explains_incomplete_coding(world, login):
    p = point(world.partnership)
    client = login(world.users[Role.ANALYST])
    assert (
        client.post(
            f"/learning/coding/{p.pk}/code/", {"op": "drop", "theme": "neglect"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/learning/coding/{p.pk}/code/", {"op": "confirm", "theme": "nope"}
        ).status_code
        == 400
    )
    page = client.post(f"/learning/coding/{p.pk}/complete/")
    assert page.status_code == 200 and b"Choose at least 1 practice" in page.content


def test_other_partnerships_points_cannot_be_coded(world, login):
    p = point(world.other)
    client = login(world.users[Role.ANALYST])
    assert client.get(f"/learning/coding/{p.pk}/").status_code == 404
    response = client.post(f"/learning/coding/{p.pk}/code/", {"op": "confirm", "theme": "neglect"})
    assert response.status_code == 404
    assert not Code.objects.filter(point=p).exists()
