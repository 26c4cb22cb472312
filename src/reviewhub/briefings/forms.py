from django import forms

from reviewhub.accounts.models import Agency, Team

from .document import BriefingParseError, parse_text

REFLECTION_QUESTIONS = [
    ("thoughts", "What are your key thoughts and reflections?"),
    ("embedding", "How will the learning be embedded, and how will we know?"),
    ("plans", "How can it go into team or service plans?"),
]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Briefing file",
        help_text="A briefing in the usual format (TXT, Word or PDF): a background, then "
        "'Theme N: title' with 'What we have learned' and 'What you should do'.",
        error_messages={"required": "Choose a briefing file to import."},
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 20 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than the 20 MB limit.")
        return f


class EditForm(forms.Form):
    """The whole briefing as Markdown; it must parse back into the briefing structure."""

    text = forms.CharField(
        widget=forms.Textarea,
        max_length=500_000,
        label="Briefing text",
        help_text="Headings start with #: '# Title', '## Background', '## Theme 1: title', "
        "'### What we have learned', '### What you should do'. Bullets start with '- '.",
    )
    note = forms.CharField(max_length=300, required=False, label="What did you change?")

    def clean_text(self):
        text = self.cleaned_data["text"]
        try:
            self.document = parse_text(text, source="your text")
        except BriefingParseError as exc:
            raise forms.ValidationError(str(exc))
        return text


class PublishForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Send to the people of these agencies",
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Send to the members of these teams",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.filter(partnership=partnership)
        self.fields["teams"].queryset = Team.objects.filter(partnership=partnership)


class KeepForm(forms.Form):
    text = forms.CharField(max_length=500)
    kind = forms.CharField(max_length=30)
    reason = forms.CharField(
        max_length=500, error_messages={"required": "Give a reason for keeping this text."}
    )


class AcknowledgeForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have read this briefing and discussed it with my team",
        error_messages={"required": "Confirm that you have read and discussed the briefing."},
    )
    thoughts = forms.CharField(
        widget=forms.Textarea, required=False, max_length=2000, label=REFLECTION_QUESTIONS[0][1]
    )
    embedding = forms.CharField(
        widget=forms.Textarea, required=False, max_length=2000, label=REFLECTION_QUESTIONS[1][1]
    )
    plans = forms.CharField(
        widget=forms.Textarea, required=False, max_length=2000, label=REFLECTION_QUESTIONS[2][1]
    )


class BuildForm(forms.Form):
    """Scope for drafting a thematic briefing from the partnership's confirmed learning."""

    title = forms.CharField(
        max_length=300, required=False, help_text="Leave empty for a title from the period."
    )
    date_from = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    review_types = forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Review types (all if none)",
    )
    themes = forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Themes (all if none)",
    )
    sources = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Reviews and sources (all if none)",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        from reviewhub.learning.models import LearningSource

        self.fields["sources"].queryset = LearningSource.objects.filter(
            partnership=partnership
        ).order_by("-year", "title")
        from reviewhub.learning.choices import ReviewType
        from reviewhub.learning.models import Theme

        self.fields["review_types"].choices = ReviewType.choices
        self.fields["themes"].choices = [
            (t.theme_id, t.label)
            for t in Theme.objects.filter(
                taxonomy__partnership=partnership, retired=False
            ).order_by("axis", "display_order")
        ]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end of the period must be on or after its start.")
        return data


class SevenMinuteForm(forms.Form):
    review = forms.ModelChoiceField(queryset=None, label="Review")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from reviewhub.cases.models import Review

        self.fields["review"].queryset = Review.objects.restrict(user, "view")
