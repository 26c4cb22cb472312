from datetime import date

import pytest

from reviewhub.calendar.workdays import WorkingCalendar
from reviewhub.cases.clocks import (
    RAPID_REVIEW_DEFAULT_START,
    ClockStatus,
    Extension,
    lcspr_clock,
    notification_clock,
    publication_notice_clock,
    rapid_review_clock,
)

CAL = WorkingCalendar()
S = ClockStatus


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- Serious incident notification: 5 working days -------------------------------------------
# Aware Mon 10 June 2024 -> due Mon 17 June 2024 (11, 12, 13, 14, 17).


@pytest.mark.parametrize(
    ("today", "status", "left", "label"),
    [
        ("2024-06-11", S.RUNNING, 4, "Due 17 June 2024: 4 working days left"),
        ("2024-06-14", S.DUE_SOON, 1, "Due 17 June 2024: 1 working day left"),
        ("2024-06-15", S.DUE_SOON, 1, "Due 17 June 2024: 1 working day left"),
        ("2024-06-17", S.DUE_SOON, 0, "Due today (17 June 2024)"),
        ("2024-06-19", S.OVERDUE, -2, "Overdue by 2 working days (due 17 June 2024)"),
    ],
)
def test_notification_clock_while_not_yet_notified(today, status, left, label):
    clock = notification_clock(d("2024-06-10"), None, today=d(today), calendar=CAL)
    assert clock.due == d("2024-06-17")
    assert (clock.status, clock.working_days_left, clock.label) == (status, left, label)
    assert clock.start == d("2024-06-10")


def test_notification_on_the_due_date_is_met():
    clock = notification_clock(d("2024-06-10"), d("2024-06-17"), today=d("2024-07-01"))
    assert clock.status is S.MET
    assert clock.working_days_left == 0
    assert clock.label == "Met on 17 June 2024 (due 17 June 2024)"


def test_notification_a_day_late_is_missed_by_one_working_day():
    clock = notification_clock(d("2024-06-10"), d("2024-06-18"), today=d("2024-07-01"))
    assert clock.status is S.MISSED
    assert clock.working_days_left == -1
    assert clock.label == "Missed by 1 working day: done 18 June 2024 (due 17 June 2024)"


def test_notification_clock_runs_over_christmas_2020():
    # 22, 23, 24, [25 Christmas, 28 Boxing Day substitute], 29, 30
    clock = notification_clock(d("2020-12-21"), None, today=d("2020-12-24"))
    assert clock.due == d("2020-12-30")
    assert clock.working_days_left == 2
    assert clock.status is S.DUE_SOON


def test_notification_clock_skips_the_coronation_bank_holiday():
    # 4, 5, [8 Coronation], 9, 10, 11
    clock = notification_clock(d("2023-05-03"), d("2023-05-11"), today=d("2023-05-20"))
    assert clock.due == d("2023-05-11")
    assert clock.status is S.MET


def test_notification_clock_can_count_from_the_incident_date():
    incident, aware, notified = d("2024-06-07"), d("2024-06-10"), d("2024-06-17")
    from_incident = notification_clock(
        aware, notified, today=notified, start="incident", incident_date=incident
    )
    from_awareness = notification_clock(aware, notified, today=notified, incident_date=incident)
    assert from_incident.due == d("2024-06-14")
    assert from_incident.status is S.MISSED
    assert from_incident.rule == "5 working days from incident"
    assert from_awareness.status is S.MET


def test_notification_clock_overdue_over_the_weekend_after_a_friday_deadline():
    clock = notification_clock(
        None, None, today=d("2024-06-15"), start="incident", incident_date=d("2024-06-07")
    )
    assert clock.status is S.OVERDUE
    assert clock.working_days_left == 0
    assert clock.calendar_days_left == -1
    assert clock.label == "Overdue by 1 calendar day (due 14 June 2024)"


def test_notification_clock_without_an_awareness_date_has_not_started():
    clock = notification_clock(None, None, today=d("2024-06-15"))
    assert clock.status is S.NOT_STARTED
    assert clock.due is None and clock.working_days_left is None
    assert clock.label.startswith("Not started: date the local authority became aware")


def test_notification_clock_rejects_an_unknown_start():
    with pytest.raises(ValueError):
        notification_clock(d("2024-06-10"), None, today=d("2024-06-10"), start="referral")


# --- Rapid review: 15 working days ----------------------------------------------------------
# Notified Mon 12 Sep 2022 -> due Tue 4 Oct 2022 (State Funeral on 19 Sep).
# Aware Thu 8 Sep 2022 -> due Fri 30 Sep 2022.


def test_rapid_review_counts_from_the_notification_by_default():
    assert RAPID_REVIEW_DEFAULT_START == "notification"
    clock = rapid_review_clock(d("2022-09-08"), d("2022-09-12"), None, today=d("2022-09-12"))
    assert clock.due == d("2022-10-04")
    assert clock.start == d("2022-09-12")
    assert clock.status is S.RUNNING
    assert clock.working_days_left == 15


def test_rapid_review_can_count_from_awareness():
    clock = rapid_review_clock(
        d("2022-09-08"), d("2022-09-12"), None, today=d("2022-09-12"), start="awareness"
    )
    assert clock.due == d("2022-09-30")


def test_rapid_review_completed_on_3_october_is_met_from_notification_but_missed_from_awareness():
    args = (d("2022-09-08"), d("2022-09-12"), d("2022-10-03"))
    met = rapid_review_clock(*args, today=d("2022-10-10"))
    missed = rapid_review_clock(*args, today=d("2022-10-10"), start="awareness")
    assert (met.status, met.working_days_left) == (S.MET, 1)
    assert (missed.status, missed.working_days_left) == (S.MISSED, -1)


@pytest.mark.parametrize(
    ("today", "status", "left"),
    [
        ("2022-09-26", S.RUNNING, 6),
        ("2022-09-27", S.DUE_SOON, 5),  # 28, 29, 30 Sep, 3, 4 Oct
        ("2022-10-04", S.DUE_SOON, 0),
        ("2022-10-06", S.OVERDUE, -2),
    ],
)
def test_rapid_review_statuses_before_completion(today, status, left):
    clock = rapid_review_clock(d("2022-09-08"), d("2022-09-12"), None, today=d(today))
    assert (clock.status, clock.working_days_left) == (status, left)


def test_no_rapid_review_clock_without_a_notification():
    clock = rapid_review_clock(d("2022-09-08"), None, None, today=d("2022-09-20"))
    assert clock.status is S.NOT_STARTED
    assert clock.label == "Not started: no serious incident notification recorded"


@pytest.mark.parametrize(
    ("notified", "due"),
    [
        ("2025-04-10", "2025-05-06"),  # Good Friday, Easter Monday and the early May holiday
        ("2022-05-25", "2022-06-17"),  # Platinum Jubilee, 2 and 3 June
        ("2021-12-20", "2022-01-13"),  # 27, 28 Dec substitutes and the 3 Jan substitute
    ],
)
def test_rapid_review_due_dates_over_holidays(notified, due):
    clock = rapid_review_clock(None, d(notified), None, today=d(notified))
    assert clock.due == d(due)


def test_administrator_added_holiday_shifts_the_rapid_review_due_date():
    proclaimed = WorkingCalendar(extra_holidays={d("2024-06-24"): "Proclaimed bank holiday"})
    args = (None, d("2024-06-10"), d("2024-07-02"))
    before = rapid_review_clock(*args, today=d("2024-07-05"), calendar=CAL)
    after = rapid_review_clock(*args, today=d("2024-07-05"), calendar=proclaimed)
    assert (before.due, before.status) == (d("2024-07-01"), S.MISSED)
    assert (after.due, after.status) == (d("2024-07-02"), S.MET)


# --- LCSPR: 6 calendar months from the decision ------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "due"),
    [
        ("2023-08-31", "2024-02-29"),
        ("2022-08-31", "2023-02-28"),
        ("2024-01-15", "2024-07-15"),
    ],
)
def test_lcspr_target_is_six_calendar_months_from_the_decision(decision, due):
    assert lcspr_clock(d(decision), today=d(decision)).due == d(due)


@pytest.mark.parametrize(
    ("today", "status", "left"),
    [
        ("2024-01-31", S.RUNNING, 21),
        ("2024-02-01", S.DUE_SOON, 20),
        ("2024-03-04", S.OVERDUE, -2),
    ],
)
def test_lcspr_statuses_before_publication(today, status, left):
    clock = lcspr_clock(d("2023-08-31"), today=d(today))
    assert (clock.status, clock.working_days_left) == (status, left)


def test_lcspr_published_on_the_target_is_met_and_a_day_later_is_missed():
    met = lcspr_clock(d("2023-08-31"), published_date=d("2024-02-29"), today=d("2024-03-10"))
    missed = lcspr_clock(d("2023-08-31"), published_date=d("2024-03-01"), today=d("2024-03-10"))
    assert met.status is S.MET
    assert (missed.status, missed.working_days_left) == (S.MISSED, -1)


def test_lcspr_last_extension_sets_the_target_and_the_label_shows_the_original():
    clock = lcspr_clock(
        d("2023-08-31"),
        today=d("2024-03-15"),
        extensions=[
            (d("2024-05-31"), "Criminal trial listed for April"),
            Extension(d("2024-07-31"), "Family asked for time to contribute"),
        ],
    )
    assert clock.due == d("2024-07-31")
    assert clock.original_due == d("2024-02-29")
    assert clock.status is S.RUNNING
    assert clock.label.endswith("extended from 29 February 2024")
    assert [e.reason for e in clock.extensions] == [
        "Criminal trial listed for April",
        "Family asked for time to contribute",
    ]


def test_lcspr_extension_without_a_reason_is_refused():
    with pytest.raises(ValueError, match="no reason"):
        lcspr_clock(d("2023-08-31"), today=d("2024-03-15"), extensions=[(d("2024-05-31"), " ")])


def test_lcspr_stops_on_publication_by_default_and_on_completion_when_configured():
    args = {"completed_date": d("2024-02-20"), "published_date": d("2024-06-03")}
    by_publication = lcspr_clock(d("2023-08-31"), today=d("2024-06-10"), **args)
    by_completion = lcspr_clock(d("2023-08-31"), today=d("2024-06-10"), stop="completed", **args)
    assert by_publication.status is S.MISSED
    assert by_completion.status is S.MET
    assert by_completion.stopped == d("2024-02-20")


def test_lcspr_target_on_a_saturday_is_not_moved():
    # 13 Jan 2024 + 6 months = Saturday 13 July 2024.
    due_today = lcspr_clock(d("2024-01-13"), today=d("2024-07-13"))
    next_day = lcspr_clock(d("2024-01-13"), today=d("2024-07-14"))
    published_monday = lcspr_clock(
        d("2024-01-13"), published_date=d("2024-07-15"), today=d("2024-07-15")
    )
    assert due_today.due == d("2024-07-13")
    assert due_today.label == "Due today (13 July 2024)"
    assert next_day.status is S.OVERDUE
    assert next_day.label == "Overdue by 1 calendar day (due 13 July 2024)"
    assert (published_monday.status, published_monday.working_days_left) == (S.MISSED, -1)


def test_lcspr_without_a_decision_has_not_started():
    assert lcspr_clock(None, today=d("2024-03-15")).status is S.NOT_STARTED


# --- Publication notice: at least 7 working days before publication --------------------------


@pytest.mark.parametrize(
    ("publication", "latest_notice"),
    [
        ("2024-06-17", "2024-06-06"),  # Monday publication
        ("2024-06-15", "2024-06-06"),  # Saturday publication: same latest date
        ("2021-01-05", "2020-12-22"),  # New Year's Day, Boxing Day substitute, Christmas Day
        ("2023-05-12", "2023-05-02"),  # Coronation
        ("2024-04-05", "2024-03-25"),  # Easter Monday and Good Friday
        ("2022-09-27", "2022-09-15"),  # State Funeral
    ],
)
def test_publication_notice_latest_date(publication, latest_notice):
    clock = publication_notice_clock(None, d(publication), today=d("2020-01-01"))
    assert clock.due == d(latest_notice)


def test_publication_notice_on_the_latest_date_is_met_and_a_day_later_is_missed():
    met = publication_notice_clock(d("2024-06-06"), d("2024-06-17"), today=d("2024-06-17"))
    missed = publication_notice_clock(d("2024-06-07"), d("2024-06-17"), today=d("2024-06-17"))
    assert met.status is S.MET
    assert (missed.status, missed.working_days_left) == (S.MISSED, -1)
    assert missed.label == "Missed by 1 working day: done 7 June 2024 (due 6 June 2024)"


@pytest.mark.parametrize(
    ("today", "status", "left"),
    [
        ("2024-06-03", S.RUNNING, 3),
        ("2024-06-04", S.DUE_SOON, 2),
        ("2024-06-10", S.OVERDUE, -2),
    ],
)
def test_publication_notice_statuses_before_sending(today, status, left):
    clock = publication_notice_clock(None, d("2024-06-17"), today=d(today))
    assert (clock.status, clock.working_days_left) == (status, left)


def test_publication_notice_without_a_publication_date_has_not_started():
    clock = publication_notice_clock(None, None, today=d("2024-06-10"))
    assert clock.status is S.NOT_STARTED
    assert clock.label == "Not started: no publication date set"
