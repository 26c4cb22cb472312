"""Who sees which learning points: unpublished points stay with those who may see the review."""

import pytest

from reviewhub.accounts.access import Action
from reviewhub.accounts.choices import Role
from reviewhub.audit.choices import Outcome
from reviewhub.audit.models import AuditEvent
from reviewhub.learning import selectors, services
from reviewhub.learning.models import LearningPoint, Recommendation

from .factories import point

pytestmark = pytest.mark.django_db

SEES_UNPUBLISHED = {Role.ANALYST, Role.BUSINESS_UNIT, Role.ADMINISTRATOR}


@pytest.fixture
def points(world):
    return {
        "published": point(world.partnership, published=True),
        "unpublished": point(world.partnership),
        "other_published": point(world.other, published=True),
        "other_unpublished": point(world.other),
    }


@pytest.mark.parametrize("role", sorted(Role.values))
def test_each_role_sees_exactly_the_points_the_rule_allows(world, points, role):
    visible = set(LearningPoint.objects.restrict(world.users[role], Action.VIEW))
    if role == Role.NATIONAL_ANALYST:
        expected = {points["published"], points["other_published"]}
    elif role in SEES_UNPUBLISHED:
        expected = {points["published"], points["unpublished"]}
    else:
        expected = {points["published"]}
    assert visible == expected


def test_an_unpublished_point_is_a_404_for_a_practitioner_and_the_attempt_is_audited(
    world, points, login
):
    client = login(world.users[Role.PRACTITIONER])
    assert client.get(f"/learning/{points['unpublished'].pk}/").status_code == 404
    denial = AuditEvent.objects.filter(outcome=Outcome.DENIED).latest("pk")
    assert denial.object_id == str(points["unpublished"].pk)
    assert client.get(f"/learning/{points['published'].pk}/").status_code == 200


def test_publishing_a_point_makes_it_visible_to_practitioners(world, points, login):
    practitioner = world.users[Role.PRACTITIONER]
    manager = login(world.users[Role.BUSINESS_UNIT])
    response = manager.post(f"/learning/{points['unpublished'].pk}/publish/", {"published": "yes"})
    assert response.status_code == 302
    assert points["unpublished"] in LearningPoint.objects.restrict(practitioner)
    event = AuditEvent.objects.filter(object_type="learning.learningpoint").latest("pk")
    assert event.changed_fields == ["published"]


def test_administrators_of_another_partnership_see_only_its_points(world, points):
    outsider = world.outsider_admin
    assert set(LearningPoint.objects.restrict(outsider)) == {
        points["other_published"],
        points["other_unpublished"],
    }


def test_list_and_counts_follow_the_rule(world, points, login):
    practitioner = world.users[Role.PRACTITIONER]
    listed = selectors.learning_point_list(user=practitioner, partnership=world.partnership)
    assert list(listed) == [points["published"]]
    years = selectors.learning_counts_by(
        user=practitioner, by="year", partnership=world.partnership
    )
    assert [(r.value, r.count) for r in years] == [("2024", 1)]
    page = login(practitioner).get("/learning/")
    assert points["published"].heading.encode() in page.content
    assert points["unpublished"].heading.encode() not in page.content


def test_recommendations_are_seen_with_the_points_they_answer(world, points):
    p = points["unpublished"]
    rec = services.recommendation_create(
        partnership=world.partnership, source=p.source, text="Revise the protocol.", points=[p]
    )
    assert rec in Recommendation.objects.restrict(world.users[Role.ANALYST])
    assert rec not in Recommendation.objects.restrict(world.users[Role.PRACTITIONER])
    assert list(p.recommendations.all()) == [rec]
