"""Forms for actions: each rejects bad input with a message on the field."""

from django import forms
from django.core.exceptions import ValidationError

from reviewhub.accounts.models import Agency

from .choices import EDITABLE_STATUSES, ActionStatus, EvidenceKind, RagOverride
from .rag import RAG_LABELS, RAG_ORDER

MAX_ATTACHMENT = 20 * 1024 * 1024

STATUS_CHOICES = [(s.value, s.label) for s in ActionStatus if s in EDITABLE_STATUSES]


class ActionForm(forms.Form):
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea, required=False)
    lead_agency = forms.ModelChoiceField(queryset=Agency.objects.none())
    lead_officer = forms.CharField(max_length=200, required=False)
    target_date = forms.DateField(
        required=False, help_text="For example, 2025-03-31.", input_formats=["%Y-%m-%d"]
    )
    status = forms.ChoiceField(choices=STATUS_CHOICES)
    progress_percent = forms.IntegerField(
        label="Progress (%)", min_value=0, max_value=100, initial=0
    )
    agency_response = forms.CharField(widget=forms.Textarea, required=False)
    rag_override = forms.ChoiceField(
        label="Set the RAG status by hand",
        choices=[("", "No: derive it from the dates and progress"), *RagOverride.choices],
        required=False,
    )
    rag_override_reason = forms.CharField(
        label="Reason for setting the RAG status by hand", widget=forms.Textarea, required=False
    )

    def __init__(self, *args, partnership, status_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = Agency.objects.filter(
            partnership=partnership, is_active=True
        )
        if status_fixed:
            # Complete or reopened actions change status only through sign-off and reopening.
            del self.fields["status"]

    def clean(self):
        data = super().clean()
        if data.get("rag_override") and not (data.get("rag_override_reason") or "").strip():
            self.add_error(
                "rag_override_reason", "Give a reason for setting the RAG status by hand."
            )
        return data


class EditActionForm(ActionForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MilestoneForm(forms.Form):
    title = forms.CharField(max_length=300)
    due_date = forms.DateField(help_text="For example, 2025-01-31.", input_formats=["%Y-%m-%d"])


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(choices=EvidenceKind.choices)
    summary = forms.CharField(
        widget=forms.Textarea, help_text="What changed, and how you know (figures, dates)."
    )
    attachment = forms.FileField(
        required=False, help_text="Optional: a PDF, Word (.docx) or text file, up to 20 MB."
    )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and upload.size > MAX_ATTACHMENT:
            raise ValidationError("The file is larger than 20 MB.")
        return upload


class CompleteForm(forms.Form):
    completed_on = forms.DateField(
        required=False, help_text="Leave empty for today.", input_formats=["%Y-%m-%d"]
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReopenForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea, label="Why reopen the action?")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActionFilterForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False)
    rag = forms.ChoiceField(
        label="RAG status",
        choices=[("", "Any"), *[(r, RAG_LABELS[r]) for r in RAG_ORDER]],
        required=False,
    )
    open_only = forms.BooleanField(label="Open actions only", required=False)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership)


class RecommendationForm(forms.Form):
    """Record a recommendation of a review (or of an adopted national review or audit)."""

    source = forms.ModelChoiceField(
        queryset=None,
        label="Review or source",
        help_text="The review that made it, or the national review or audit adopted.",
    )
    reference = forms.CharField(max_length=40, required=False, help_text="For example 'R3'.")
    text = forms.CharField(widget=forms.Textarea, max_length=5000, label="Recommendation")
    scope = forms.ChoiceField(choices=())
    learning_points = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Learning points it answers",
    )

    def __init__(self, *args, partnership, user, **kwargs):
        super().__init__(*args, **kwargs)
        from reviewhub.learning.choices import RecommendationScope
        from reviewhub.learning.models import LearningPoint, LearningSource

        self.fields["source"].queryset = LearningSource.objects.filter(partnership=partnership)
        self.fields["scope"].choices = RecommendationScope.choices
        self.fields["learning_points"].queryset = LearningPoint.objects.restrict(
            user, "view"
        ).filter(partnership=partnership)
