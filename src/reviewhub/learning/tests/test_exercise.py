"""Blind double coding: hidden codes until both finish, agreement figures, settling a final coding."""

import pytest
from django.core.exceptions import ValidationError

from reviewhub.accounts.choices import Role
from reviewhub.learning import selectors, services
from reviewhub.learning.choices import CodeSource
from reviewhub.learning.models import Code
from reviewhub.tests import factories as base

from .factories import point

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise(world):
    first = world.users[Role.ANALYST]
    second = base.user(world.partnership, Role.ANALYST, username="second-analyst")
    points = [point(world.partnership, suggest=True, heading=f"Point {i}") for i in range(4)]
    ex = services.coding_exercise_create(
        partnership=world.partnership,
        name="Q1 sample",
        coder_a=first,
        coder_b=second,
        points=points,
        user=first,
    )
    return ex, first, second, points


def _code(ex, coder, p, themes, primary_c=None, primary_p=None):
    circ = [t for t in themes if t in {"neglect", "domestic-abuse", "physical-abuse"}]
    prac = [t for t in themes if t not in circ]
    services.coding_exercise_code(
        exercise=ex,
        point=p,
        coder=coder,
        circumstances=circ,
        practice=prac,
        primary_circumstance=primary_c or (circ[0] if circ else None),
        primary_practice=primary_p or prac[0],
    )


def _code_the_hand_made_set(ex, first, second, points):
    # Same set as test_agreement: per theme kappa 1.0 (neglect) and 0.0 (domestic abuse);
    # every point also carries information-sharing from both coders.
    a = [{"neglect"}, {"neglect", "domestic-abuse"}, set(), {"domestic-abuse"}]
    b = [{"neglect"}, {"neglect"}, {"domestic-abuse"}, {"domestic-abuse"}]
    for p, mine, theirs in zip(points, a, b, strict=True):
        _code(ex, first, p, sorted(mine) + ["information-sharing"])
        _code(ex, second, p, sorted(theirs) + ["information-sharing"])


def test_coders_cannot_see_each_others_codes_or_the_engine_until_both_finish(
    world, login, exercise
):
    ex, first, second, points = exercise
    _code_the_hand_made_set(ex, first, second, points)
    client = login(first)
    # The coding screen and point page hide the engine's suggestions and any codes.
    response = client.get(f"/learning/coding/{points[0].pk}/")
    assert response.status_code == 302 and response["Location"] == f"/learning/exercises/{ex.pk}/"
    page = client.get(f"/learning/{points[0].pk}/")
    assert b"Hidden while you code this point blind" in page.content
    blind = client.get(f"/learning/exercises/{ex.pk}/points/{points[1].pk}/")
    assert b"Matched words" not in blind.content
    agreement = client.get(f"/learning/exercises/{ex.pk}/agreement/")
    assert b"when both analysts have finished" in agreement.content
    assert b"kappa" not in agreement.content
    # Blind points are not offered as the next point to code on one's own.
    assert selectors.next_uncoded_point(user=first, partnership=world.partnership) is None

    services.coding_exercise_finish(exercise=ex, coder=first)
    assert b"kappa" not in client.get(f"/learning/exercises/{ex.pk}/agreement/").content
    services.coding_exercise_finish(exercise=ex, coder=second)
    assert client.get(f"/learning/coding/{points[0].pk}/").status_code == 200


def test_agreement_page_shows_the_hand_computed_figures_and_the_disagreements(
    world, login, exercise
):
    ex, first, second, points = exercise
    _code_the_hand_made_set(ex, first, second, points)
    services.coding_exercise_finish(exercise=ex, coder=first)
    services.coding_exercise_finish(exercise=ex, coder=second)

    result, _ = selectors.exercise_agreement(ex)
    assert result.per_theme["neglect"][1] == pytest.approx(1.0)
    assert result.per_theme["domestic-abuse"][1] == pytest.approx(0.0)
    assert result.per_theme["information-sharing"][1] is None  # both always said yes
    # Pooled over the three themes used: both 7, A only 1, B only 1, neither 3 (n = 12).
    # po = 10/12; pa = pb = 8/12; pe = 4/9 + 1/9 = 5/9; kappa = (5/6 - 5/9) / (4/9) = 0.625.
    assert result.pooled_kappa == pytest.approx(0.625)
    assert result.mean_kappa == pytest.approx(0.5)
    assert result.f1 == pytest.approx(14 / 16)

    html = login(second).get(f"/learning/exercises/{ex.pk}/agreement/").content.decode()
    assert '<dd class="govuk-summary-list__value" data-figure="pooled-kappa">0.625</dd>' in html
    assert '<dd class="govuk-summary-list__value" data-figure="f1">0.875</dd>' in html
    assert html.count("govuk-tag--orange") == 2  # points 2 and 3 disagree


def test_settling_writes_the_final_confirmed_codes(world, login, exercise):
    ex, first, second, points = exercise
    _code_the_hand_made_set(ex, first, second, points)
    target = points[1]
    client = login(first)
    early = client.post(
        f"/learning/exercises/{ex.pk}/points/{target.pk}/settle/",
        {
            f"p{target.pk}-practice": ["information-sharing"],
            f"p{target.pk}-primary_practice": "information-sharing",
        },
    )
    assert early.status_code == 302
    target.refresh_from_db()
    assert not target.coding_complete  # not settled before both finish

    services.coding_exercise_finish(exercise=ex, coder=first)
    services.coding_exercise_finish(exercise=ex, coder=second)
    client.post(
        f"/learning/exercises/{ex.pk}/points/{target.pk}/settle/",
        {
            f"p{target.pk}-circumstances": ["neglect", "domestic-abuse"],
            f"p{target.pk}-practice": ["information-sharing"],
            f"p{target.pk}-primary_circumstance": "neglect",
            f"p{target.pk}-primary_practice": "information-sharing",
        },
    )
    target.refresh_from_db()
    assert target.coding_complete
    by_axis, primaries = services.live_coding(target)
    assert by_axis == {
        "circumstances": ["neglect", "domestic-abuse"],
        "practice": ["information-sharing"],
    }
    assert primaries == {"circumstances": "neglect", "practice": "information-sharing"}
    # The engine's earlier suggestion of neglect is now confirmed, and marked as from the engine.
    neglect = Code.objects.get(point=target, exercise=None, theme__theme_id="neglect")
    assert neglect.source == CodeSource.CONFIRMED and neglect.from_engine


def test_a_coder_must_code_every_point_before_finishing_and_cannot_change_after(world, exercise):
    ex, first, second, points = exercise
    _code(ex, first, points[0], ["information-sharing"])
    with pytest.raises(ValidationError, match="3 still to do"):
        services.coding_exercise_finish(exercise=ex, coder=first)
    for p in points[1:]:
        _code(ex, first, p, ["information-sharing"])
    services.coding_exercise_finish(exercise=ex, coder=first)
    with pytest.raises(ValidationError, match="can no longer change"):
        _code(ex, first, points[0], ["challenge-and-escalation"])
    outsider = world.users[Role.ADMINISTRATOR]
    with pytest.raises(ValidationError, match="Only the two coders"):
        _code(ex, outsider, points[0], ["information-sharing"])


def test_blind_coding_form_moves_to_the_next_point_and_checks_the_rules(world, login, exercise):
    ex, first, second, points = exercise
    client = login(first)
    url = f"/learning/exercises/{ex.pk}/points/{points[0].pk}/"
    bad = client.post(url, {"circumstances": ["neglect"], "primary_circumstance": "neglect"})
    assert bad.status_code == 200 and b"Choose at least 1 practice" in bad.content
    good = client.post(
        url, {"practice": ["information-sharing"], "primary_practice": "information-sharing"}
    )
    assert good["Location"] == f"/learning/exercises/{ex.pk}/points/{points[1].pk}/"
    other = login(second).get(f"/learning/exercises/{ex.pk}/")
    assert b"You have coded 0 of 4" in other.content


def test_an_exercise_needs_two_different_analysts(world):
    analyst = world.users[Role.ANALYST]
    with pytest.raises(ValidationError):
        services.coding_exercise_create(
            partnership=world.partnership,
            name="x",
            coder_a=analyst,
            coder_b=analyst,
            points=[point(world.partnership)],
            user=analyst,
        )


def test_settling_every_agreed_point_at_once_leaves_the_disagreements(world, login, exercise):
    ex, first, second, points = exercise
    _code_the_hand_made_set(ex, first, second, points)
    services.coding_exercise_finish(exercise=ex, coder=first)
    services.coding_exercise_finish(exercise=ex, coder=second)
    response = login(first).post(f"/learning/exercises/{ex.pk}/settle-agreed/")
    assert response.status_code == 302
    done = {p.pk for p in points if type(p).objects.get(pk=p.pk).coding_complete}
    assert done == {points[0].pk, points[3].pk}  # points 2 and 3 disagree
    assert services.live_coding(points[3]) == (
        {"circumstances": ["domestic-abuse"], "practice": ["information-sharing"]},
        {"circumstances": "domestic-abuse", "practice": "information-sharing"},
    )
