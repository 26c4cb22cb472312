"""The demo partnership holds valid cases at every stage and the dashboard shows them."""

import pytest
from django.apps import apps
from django.urls import reverse

from reviewhub.accounts.demo import load_people
from reviewhub.cases import demo
from reviewhub.cases.clocks import ClockStatus
from reviewhub.cases.models import Case
from reviewhub.cases.selectors import case_clocks

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    partnership, users = load_people()
    demo.load(partnership, users)
    return partnership, users


def test_demo_cases_cover_every_stage_and_route(loaded):
    partnership, _ = loaded
    cases = list(Case.objects.filter(partnership=partnership))
    stages = {c.stage for c in cases}
    assert stages >= {
        "notification",
        "rapid_review",
        "decided",
        "review",
        "publication",
        "published",
        "closed",
        "rr_not_required",
    }
    assert {c.kind for c in cases} == {"child", "legacy_scr", "adult_sar"}
    assert any(c.abuse_categories.filter(category="neglect").exists() for c in cases)


def test_demo_records_pass_their_own_validation(loaded):
    for model in apps.get_app_config("cases").get_models():
        for record in model.objects.all():
            record.full_clean()


def test_demo_has_an_overdue_rapid_review_a_held_review_and_a_published_lcspr(loaded):
    partnership, users = loaded
    overdue = [
        c
        for c in Case.objects.filter(partnership=partnership)
        if any(k.name == "Rapid review" and k.status == ClockStatus.OVERDUE for k in case_clocks(c))
    ]
    assert len(overdue) == 1
    held = Case.objects.get(
        partnership=partnership,
        review__holds__isnull=False,
        review__holds__lifted_on__isnull=True,
    )
    assert held.review.active_hold is not None
    published = Case.objects.get(
        partnership=partnership, review__review_type="lcspr", review__publication__isnull=False
    )
    assert published.stage == "published"
    assert Case.objects.filter(review__lead_reviewer=users["reviewer"]).count() == 1


def test_demo_load_is_idempotent(loaded):
    partnership, users = loaded
    count = Case.objects.count()
    demo.load(partnership, users)
    assert Case.objects.count() == count


def test_dashboard_shows_the_demo_deadlines(loaded, login):
    partnership, users = loaded
    page = login(users["manager"]).get(reverse("cases:due_soon")).content.decode()
    assert "Rapid review" in page and "Overdue" in page
    assert "Criminal-proceedings hold review" in page
    assert "Serious incident notification" in page
    assert "Child G" not in page  # published: nothing due
    reviewer_page = login(users["reviewer"]).get(reverse("cases:list")).content.decode()
    assert "Child E" in reviewer_page and "Child B" not in reviewer_page
    council_page = login(users["lead.council"]).get(reverse("cases:list")).content.decode()
    assert "Child B" in council_page
    assert login(users["practitioner"]).get(reverse("cases:list")).status_code == 403
