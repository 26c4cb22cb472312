"""Administrators keep the bank-holiday calendar current (a proclaimed holiday needs no release)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from reviewhub.accounts.access import role_required
from reviewhub.accounts.choices import Role

from . import services
from .forms import HolidayForm
from .models import BankHoliday
from .selectors import working_calendar


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def holiday_list(request):
    """List the administrators' changes and this year's holidays; add a change."""
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holiday = services.bank_holiday_set(
                day=form.cleaned_data["date"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                user=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Saved: {holiday}. Every clock now counts it.")
            return redirect("calendar:holidays")
    year = timezone.localdate().year
    return render(
        request,
        "calendar/holidays.html",
        {
            "form": form,
            "changes": BankHoliday.objects.all(),
            "year": year,
            "holidays": working_calendar().holidays_in(year).items(),
        },
    )


@require_POST
@role_required(Role.ADMINISTRATOR)
def holiday_delete(request, pk: int):
    """Undo an administrator change."""
    holiday = get_object_or_404(BankHoliday, pk=pk)
    services.bank_holiday_delete(day=holiday.date, user=request.user)
    messages.success(request, f"Removed the change for {holiday.date:%d %B %Y}.")
    return redirect("calendar:holidays")
