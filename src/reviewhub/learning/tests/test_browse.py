"""Browsing learning: filters, counts by theme, year, review type and agency, and their links."""

import pytest

from reviewhub.accounts.choices import Role
from reviewhub.learning import selectors, services
from reviewhub.learning.choices import ReviewType

from .factories import point, source

pytestmark = pytest.mark.django_db


@pytest.fixture
def coded(world):
    p = world.partnership
    analyst = world.users[Role.ANALYST]
    sar = source(p, review_type=ReviewType.SAR, year=2022)
    made = [
        point(p, src=sar, agencies=["police", "housing"]),
        point(p, src=sar, agencies=["police"], polarity="good_practice"),
        point(p, agencies=["gp"]),  # LCSPR 2024
    ]
    codings = [
        (["neglect"], ["information-sharing"]),
        (["neglect", "domestic-abuse"], ["challenge-and-escalation"]),
        ([], ["information-sharing"]),
    ]
    for pt, (circ, prac) in zip(made, codings, strict=True):
        services.learning_point_codes_set(
            point=pt,
            user=analyst,
            circumstances=circ,
            practice=prac,
            primary_circumstance=circ[0] if circ else None,
            primary_practice=prac[0],
        )
    point(p, suggest=True)  # uncoded: its suggestions must not count
    return made


def _counts(user, by, **filters):
    rows = selectors.learning_counts_by(user=user, by=by, filters=filters)
    return {r.value: r.count for r in rows}


def test_counts_by_each_dimension(world, coded):
    analyst = world.users[Role.ANALYST]
    assert _counts(analyst, "theme") == {
        "neglect": 2,
        "information-sharing": 2,
        "domestic-abuse": 1,
        "challenge-and-escalation": 1,
    }
    assert _counts(analyst, "year") == {"2022": 2, "2024": 2}
    assert _counts(analyst, "review_type") == {"SAR": 2, "LCSPR": 2}
    assert _counts(analyst, "agency") == {"police": 2, "housing": 1, "gp": 1}
    assert _counts(analyst, "polarity") == {"improvement": 3, "good_practice": 1}


def test_counts_combine_with_filters(world, coded):
    analyst = world.users[Role.ANALYST]
    assert _counts(analyst, "theme", review_type="SAR") == {
        "neglect": 2,
        "information-sharing": 1,
        "domestic-abuse": 1,
        "challenge-and-escalation": 1,
    }
    assert _counts(analyst, "agency", theme="information-sharing") == {
        "police": 1,
        "housing": 1,
        "gp": 1,
    }
    assert _counts(analyst, "year", agency="gp") == {"2024": 1}


def test_filters_ignore_malformed_values():
    assert selectors.clean_filters(
        {"year": "20x4", "review_type": "DROP TABLE", "agency": "police", "published": "maybe"}
    ) == {"agency": "police"}
    with pytest.raises(ValueError):
        selectors.learning_counts_by(user=None, by="colour")


def test_list_page_shows_counts_that_link_to_the_filtered_list(world, coded, login):
    client = login(world.users[Role.ANALYST])
    page = client.get("/learning/").content.decode()
    assert 'href="?theme=neglect"' in page
    assert 'href="?review_type=SAR"' in page
    filtered = client.get("/learning/?theme=neglect").content.decode()
    assert '<strong id="learning-total">2</strong>' in filtered
    assert coded[0].heading in filtered and coded[2].heading not in filtered
    # A count link keeps the other filters.
    assert 'href="?theme=neglect&amp;year=2022"' in filtered
    detail = client.get(f"/learning/{coded[1].pk}/").content.decode()
    assert "Domestic abuse" in detail and "Primary" in detail
