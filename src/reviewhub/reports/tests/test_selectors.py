"""Every figure of the yearly report against a small hand-made data set, counted by hand.

Period: 1 April 2024 to 31 March 2025; previous year: 1 April 2023 to 31 March 2024.

Cases (dates set explicitly):
  1  death, notified 2 May 2024, rapid review done 16 May (in time: due 23 May, a bank
     holiday on 6 May), decision LCSPR 20 May, review started 3 June, completed 1 November
     (LCSPR due 20 November: within 6 months), published 1 December 2024; child looked after.
  2  serious harm, notified 3 September 2024, rapid review done 15 October (due 24
     September: missed), decision "no further review" 20 October 2024.
  3  serious harm, notified 11 January 2024 (previous year), decision 1 February 2024,
     review started 15 February 2024, completed 30 August 2024 (due 1 August: late), held for
     criminal proceedings since 1 March 2024 and never published.
  4  death, notified 1 June 2023 (previous year).
  5  other, notified 2 April 2025 (after the period).
"""

from datetime import UTC, date, datetime

import pytest

from reviewhub.accounts.choices import Role
from reviewhub.actions import services as action_services
from reviewhub.actions.models import Action
from reviewhub.actions.tests.factories import action, recommendation
from reviewhub.briefings.models import Briefing, BriefingDelivery
from reviewhub.cases.choices import Outcome
from reviewhub.cases.models import Child, Decision, Notification, Publication, RapidReview, Review
from reviewhub.cases.tests.factories import case
from reviewhub.learning.models import Code, LearningPoint
from reviewhub.learning.tests import factories as lf
from reviewhub.reports.selectors import yearly_figures
from reviewhub.tests.factories import user

pytestmark = pytest.mark.django_db

FROM, TO = date(2024, 4, 1), date(2025, 3, 31)


def _at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 12, tzinfo=UTC)


def _case(p, upto, *, nature, notified, rr_done=None, decided=None, outcome=Outcome.LCSPR, **kw):
    c = case(p, upto, awareness=notified, nature=nature, outcome=outcome, **kw)
    Notification.objects.filter(case=c).update(notified_on=notified)
    if rr_done:
        RapidReview.objects.filter(case=c).update(completed_on=rr_done)
    if decided:
        Decision.objects.filter(case=c).update(decided_on=decided)
    return c


@pytest.fixture
def data(world):
    p = world.partnership
    c1 = _case(
        p,
        "published",
        nature="death",
        notified=date(2024, 5, 2),
        rr_done=date(2024, 5, 16),
        decided=date(2024, 5, 20),
    )
    Child.objects.filter(case=c1).update(looked_after=True)
    Review.objects.filter(case=c1).update(
        started_on=date(2024, 6, 3), completed_on=date(2024, 11, 1)
    )
    Publication.objects.filter(review__case=c1).update(published_on=date(2024, 12, 1))
    _case(
        p,
        "decision",
        nature="serious_harm",
        notified=date(2024, 9, 3),
        rr_done=date(2024, 10, 15),
        decided=date(2024, 10, 20),
        outcome=Outcome.NO_FURTHER_REVIEW,
    )
    c3 = _case(
        p,
        "completed",
        nature="serious_harm",
        notified=date(2024, 1, 11),
        rr_done=date(2024, 1, 25),
        decided=date(2024, 2, 1),
        hold=True,
    )
    Review.objects.filter(case=c3).update(
        started_on=date(2024, 2, 15), completed_on=date(2024, 8, 30)
    )
    c3.review.holds.update(started_on=date(2024, 3, 1))
    _case(p, "notified", nature="death", notified=date(2023, 6, 1))
    _case(p, "notified", nature="other", notified=date(2025, 4, 2))

    # Themes: confirmed or manual codes count, suggestions do not; by when the point was recorded.
    lf.small_taxonomy(p)
    neglect, sharing, dv = (
        lf.theme(p, t) for t in ("neglect", "information-sharing", "domestic-abuse")
    )

    def point(created: date, codes):
        pt = lf.point(p)
        LearningPoint.objects.filter(pk=pt.pk).update(created_at=_at(created))
        for theme, source in codes:
            Code.objects.create(point=pt, theme=theme, source=source)
        return pt

    point(date(2024, 6, 1), [(neglect, "confirmed"), (sharing, "manual")])
    point(date(2024, 7, 1), [(neglect, "confirmed"), (dv, "suggested")])
    point(date(2023, 7, 1), [(neglect, "manual")])
    point(date(2025, 5, 1), [(sharing, "confirmed")])

    # Actions.
    bu = world.users[Role.BUSINESS_UNIT]
    police, health = world.agency, world.other_agency
    rec = recommendation(p, text="Share information about new partners.")
    a1 = action(rec, police, title="A1 red", target_date=date(2025, 1, 31))
    action(rec, police, title="A2 amber", target_date=date(2025, 4, 20), progress_percent=20)
    action(rec, health, title="A3 green", target_date=date(2025, 12, 31))
    a4 = action(rec, health, title="A4 done", target_date=date(2025, 3, 1))
    action_services.evidence_add(action=a4, user=bu, kind="audit", summary="Audit of 20 files")
    a4.refresh_from_db()
    action_services.action_complete(action=a4, user=bu)
    a5 = action(rec, police, title="A5 done before", target_date=date(2024, 2, 1))
    action_services.evidence_add(action=a5, user=bu, kind="training", summary="Trained")
    a5.refresh_from_db()
    action_services.action_complete(action=a5, user=bu)
    a6 = action(rec, police, title="A6 created after", target_date=date(2025, 6, 1))
    Action.objects.filter(partnership=p).update(created_at=_at(date(2024, 5, 1)))
    Action.objects.filter(pk=a4.pk).update(
        completed_on=date(2025, 2, 10), signed_off_at=_at(date(2025, 2, 10))
    )
    Action.objects.filter(pk=a5.pk).update(
        completed_on=date(2024, 3, 1), signed_off_at=_at(date(2024, 3, 1))
    )
    Action.objects.filter(pk=a6.pk).update(created_at=_at(date(2025, 5, 1)))

    # Briefings: one published in the period reaching three people, one draft, one later.
    analyst = world.users[Role.ANALYST]
    b = Briefing.objects.create(
        partnership=p,
        kind="thematic",
        title="Who is in the household",
        status="published",
        published_at=_at(date(2024, 10, 1)),
        created_by=analyst,
    )
    for i, (opened, acked) in enumerate([(True, True), (True, False), (False, False)]):
        BriefingDelivery.objects.create(
            briefing=b,
            user=user(p, Role.PRACTITIONER, username=f"reader{i}"),
            sent_at=_at(date(2024, 10, 1)),
            opened_at=_at(date(2024, 10, 2)) if opened else None,
            acknowledged_at=_at(date(2024, 10, 3)) if acked else None,
        )
    Briefing.objects.create(partnership=p, kind="thematic", title="Draft", created_by=analyst)
    Briefing.objects.create(
        partnership=p,
        kind="thematic",
        title="Later",
        status="published",
        published_at=_at(date(2025, 4, 10)),
        created_by=analyst,
    )
    # Another partnership's records never count.
    _case(world.other, "notified", nature="death", notified=date(2024, 6, 1))
    return {"a1": a1}


def test_every_yearly_figure_matches_the_hand_count(world, data):
    f = yearly_figures(world.partnership, FROM, TO)
    assert f.partnership_name == world.partnership.name
    assert dict(f.notifications_by_type) == {"death": 1, "serious_harm": 1, "other": 0}
    assert dict(f.notifications_previous) == {"death": 1, "serious_harm": 1, "other": 0}
    assert f.notifications_looked_after == 1
    assert (f.rapid_reviews_completed, f.rapid_reviews_within_15_days) == (2, 1)
    assert dict(f.decisions_by_outcome) == {
        "Local child safeguarding practice review": 1,
        "No further review": 1,
    }
    assert f.reviews_started == 1
    assert f.reviews_completed == 2
    assert f.reviews_completed_within_6_months == 1
    assert f.reviews_published == 1
    assert f.reviews_held == 1
    assert dict(f.themes) == {"Neglect": (2, 1), "Information sharing": (1, 0)}
    assert {k: dict(v) for k, v in f.actions_by_agency_rag.items()} == {
        "Northshire Health": {"green": 1, "blue": 1},
        "Northshire Police": {"red": 1, "amber": 1},
    }
    assert list(f.actions_by_agency_rag) == ["Northshire Health", "Northshire Police"]
    assert [(e.action, e.agency, e.evidence, e.completed) for e in f.actions_with_impact] == [
        ("A4 done", "Northshire Health", "Audit result: Audit of 20 files", date(2025, 2, 10))
    ]
    assert sorted(e.action for e in f.actions_little_progress) == ["A1 red", "A2 amber"]
    assert [(b.title, b.sent, b.opened, b.acknowledged) for b in f.briefings] == [
        ("Who is in the household", 3, 2, 1)
    ]


def test_how_counted_notes_say_what_the_counting_does(world, data):
    f = yearly_figures(world.partnership, FROM, TO)
    notes = f.how_counted
    assert "1 of them concerned a child recorded as looked after" in notes["notifications"]
    assert "within 15 working days of the notification to the Panel" in notes["rapid_reviews"]
    assert "suggestions not yet confirmed are not counted" in notes["themes"]
    assert "31 March 2025" in notes["actions"]
    assert "hold for criminal proceedings in force" in notes["reviews"]


def test_a_period_that_ends_before_it_starts_is_refused(world):
    with pytest.raises(ValueError):
        yearly_figures(world.partnership, TO, FROM)
