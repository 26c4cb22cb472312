import io
from datetime import date

import pytest

from reviewhub.calendar.cli import main
from reviewhub.calendar.workdays import WorkingCalendar


def run(*argv, calendar=None):
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), calendar=calendar, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_add_prints_the_date_fifteen_working_days_later():
    assert run("add", "2022-09-12", "15") == (0, "2022-10-04\n", "")


def test_between_prints_the_working_day_count():
    assert run("between", "2022-09-12", "2022-10-04") == (0, "15\n", "")
    assert run("between", "2022-10-04", "2022-09-12") == (0, "-15\n", "")


def test_add_uses_the_calendar_passed_in_by_the_host_command():
    proclaimed = WorkingCalendar(extra_holidays=[date(2022, 9, 30)])
    assert run("add", "2022-09-12", "15", calendar=proclaimed)[:2] == (0, "2022-10-05\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("add", "2022-02-30", "3"), "not a real calendar date"),
        (("add", "12/09/2022", "3"), "not a date in the form YYYY-MM-DD"),
        (("add", "20220912", "3"), "not a date in the form YYYY-MM-DD"),
        (("add", "2022-09-12", "-1"), "is negative"),
        (("add", "2022-09-12", "three"), "not a whole number"),
        (("add", "2022-09-12", "1000000"), "more than 10000"),
        (("between", "2022-09-12"), "required"),
        ((), "required"),
        (("add", "2100-12-01", "100"), "outside the supported calendar"),
    ],
)
def test_bad_input_exits_with_status_2_and_a_clear_message(argv, message):
    status, out, err = run(*argv)
    assert status == 2
    assert out == ""
    assert message in err
