import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewhub.calendar.workdays import (
    WorkingCalendar,
    default_calendar,
    load_govuk_bank_holidays,
    parse_govuk_bank_holidays,
    snapshot_differences,
)

# Written out by hand from GOV.UK's England-and-Wales list, in GOV.UK's JSON format.
GOVUK_FILE = Path(__file__).parent / "data" / "govuk-bank-holidays-2018-2026.json"

CAL = WorkingCalendar()


def d(text: str) -> date:
    return date.fromisoformat(text)


def govuk_dates(year: int) -> set[date]:
    data = json.loads(GOVUK_FILE.read_text(encoding="utf-8"))
    events = data["england-and-wales"]["events"]
    return {d(e["date"]) for e in events if e["date"].startswith(str(year))}


@pytest.mark.parametrize("year", range(2018, 2027))
def test_package_calendar_matches_govuk_list_for_each_year_2018_to_2026(year):
    assert set(CAL.holidays_in(year)) == govuk_dates(year)


def test_snapshot_differences_is_empty_for_the_hand_written_govuk_list():
    assert snapshot_differences(load_govuk_bank_holidays(GOVUK_FILE), CAL) == []


def test_snapshot_differences_reports_a_holiday_missing_from_an_old_download():
    data = json.loads(GOVUK_FILE.read_text(encoding="utf-8"))
    events = data["england-and-wales"]["events"]
    data["england-and-wales"]["events"] = [e for e in events if e["date"] != "2023-05-08"]
    stale = parse_govuk_bank_holidays(data)
    assert snapshot_differences(stale, CAL) == [
        (d("2023-05-08"), "", CAL.holidays_in(2023)[d("2023-05-08")])
    ]


def test_2022_holidays_include_jubilee_state_funeral_and_christmas_substitutes():
    assert list(CAL.holidays_in(2022)) == [
        d(x)
        for x in (
            "2022-01-03",
            "2022-04-15",
            "2022-04-18",
            "2022-05-02",
            "2022-06-02",
            "2022-06-03",
            "2022-08-29",
            "2022-09-19",
            "2022-12-26",
            "2022-12-27",
        )
    ]


@pytest.mark.parametrize(
    "day",
    ["2022-09-19", "2023-05-08", "2022-06-02", "2022-06-03", "2023-05-01", "2023-05-29"],
)
def test_special_and_may_bank_holidays_are_not_working_days(day):
    assert not CAL.is_working_day(d(day))


def test_spring_bank_holiday_moved_for_the_jubilee_leaves_the_last_monday_of_may_working():
    assert CAL.is_working_day(d("2022-05-30"))


@pytest.mark.parametrize(
    "holiday",
    [
        "2020-12-25",
        "2020-12-28",  # Boxing Day on a Saturday
        "2021-12-27",  # Christmas Day on a Saturday
        "2021-12-28",  # Boxing Day on a Sunday
        "2022-12-26",
        "2022-12-27",  # Christmas Day on a Sunday
        "2022-01-03",  # New Year's Day on a Saturday
        "2023-01-02",  # New Year's Day on a Sunday
    ],
)
def test_christmas_and_new_year_substitute_days_are_not_working_days(holiday):
    assert not CAL.is_working_day(d(holiday))


@pytest.mark.parametrize("day", ["2020-12-29", "2021-12-29", "2022-12-28", "2020-12-24"])
def test_days_after_the_christmas_substitutes_are_working_days(day):
    assert CAL.is_working_day(d(day))


@pytest.mark.parametrize(
    ("good_friday", "easter_monday"),
    [
        ("2019-04-19", "2019-04-22"),
        ("2022-04-15", "2022-04-18"),
        ("2024-03-29", "2024-04-01"),
        ("2025-04-18", "2025-04-21"),
    ],
)
def test_good_friday_and_easter_monday_are_not_working_days_but_easter_tuesday_is(
    good_friday, easter_monday
):
    assert not CAL.is_working_day(d(good_friday))
    assert not CAL.is_working_day(d(easter_monday))
    assert CAL.is_working_day(d(easter_monday) + timedelta(days=1))


def test_weekends_are_not_working_days():
    assert not CAL.is_working_day(d("2024-06-15"))
    assert not CAL.is_working_day(d("2024-06-16"))
    assert CAL.is_working_day(d("2024-06-14"))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2022-09-12", 15, "2022-10-04"),  # the example, over the State Funeral
        ("2024-06-14", 1, "2024-06-17"),  # Friday + 1 skips the weekend
        ("2024-06-15", 1, "2024-06-17"),  # from a Saturday
        ("2024-06-15", 0, "2024-06-15"),  # day 0 is the start date even on a weekend
        ("2024-06-10", 5, "2024-06-17"),
        ("2020-12-23", 3, "2020-12-30"),
        ("2021-12-23", 3, "2021-12-30"),
        ("2022-12-23", 2, "2022-12-29"),
        ("2023-04-06", 1, "2023-04-11"),  # Easter 2023
        ("2022-06-01", 1, "2022-06-06"),  # Platinum Jubilee
        ("2023-05-05", 1, "2023-05-09"),  # Coronation
    ],
)
def test_add_working_days(start, n, expected):
    assert CAL.add_working_days(d(start), n) == d(expected)


def test_add_working_days_rejects_a_negative_count():
    with pytest.raises(ValueError):
        CAL.add_working_days(d("2024-06-10"), -1)


def test_subtract_working_days_counts_back_over_weekends_and_holidays():
    assert CAL.subtract_working_days(d("2024-06-17"), 7) == d("2024-06-06")
    assert CAL.subtract_working_days(d("2021-01-05"), 7) == d("2020-12-22")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2024-06-14", "2024-06-14", 0),
        ("2024-06-14", "2024-06-17", 1),  # Friday to Monday
        ("2024-06-15", "2024-06-16", 0),  # Saturday to Sunday
        ("2024-06-17", "2024-06-14", -1),
        ("2022-09-12", "2022-10-04", 15),
        ("2022-10-04", "2022-09-12", -15),
        ("2020-12-24", "2020-12-29", 1),  # over Christmas Day and the Boxing Day substitute
        ("2023-12-31", "2025-01-01", 254),  # 2024 and 1 Jan 2025: 263 weekdays - 9 holidays
    ],
)
def test_working_days_between(a, b, expected):
    assert CAL.working_days_between(d(a), d(b)) == expected


days_2018_2026 = st.dates(min_value=date(2018, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=200, deadline=None)
@given(start=days_2018_2026, n=st.integers(min_value=0, max_value=60))
def test_working_days_between_undoes_add_working_days(start, n):
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


@settings(max_examples=200, deadline=None)
@given(a=days_2018_2026, b=days_2018_2026)
def test_working_days_between_agrees_with_counting_day_by_day(a, b):
    lo, hi = min(a, b), max(a, b)
    count = sum(CAL.is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert CAL.working_days_between(a, b) == (count if b >= a else -count)


def test_administrator_added_holiday_shifts_a_due_date():
    proclaimed = WorkingCalendar(extra_holidays={d("2024-06-12"): "Proclaimed bank holiday"})
    assert CAL.add_working_days(d("2024-06-10"), 5) == d("2024-06-17")
    assert proclaimed.add_working_days(d("2024-06-10"), 5) == d("2024-06-18")
    assert proclaimed.holidays_in(2024)[d("2024-06-12")] == "Proclaimed bank holiday"


def test_with_holidays_returns_a_new_calendar_and_leaves_the_original_alone():
    extended = CAL.with_holidays([d("2024-06-12")])
    assert not extended.is_working_day(d("2024-06-12"))
    assert CAL.is_working_day(d("2024-06-12"))


def test_removed_holiday_becomes_a_working_day():
    without_funeral = WorkingCalendar(removed_holidays=[d("2022-09-19")])
    assert without_funeral.is_working_day(d("2022-09-19"))
    assert without_funeral.add_working_days(d("2022-09-12"), 15) == d("2022-10-03")


def test_an_added_date_wins_over_the_same_date_removed():
    cal = WorkingCalendar(extra_holidays=[d("2022-09-19")], removed_holidays=[d("2022-09-19")])
    assert not cal.is_working_day(d("2022-09-19"))


def test_extra_holidays_must_be_dates_not_datetimes():
    from datetime import datetime

    with pytest.raises(TypeError):
        WorkingCalendar(extra_holidays=[datetime(2024, 6, 12, 9, 0)])


def test_calendar_built_from_a_govuk_download_follows_it_for_the_years_it_covers():
    data = json.loads(GOVUK_FILE.read_text(encoding="utf-8"))
    events = data["england-and-wales"]["events"]
    data["england-and-wales"]["events"] = [e for e in events if e["date"] != "2022-09-19"]
    cal = WorkingCalendar.from_govuk_json(io.StringIO(json.dumps(data)))
    assert cal.is_working_day(d("2022-09-19"))
    assert not cal.is_working_day(d("2022-06-03"))
    # 2027 is outside the download, so the package's Good Friday still applies.
    assert not cal.is_working_day(d("2027-03-26"))


def test_govuk_loader_reads_a_file_path_and_ignores_other_divisions():
    snapshot = load_govuk_bank_holidays(GOVUK_FILE)
    assert snapshot.years == range(2018, 2027)
    assert d("2018-01-02") not in snapshot.events  # Scotland only
    assert snapshot.events[d("2023-05-08")].startswith("Bank holiday for the coronation")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"scotland": {"events": []}}, "no 'england-and-wales' division"),
        ({"england-and-wales": {"division": "england-and-wales"}}, "no 'events' list"),
        ({"england-and-wales": {"events": [{"title": "X", "date": "2024-02-30"}]}}, "event 0"),
        ({"england-and-wales": {"events": [{"title": "X"}]}}, "event 0 has no date"),
    ],
)
def test_govuk_loader_rejects_malformed_files_with_a_reason(payload, message):
    with pytest.raises(ValueError, match=message):
        load_govuk_bank_holidays(io.StringIO(json.dumps(payload)))


def test_govuk_loader_rejects_text_that_is_not_json():
    with pytest.raises(ValueError, match="not valid JSON"):
        load_govuk_bank_holidays(io.BytesIO(b"<html>"))


def test_dates_beyond_the_supported_calendar_raise_instead_of_guessing():
    with pytest.raises(ValueError, match="outside the supported calendar"):
        CAL.add_working_days(d("2100-12-01"), 100)


def test_default_calendar_is_shared():
    assert default_calendar() is default_calendar()
