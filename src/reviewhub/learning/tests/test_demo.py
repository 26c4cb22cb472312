"""The demo partnership's learning: coded on both axes, the briefing's 14 themes, points to code."""

import io

import pytest
from django.core.management import call_command

from reviewhub.accounts.models import Partnership
from reviewhub.learning import selectors
from reviewhub.learning.models import Code, LearningPoint

pytestmark = pytest.mark.django_db

# One demo point per theme of the reference rapid-review briefing (Themes 1 to 14).
BRIEFING_HEADINGS = [
    "face-to-face contact with families of new babies",
    "Parents with mental health needs",
    "Hearing the child",
    "move into the area",
    "Alerts on case records",
    "Closing early help",
    "exploited child is arrested",
    "unexplained injury moves hospital",
    "mental health assessment",
    "temporarily in another area",
    "larger picture of neglect",
    "out-of-hours emergency duty team",
    "Advocates for every family member",
    "Professional curiosity",
]


def test_demo_loads_coded_learning_once_and_leaves_points_to_code():
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    partnership = Partnership.objects.get(slug="northshire")
    points = LearningPoint.objects.filter(partnership=partnership)
    assert points.count() == 29
    coded = points.filter(coding_complete=True)
    assert coded.count() == 20
    for heading in BRIEFING_HEADINGS:
        assert coded.filter(heading__icontains=heading).count() == 1, heading
    for p in coded:
        codes = Code.objects.filter(point=p, exercise=None, source__in=["confirmed", "manual"])
        assert codes.filter(theme__axis="practice", primary=True).count() == 1
    uncoded = points.filter(coding_complete=False)
    assert uncoded.count() == 9
    assert all(Code.objects.filter(point=p, source="suggested").exists() for p in uncoded)
    assert points.filter(published=True).count() >= 3
    from reviewhub.accounts.models import User

    analyst = User.objects.get(username="analyst")
    assert selectors.next_uncoded_point(user=analyst, partnership=partnership) in uncoded


def test_the_demo_shows_an_emerging_theme_the_taxonomy_lacks():
    from reviewhub.accounts.choices import Role
    from reviewhub.themes.selectors import emerging_themes

    call_command("demo", stdout=io.StringIO())
    partnership = Partnership.objects.get(slug="northshire")
    analyst = partnership.memberships.filter(role=Role.ANALYST).first().user
    result, points = emerging_themes(user=analyst, partnership=partnership)
    drowning = {
        p.pk for p in points.values() if p.external_id in {f"demo-{n}" for n in (26, 27, 28, 29)}
    }
    assert len(drowning) == 4
    # the four water-safety points are one group, and the rest of the demo is covered
    assert [set(c.ids) for c in result.clusters] == [drowning]
    assert "water safety" in result.clusters[0].terms
