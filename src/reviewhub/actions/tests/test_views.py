"""Recording recommendations from the web."""

import pytest

from reviewhub.accounts.choices import Role

pytestmark = pytest.mark.django_db


def test_business_unit_records_a_recommendation_with_its_learning(world, login):
    from django.urls import reverse

    from reviewhub.learning.models import Recommendation
    from reviewhub.learning.tests.factories import point, source

    src = source(world.partnership, title="LCSPR Child Z")
    p = point(world.partnership, src=src, suggest=False)
    client = login(world.users[Role.BUSINESS_UNIT])
    url = reverse("actions:recommendation_create")
    bad = client.post(url, {"source": src.pk, "scope": "galactic", "text": ""})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
    assert not Recommendation.objects.exists()
    response = client.post(
        url,
        {
            "source": src.pk,
            "reference": "R1",
            "text": "Ask who lives in the home.",
            "scope": "local",
            "learning_points": [p.pk],
        },
    )
    rec = Recommendation.objects.get()
    assert response["Location"] == reverse("actions:recommendation", kwargs={"pk": rec.pk})
    assert list(rec.learning_points.all()) == [p]
