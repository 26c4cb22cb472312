"""Forms for the reports pages."""

from datetime import date

from django import forms

from .services import MAX_SECTION_CHARS


def previous_financial_year(today: date) -> tuple[date, date]:
    """1 April to 31 March of the last complete financial year."""
    end_year = today.year if today >= date(today.year, 4, 1) else today.year - 1
    return date(end_year - 1, 4, 1), date(end_year, 3, 31)


class PeriodForm(forms.Form):
    date_from = forms.DateField(
        label="From", help_text="For example, 2024-04-01.", input_formats=["%Y-%m-%d"]
    )
    date_to = forms.DateField(
        label="To", help_text="For example, 2025-03-31.", input_formats=["%Y-%m-%d"]
    )

    def clean(self):
        data = super().clean()
        a, b = data.get("date_from"), data.get("date_to")
        if a and b and b < a:
            self.add_error("date_to", "The end of the period must be on or after its start.")
        elif a and b and (b - a).days > 731:
            self.add_error("date_to", "A yearly report covers at most two years.")
        return data


class NarrativeForm(forms.Form):
    """One text area per report section; built from the report's sections."""

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        for section in sections:
            self.fields[section.key] = forms.CharField(
                label=section.title,
                help_text=section.guidance,
                widget=forms.Textarea,
                required=False,
                max_length=MAX_SECTION_CHARS,
            )
