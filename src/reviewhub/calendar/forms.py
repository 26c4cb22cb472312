"""The administrator's form for a proclaimed (or cancelled) bank holiday."""

from django import forms

from .models import HolidayKind


class DateInput(forms.DateInput):
    input_type = "date"


class HolidayForm(forms.Form):
    date = forms.DateField(
        widget=DateInput(format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date.",
            "invalid": "Enter a real date in the form YYYY-MM-DD.",
        },
    )
    name = forms.CharField(
        max_length=120,
        error_messages={"required": "Enter the holiday's name."},
        help_text="As proclaimed, e.g. 'Bank holiday for the State Funeral'.",
    )
    kind = forms.ChoiceField(
        choices=HolidayKind.choices,
        initial=HolidayKind.ADDED,
        widget=forms.RadioSelect,
        label="Change",
    )
