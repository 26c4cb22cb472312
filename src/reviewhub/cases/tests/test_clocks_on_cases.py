"""Clocks of real case records on the database calendar: weekends, Christmas, Easter, the 2022
and 2023 special bank holidays, administrator-proclaimed holidays and the configurable starts.
Expected dates are worked by hand from the GOV.UK list."""

from datetime import date

import pytest

from reviewhub.calendar.models import BankHoliday, HolidayKind
from reviewhub.cases.clocks import ClockStatus
from reviewhub.cases.models import Notification, Publication, RapidReview
from reviewhub.cases.selectors import case_clocks
from reviewhub.tests.factories import partnership

from . import factories

pytestmark = pytest.mark.django_db


def clock(case, name, today):
    return next(c for c in case_clocks(case, today=today) if c.name.startswith(name))


def notified_case(awareness, notified=None):
    c = factories.case(partnership(), "open", awareness=awareness)
    if notified:
        Notification.objects.create(case=c, notified_on=notified, notifier="Head of service")
    return c


@pytest.mark.parametrize(
    ("awareness", "due", "why"),
    [
        (date(2024, 3, 8), date(2024, 3, 15), "a weekend"),
        (date(2022, 12, 23), date(2023, 1, 4), "Christmas 2022 and New Year substitute days"),
        (date(2023, 4, 5), date(2023, 4, 14), "Good Friday and Easter Monday 2023"),
        (date(2022, 5, 31), date(2022, 6, 9), "the Platinum Jubilee holidays of 2 and 3 June 2022"),
        (date(2022, 9, 14), date(2022, 9, 22), "the State Funeral of 19 September 2022"),
        (date(2023, 5, 2), date(2023, 5, 10), "the Coronation holiday of 8 May 2023"),
    ],
)
def test_notification_is_due_five_working_days_after_awareness(awareness, due, why):
    c = notified_case(awareness)
    found = clock(c, "Serious incident", today=awareness)
    assert found.due == due, why
    assert found.status == ClockStatus.RUNNING
    assert found.working_days_left == 5


@pytest.mark.parametrize(
    ("notified", "due"),
    [
        (date(2022, 9, 12), date(2022, 10, 4)),  # State Funeral
        (date(2023, 4, 6), date(2023, 5, 2)),  # Good Friday, Easter Monday, early May
        (date(2023, 4, 21), date(2023, 5, 16)),  # early May and the Coronation
        (date(2022, 12, 16), date(2023, 1, 11)),  # Christmas, Boxing Day, two substitutes
        (date(2022, 5, 27), date(2022, 6, 21)),  # Jubilee
    ],
)
def test_rapid_review_is_due_fifteen_working_days_after_notification(notified, due):
    c = notified_case(notified, notified)
    assert clock(c, "Rapid review", today=notified).due == due


def test_rapid_review_clock_can_start_from_awareness(settings):
    settings.REVIEWHUB = {**settings.REVIEWHUB, "RAPID_REVIEW_CLOCK_START": "awareness"}
    c = notified_case(date(2022, 9, 9), date(2022, 9, 12))
    # 15 working days from Friday 9 September 2022, skipping the State Funeral: 3 October.
    found = clock(c, "Rapid review", today=date(2022, 9, 12))
    assert found.due == date(2022, 10, 3)
    assert "from awareness" in found.rule


def test_notification_clock_can_start_from_the_incident(settings):
    settings.REVIEWHUB = {**settings.REVIEWHUB, "NOTIFICATION_CLOCK_START": "incident"}
    c = factories.case(
        partnership(), "open", awareness=date(2024, 3, 8), incident_date=date(2024, 3, 1)
    )
    assert clock(c, "Serious incident", today=date(2024, 3, 8)).due == date(2024, 3, 8)


def test_overdue_rapid_review_counts_working_days_late():
    c = notified_case(date(2023, 4, 6), date(2023, 4, 6))
    found = clock(c, "Rapid review", today=date(2023, 5, 9))  # due 2 May; 8 May a holiday
    assert found.status == ClockStatus.OVERDUE
    assert found.working_days_left == -4
    assert "Overdue by 4 working days" in found.label


def test_stopped_clocks_say_met_or_missed():
    # Aware Thursday 6 April 2023; Good Friday and Easter Monday put the due date on 17 April.
    c = notified_case(date(2023, 4, 6), date(2023, 4, 18))
    RapidReview.objects.create(
        case=c, started_on=date(2023, 4, 18), completed_on=date(2023, 5, 2), summary_outcome="x"
    )
    notification = clock(c, "Serious incident", today=date(2023, 6, 1))
    rapid = clock(c, "Rapid review", today=date(2023, 6, 1))
    assert notification.status == ClockStatus.MISSED
    assert "Missed by 1 working day" in notification.label
    # From 18 April 2023: 15 working days, skipping 1 and 8 May, is 11 May; done 2 May.
    assert rapid.due == date(2023, 5, 11)
    assert rapid.status == ClockStatus.MET


def test_an_administrator_proclaimed_holiday_moves_the_clock_at_once():
    c = notified_case(date(2024, 3, 8))
    assert clock(c, "Serious incident", today=date(2024, 3, 8)).due == date(2024, 3, 15)
    BankHoliday.objects.create(date=date(2024, 3, 13), name="Proclaimed holiday")
    assert clock(c, "Serious incident", today=date(2024, 3, 8)).due == date(2024, 3, 18)
    BankHoliday.objects.filter(date=date(2024, 3, 13)).delete()
    assert clock(c, "Serious incident", today=date(2024, 3, 8)).due == date(2024, 3, 15)


def test_a_removed_holiday_becomes_a_working_day():
    c = notified_case(date(2023, 5, 2))
    BankHoliday.objects.create(date=date(2023, 5, 8), name="Moved", kind=HolidayKind.REMOVED)
    assert clock(c, "Serious incident", today=date(2023, 5, 2)).due == date(2023, 5, 9)


def test_lcspr_clock_runs_six_months_from_the_decision_with_extensions():
    c = factories.case(partnership(), "review", awareness=date(2023, 8, 1))
    decision = c.decision
    decision.decided_on = date(2023, 8, 31)
    decision.save()
    found = clock(c, "Local child", today=date(2023, 9, 1))
    assert found.due == date(2024, 2, 29)
    c.review.extensions.create(
        agreed_on=date(2024, 1, 10), new_target_on=date(2024, 5, 31), reason="Trial"
    )
    found = clock(c, "Local child", today=date(2024, 3, 1))
    assert found.due == date(2024, 5, 31)
    assert found.original_due == date(2024, 2, 29)
    assert found.status == ClockStatus.RUNNING


def test_publication_notice_is_due_seven_working_days_before_publication():
    c = factories.case(partnership(), "completed", awareness=date(2022, 3, 1))
    Publication.objects.create(
        review=c.review, mode="full", planned_on=date(2023, 1, 9), notice_sent_on=None
    )
    found = clock(c, "Pre-publication", today=date(2022, 12, 1))
    # Back from Monday 9 January 2023, skipping 2 January and the Christmas holidays.
    assert found.due == date(2022, 12, 28)


def test_legacy_scr_and_sar_have_no_notification_or_rapid_review_clock():
    p = partnership()
    for kind in ("legacy_scr", "adult_sar"):
        c = factories.case(p, "decision", kind=kind)
        names = [k.name for k in case_clocks(c, today=date(2024, 5, 1))]
        assert "Serious incident notification" not in names
        assert "Rapid review" not in names
