"""Forms for browsing, coding, the taxonomy and coding exercises."""

from django import forms
from django.core.exceptions import ValidationError

from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import User

from .choices import Axis, Polarity, ReviewType, Sector
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
        lines = [line.strip() for line in self.cleaned_data["keywords"].splitlines()]
        return [line for line in lines if line]


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
