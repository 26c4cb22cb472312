"""Forms for browsing, coding, the taxonomy and coding exercises."""

from django import forms
from django.core.exceptions import ValidationError

from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import User

from .choices import THEME_MAX_KEYWORDS, AgeBand, Axis, Polarity, ReviewType, Sector, SourceKind
from .taxonomy import MAX_YAML_BYTES, THEME_ID


class LearningFilterForm(forms.Form):
    """The filters of the learning list (values are re-checked by selectors.clean_filters)."""

    theme = forms.ChoiceField(required=False)
    year = forms.ChoiceField(required=False)
    review_type = forms.ChoiceField(
        required=False, choices=[("", "Any")] + list(ReviewType.choices), label="Review type"
    )
    agency = forms.ChoiceField(required=False, choices=[("", "Any")] + list(Sector.choices))
    polarity = forms.ChoiceField(
        required=False, choices=[("", "Any")] + list(Polarity.choices), label="Kind of learning"
    )
    published = forms.ChoiceField(
        required=False, choices=[("", "Any"), ("yes", "Published"), ("no", "Not published")]
    )

    def __init__(self, *args, themes=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Any")] + [
            (t.theme_id, f"{t.label}{' (retired)' if t.retired else ''}") for t in themes
        ]
        self.fields["year"].choices = (
            [("", "Any")] + [(str(y), str(y)) for y in years] + [("none", "Year not stated")]
        )


class ThemeForm(forms.Form):
    """Add or edit a theme; the id and axis are fixed once the theme exists."""

    theme_id = forms.CharField(
        label="Theme id",
        max_length=80,
        help_text="Lower-case words joined by hyphens, for example 'young-carers'. It never changes.",
    )
    axis = forms.ChoiceField(choices=Axis.choices, widget=forms.RadioSelect)
    label = forms.CharField(max_length=200)
    definition = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)
    keywords = forms.CharField(
        widget=forms.Textarea,
        required=False,
        max_length=5000,
        help_text="One word or phrase a line. The suggestion engine looks for these.",
    )
    display_order = forms.IntegerField(min_value=0, max_value=10_000, initial=0)
    note = forms.CharField(
        label="Why are you making this change?",
        max_length=300,
        required=False,
        help_text="Kept with the new version of the taxonomy.",
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["theme_id"]
            del self.fields["axis"]

    def clean_theme_id(self):
        value = self.cleaned_data["theme_id"].strip()
        if not THEME_ID.match(value):
            raise ValidationError("Use lower-case letters and digits, words joined by hyphens.")
        return value

    def clean_keywords(self):
        return _keyword_lines(self.cleaned_data["keywords"], most=THEME_MAX_KEYWORDS)


class TaxonomyImportForm(forms.Form):
    file = forms.FileField(label="Taxonomy file (YAML)", help_text="In the shape of themes.yaml.")
    note = forms.CharField(label="Note for this version", max_length=300, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_YAML_BYTES:
            raise ValidationError("The file is larger than 2 MB; a taxonomy is much smaller.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError("The file is not UTF-8 text.")


class CodingForm(forms.Form):
    """A whole coding of one point: themes per axis and the primary of each (blind coding, settling)."""

    circumstances = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Circumstances themes (0 to 3)"
    )
    practice = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Practice themes (1 to 3)"
    )
    primary_circumstance = forms.ChoiceField(required=False, label="Primary circumstances theme")
    primary_practice = forms.ChoiceField(required=False, label="Primary practice theme")

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        for axis, field, primary in (
            (Axis.CIRCUMSTANCES, "circumstances", "primary_circumstance"),
            (Axis.PRACTICE, "practice", "primary_practice"),
        ):
            choices = [(t.theme_id, t.label) for t in themes if t.axis == axis and not t.retired]
            self.fields[field].choices = choices
            self.fields[primary].choices = [("", "None")] + choices

    def clean(self):
        from .services import coding_problems

        data = super().clean()
        problems = coding_problems(
            {
                Axis.CIRCUMSTANCES: data.get("circumstances", []),
                Axis.PRACTICE: data.get("practice", []),
            },
            {
                Axis.CIRCUMSTANCES: data.get("primary_circumstance") or None,
                Axis.PRACTICE: data.get("primary_practice") or None,
            },
        )
        for problem in problems:
            self.add_error(None, problem)
        return data


class ExerciseForm(forms.Form):
    name = forms.CharField(max_length=200)
    coder_a = forms.ModelChoiceField(queryset=User.objects.none(), label="First analyst")
    coder_b = forms.ModelChoiceField(queryset=User.objects.none(), label="Second analyst")
    points = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Learning points to code"
    )

    def __init__(self, *args, partnership, points, **kwargs):
        super().__init__(*args, **kwargs)
        analysts = User.objects.filter(
            is_active=True,
            memberships__partnership=partnership,
            memberships__role=Role.ANALYST,
        ).distinct()
        self.fields["coder_a"].queryset = analysts
        self.fields["coder_b"].queryset = analysts
        self.fields["points"].queryset = points
        self.fields["points"].label_from_instance = lambda p: p.heading

    def clean(self):
        data = super().clean()
        if data.get("coder_a") and data.get("coder_a") == data.get("coder_b"):
            self.add_error("coder_b", "Choose a different analyst from the first one.")
        return data


class LearningPointForm(forms.Form):
    """Add a learning point, from one of the partnership's sources or a new one."""

    source = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Source",
        empty_label="A new source (fill in below)",
        help_text="The review, audit or analysis the point comes from.",
    )
    source_title = forms.CharField(label="New source: title", max_length=300, required=False)
    source_kind = forms.ChoiceField(
        label="New source: kind",
        choices=[("", "Choose")] + list(SourceKind.choices),
        required=False,
    )
    source_review_type = forms.ChoiceField(
        label="New source: review type",
        choices=[("", "Choose")] + list(ReviewType.choices),
        required=False,
    )
    source_year = forms.IntegerField(label="New source: year", required=False)
    source_url = forms.URLField(
        label="New source: web address", required=False, max_length=600, assume_scheme="https"
    )
    heading = forms.CharField(max_length=500)
    learned = forms.CharField(
        label="What we have learned", widget=forms.Textarea, max_length=20_000
    )
    action = forms.CharField(
        label="What you should do", widget=forms.Textarea, required=False, max_length=20_000
    )
    polarity = forms.ChoiceField(
        label="Kind of learning",
        choices=Polarity.choices,
        widget=forms.RadioSelect,
        initial=Polarity.IMPROVEMENT,
    )
    age_band = forms.ChoiceField(
        label="Age of the child or adult",
        choices=[("", "Not stated")] + list(AgeBand.choices),
        required=False,
    )
    agencies = forms.MultipleChoiceField(
        label="Agencies it concerns",
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    published = forms.BooleanField(label="Published (practitioners can read it)", required=False)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources

    def clean_source_year(self):
        year = self.cleaned_data.get("source_year")
        if year is not None and not 1950 <= year <= 2100:
            raise ValidationError("Enter a year between 1950 and 2100.")
        return year

    def clean(self):
        data = super().clean()
        if not data.get("source"):
            for name, message in (
                ("source_title", "Enter the title of the new source, or choose a source."),
                ("source_kind", "Choose the kind of the new source."),
                ("source_review_type", "Choose the review type of the new source."),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data


# Thresholds of coverage an analyst can choose on the emerging-themes page (see
# reviewhub.themes.engine.emerging.coverage): lower finds fewer, clearer gaps.
COVERAGE_CHOICES = [
    ("0.4", "Only points no theme fits at all (below 0.4)"),
    ("0.5", "Points no theme fits well (below 0.5, the default)"),
    ("0.6", "Also points themes fit only partly (below 0.6)"),
]
MAX_FOLD_KEYWORDS = 20


class EmergingForm(forms.Form):
    """The threshold of the emerging-themes page; one it does not offer is an error."""

    coverage = forms.ChoiceField(
        choices=COVERAGE_CHOICES, required=False, label="Which points to group", initial="0.5"
    )

    def threshold(self) -> float | None:
        """The chosen threshold, or None (the engine's default) when none was chosen."""
        if self.is_valid() and self.cleaned_data["coverage"]:
            return float(self.cleaned_data["coverage"])
        return None


def _keyword_lines(value: str, most: int) -> list[str]:
    """Keywords one a line, spaces tidied; at most ``most`` of at most 100 characters."""
    lines = [" ".join(line.split()) for line in value.splitlines()]
    out = [line for line in lines if line]
    if len(out) > most:
        raise ValidationError(f"Give at most {most} keywords, one a line.")
    for line in out:
        if len(line) > 100:
            raise ValidationError(f"A keyword is at most 100 characters: “{line[:40]}…”.")
    return out


class FoldForm(forms.Form):
    """Fold an emerging theme into an existing theme: its terms become that theme's keywords."""

    theme = forms.ChoiceField(label="Existing theme")
    keywords = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        help_text="One word or phrase a line; those the theme lacks are added to its keywords.",
    )
    note = forms.CharField(
        label="Why are you making this change?",
        max_length=300,
        required=False,
        help_text="Kept with the new version of the taxonomy.",
    )

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {str(t.pk): t for t in themes if not t.retired}
        self.fields["theme"].choices = [("", "Choose a theme")] + [
            (pk, f"{t.label} ({t.get_axis_display().lower()})") for pk, t in self.themes.items()
        ]

    def clean_theme(self):
        return self.themes[self.cleaned_data["theme"]]  # ChoiceField has checked it is one

    def clean_keywords(self):
        out = _keyword_lines(self.cleaned_data["keywords"], most=MAX_FOLD_KEYWORDS)
        if not out:
            raise ValidationError("Give at least one keyword.")
        return out
