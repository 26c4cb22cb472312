"""The search form: a query and the facets it may be narrowed by."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

from .query import theme_labels
from .selectors import SearchFilters

_SLUG = RegexValidator(r"^[A-Za-z0-9_-]*$", "Use letters, numbers, hyphens or underscores only.")

TYPE_CHOICES = [
    ("learning", "Learning points"),
    ("briefing", "Briefings"),
    ("document", "Document pages"),
]
PAGE_SIZE = 20
MAX_PAGE = 10


class SearchForm(forms.Form):
    """Validate a search request; every field is optional except the words to look for."""

    q = forms.CharField(
        label="Search learning, briefings and documents",
        max_length=200,
        help_text="Everyday words work: for example “dads”, “gangs” or “hiding abuse”.",
    )
    type = forms.MultipleChoiceField(
        label="Show", choices=TYPE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    theme = forms.ChoiceField(label="Theme", required=False)
    year = forms.IntegerField(label="Year", required=False, min_value=1950, max_value=2100)
    review_type = forms.CharField(
        label="Review type", required=False, max_length=40, validators=[_SLUG]
    )
    agency = forms.CharField(label="Agency", required=False, max_length=40, validators=[_SLUG])
    age_band = forms.CharField(label="Age band", required=False, max_length=30, validators=[_SLUG])
    published = forms.BooleanField(label="Published learning only", required=False)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Any theme")] + sorted(
            theme_labels().items(), key=lambda kv: kv[1]
        )

    def clean_q(self):
        q = " ".join(self.cleaned_data["q"].split())
        if not any(ch.isalnum() for ch in q):
            raise forms.ValidationError("Enter a word to search for.")
        return q

    def filters(self) -> SearchFilters:
        d = self.cleaned_data
        return SearchFilters(
            types=tuple(d.get("type") or ()),
            theme=d.get("theme") or "",
            year=d.get("year"),
            review_type=d.get("review_type") or "",
            agency=d.get("agency") or "",
            age_band=d.get("age_band") or "",
            published_only=bool(d.get("published")),
        )

    @property
    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1
