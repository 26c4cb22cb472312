"""Administrator-proclaimed holidays: stored as data, used by `reviewhub calendar` at once."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from reviewhub.audit.models import AuditEvent
from reviewhub.calendar.models import BankHoliday
from reviewhub.calendar.selectors import working_calendar

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("calendar", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_add_prints_the_date_fifteen_working_days_later():
    assert run("add", "2022-09-12", "15") == "2022-10-04\n"


def test_between_prints_the_working_days():
    assert run("between", "2022-09-12", "2022-10-04") == "15\n"


def test_a_proclaimed_holiday_changes_the_sums_without_a_restart():
    run("holiday", "add", "2022-09-30", "Proclaimed holiday")
    assert BankHoliday.objects.get().name == "Proclaimed holiday"
    assert run("add", "2022-09-12", "15") == "2022-10-05\n"
    assert AuditEvent.objects.filter(object_type="calendar.bankholiday", action="create").exists()
    run("holiday", "remove", "2022-09-30")
    assert run("add", "2022-09-12", "15") == "2022-10-04\n"


def test_cancelling_a_holiday_makes_it_a_working_day():
    run("holiday", "cancel", "2023-05-08", "Coronation moved")
    assert working_calendar().is_working_day(date(2023, 5, 8))
    assert "2023-05-08" not in run("holiday", "list", "2023")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("holiday", "add", "2022-02-30", "X"), "not a real calendar date"),
        (("holiday", "add", "12/09/2022", "X"), "not a date in the form YYYY-MM-DD"),
        (("holiday", "add", "2022-09-17", "X"), "Saturday or Sunday"),
        (("holiday", "add", "2022-09-16", "  "), "Enter the holiday's name."),
        (("holiday", "remove", "2022-09-16"), "No administrator change"),
        (("holiday", "frobnicate"), "usage"),
    ],
)
def test_bad_holiday_input_is_refused_and_nothing_is_written(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not BankHoliday.objects.exists()


def test_bad_sums_are_refused():
    with pytest.raises(CommandError):
        call_command(
            "calendar", "add", "2022-09-12", "-3", stdout=io.StringIO(), stderr=io.StringIO()
        )


def test_administrator_adds_a_holiday_on_the_web_page(world, login):
    from django.urls import reverse

    from reviewhub.accounts.choices import Role

    client = login(world.users[Role.ADMINISTRATOR])
    response = client.post(
        reverse("calendar:holidays"),
        {"date": "2022-09-30", "name": "Proclaimed", "kind": "added"},
    )
    assert response.status_code == 302
    assert not working_calendar().is_working_day(date(2022, 9, 30))
    response = client.post(
        reverse("calendar:holidays"), {"date": "2022-09-17", "name": "X", "kind": "added"}
    )
    assert "Saturday or Sunday" in response.content.decode()
    holiday = BankHoliday.objects.get()
    response = client.post(reverse("calendar:holiday_delete", kwargs={"pk": holiday.pk}))
    assert response.status_code == 302
    assert working_calendar().is_working_day(date(2022, 9, 30))
