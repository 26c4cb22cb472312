"""Forms for opening a case and for each statutory step; invariants live in Model.clean()."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import Q

from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import Agency, User

from .choices import (
    OUTCOMES_BY_KIND,
    AbuseCategory,
    CaseKind,
    Outcome,
    Partner,
    ReviewType,
    Stage,
)
from .models import (
    MAX_AGE_YEARS,
    AgencySummary,
    Case,
    CaseAgency,
    Child,
    Decision,
    LiaisonEntry,
    Notification,
    PartnerSignOff,
    ProceedingsHold,
    Publication,
    RapidReview,
    Review,
    ReviewExtension,
    methodology_choices,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _iso_date(value):
    """Show a stored date as YYYY-MM-DD: a date input shows nothing for "4 March 2024"."""
    return value.isoformat() if isinstance(value, date) else value


def _dates_as_date_inputs(form):
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()
            field.error_messages["invalid"] = "Enter a real date in the form YYYY-MM-DD."
            # The shared field template prints the raw value: give it the date input's format
            # (needed when a form edits a record that already holds dates).
            field.prepare_value = _iso_date


def abuse_category_field():
    return forms.MultipleChoiceField(
        label="Abuse categories",
        choices=AbuseCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply (known or suspected).",
        error_messages={"invalid_choice": "Choose abuse categories from the list."},
    )


class CaseForm(forms.ModelForm):
    """Open a case: the incident (or referral) and the agencies involved."""

    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Partner leads of these agencies can read the case.",
    )
    abuse_categories = abuse_category_field()

    class Meta:
        model = Case
        fields = ["kind", "title", "nature", "incident_date", "awareness_date", "others_involved"]

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self.fields["agencies"].queryset = Agency.objects.filter(
            partnership=partnership, is_active=True
        )
        self.fields["title"].error_messages["required"] = "Enter a short pseudonymised title."
        _dates_as_date_inputs(self)

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Enter a short pseudonymised title.")
        return title


class CaseEditForm(CaseForm):
    """Change a case's basic details after it is opened (not its kind: the route stays)."""

    class Meta:
        model = Case
        fields = ["title", "nature", "incident_date", "awareness_date", "others_involved"]

    def __init__(self, *args, instance, **kwargs):
        super().__init__(*args, instance=instance, partnership=instance.partnership, **kwargs)
        # An agency made inactive since stays offered while it is linked, so saving keeps it.
        self.fields["agencies"].queryset = Agency.objects.filter(
            Q(is_active=True) | Q(case_links__case=instance), partnership=instance.partnership
        ).distinct()
        if not self.is_bound:
            self.initial["agencies"] = [link.agency_id for link in instance.case_agencies.all()]
            self.initial["abuse_categories"] = [
                tag.category for tag in instance.abuse_categories.all()
            ]

    def _post_clean(self):
        # Validate a copy: the form must not change the case in memory before the service runs
        # (the service validates again, against the case as stored).
        original = {name: getattr(self.instance, name) for name in self._meta.fields}
        try:
            super()._post_clean()
        finally:
            for name, value in original.items():
                setattr(self.instance, name, value)


class StepForm(forms.ModelForm):
    """A form for one action: built on the action's unsaved record."""

    required_fields: tuple[str, ...] = ()

    def __init__(self, *args, action, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)
        for name in self.required_fields:
            self.fields[name].required = True
        _dates_as_date_inputs(self)


class ChildForm(StepForm):
    age_years = forms.IntegerField(
        label="Age at incident (years)",
        required=False,
        min_value=0,
        max_value=MAX_AGE_YEARS,
        help_text="0 to 24 (care leavers up to and including 24). Leave blank if not known.",
        error_messages={
            "min_value": "An age cannot be negative: enter 0 to 24 years.",
            "max_value": "Enter an age from 0 to 24 years (care leavers up to 24).",
            "invalid": "Enter the age as a whole number of years.",
        },
    )
    age_months = forms.IntegerField(
        label="Age in months (under 1 year)",
        required=False,
        min_value=0,
        max_value=11,
        error_messages={
            "min_value": "Enter months from 0 to 11.",
            "max_value": "Enter months from 0 to 11, or the age in years.",
            "invalid": "Enter the months as a whole number.",
        },
    )

    class Meta:
        model = Child
        fields = [
            "label",
            "unborn",
            "age_years",
            "age_months",
            "sex",
            "ethnicity",
            "disability",
            "looked_after",
            "plan",
            "known_to_agencies",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = set(self.action.case.children.values_list("label", flat=True))
        if not self.is_bound:
            for letter in "ABCD":
                if f"Child {letter}" not in taken:
                    self.initial.setdefault("label", f"Child {letter}")
                    break

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if self.action.case.children.filter(label__iexact=label).exists():
            raise forms.ValidationError(f"This case already has {label}: choose another label.")
        return label


class InvolveAgencyForm(StepForm):
    class Meta:
        model = CaseAgency
        fields = ["agency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.action.case
        self.fields["agency"].queryset = Agency.objects.filter(
            partnership=case.partnership
        ).exclude(case_links__case=case)


class NotificationForm(StepForm):
    class Meta:
        model = Notification
        fields = [
            "notified_on",
            "notifier",
            "notifier_agency",
            "abuse_suspected",
            "incident_place",
            "looked_after_death",
            "care_leaver_death",
            "under_s16c",
        ]
        widgets = {"incident_place": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notifier_agency"].queryset = Agency.objects.filter(
            partnership=self.action.case.partnership
        )


class CriteriaNotMetForm(StepForm):
    required_fields = ("criteria_not_met_on", "criteria_not_met_reason")

    class Meta:
        model = Notification
        fields = ["criteria_not_met_on", "criteria_not_met_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria_not_met_on"].error_messages["required"] = (
            "Enter the date the criteria were recorded as not met."
        )
        self.fields["criteria_not_met_reason"].error_messages["required"] = (
            "Give the reason the rapid review criteria are not met."
        )

    def clean_criteria_not_met_reason(self):
        reason = self.cleaned_data["criteria_not_met_reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason the rapid review criteria are not met.")
        return reason


class RapidReviewStartForm(StepForm):
    class Meta:
        model = RapidReview
        fields = ["started_on"]


class AgencySummaryForm(StepForm):
    class Meta:
        model = AgencySummary
        fields = ["agency", "requested_on", "received_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            partnership=self.action.case.partnership
        )

    def validate_unique(self):
        # A second entry for the same agency updates the first (see the action).
        return None


class RapidReviewOutcomeForm(StepForm):
    required_fields = ("summary_outcome", "completed_on")

    class Meta:
        model = RapidReview
        fields = [
            "meeting_date",
            "immediate_learning",
            "actions_taken",
            "summary_outcome",
            "completed_on",
            "sent_to_panel_on",
        ]


class DecisionForm(StepForm):
    class Meta:
        model = Decision
        fields = [
            "outcome",
            "decided_on",
            "criterion_a",
            "criterion_b",
            "criterion_c",
            "criterion_d",
            "reasons",
        ]
        widgets = {"outcome": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = OUTCOMES_BY_KIND[self.action.case.kind]
        self.fields["outcome"].choices = [c for c in Outcome.choices if c[0] in allowed]
        self.fields["outcome"].error_messages["required"] = "Choose the outcome."
        self.fields["reasons"].error_messages["required"] = "Give the reasons for the decision."
        if self.action.case.kind != CaseKind.CHILD:
            for letter in "abcd":
                del self.fields[f"criterion_{letter}"]


class SignOffForm(StepForm):
    class Meta:
        model = PartnerSignOff
        fields = ["partner", "signed_by", "signed_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        decision = self.action.case.decision_or_none
        signed = {s.partner for s in decision.sign_offs.all()} if decision else set()
        allowed = set(self.action.allowed_partners()) - signed
        self.fields["partner"].choices = [c for c in Partner.choices if c[0] in allowed]
        self.fields["partner"].error_messages["required"] = "Choose the partner signing off."


class PanelResponseForm(StepForm):
    required_fields = ("panel_response", "panel_response_on")

    class Meta:
        model = Decision
        fields = ["panel_response", "panel_response_on"]


class ReviewForm(StepForm):
    class Meta:
        model = Review
        fields = [
            "title",
            "methodology",
            "lead_reviewer",
            "terms_of_reference",
            "family_offered",
            "family_taken_up",
            "started_on",
            "target_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.action.case
        self.fields["methodology"] = forms.ChoiceField(
            choices=[("", "Choose a methodology"), *methodology_choices()],
            error_messages={"required": "Choose a methodology."},
        )
        self.fields["lead_reviewer"].queryset = User.objects.filter(
            memberships__partnership=case.partnership,
            memberships__role=Role.REVIEWER,
            is_active=True,
        ).distinct()
        decision = case.decision_or_none
        if decision and not self.is_bound:
            self.initial.setdefault("title", f"{case.reference} {case.title}")
            if decision.review_type == ReviewType.LCSPR:
                self.initial.setdefault("target_on", decision.decided_on + relativedelta(months=6))


class ExtensionForm(StepForm):
    class Meta:
        model = ReviewExtension
        fields = ["agreed_on", "new_target_on", "reason"]


class ReviewCompleteForm(StepForm):
    required_fields = ("completed_on",)

    class Meta:
        model = Review
        fields = ["completed_on"]


class HoldForm(StepForm):
    class Meta:
        model = ProceedingsHold
        fields = ["started_on", "review_on", "reason"]


class LiaisonForm(StepForm):
    class Meta:
        model = LiaisonEntry
        fields = ["contacted_on", "with_whom", "note"]


class HoldLiftForm(StepForm):
    required_fields = ("lifted_on",)

    class Meta:
        model = ProceedingsHold
        fields = ["lifted_on"]


class PublicationForm(StepForm):
    address = forms.URLField(
        label="Web address",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the full web address, e.g. https://example.org/report"},
    )

    class Meta:
        model = Publication
        fields = [
            "mode",
            "reason",
            "notice_sent_on",
            "planned_on",
            "published_on",
            "address",
            "remove_after",
        ]
        widgets = {"mode": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].error_messages["required"] = "Choose how the report is published."


class CloseForm(StepForm):
    required_fields = ("closed_on",)

    class Meta:
        model = Case
        fields = ["closed_on"]


STEP_FORMS = {
    "child": ChildForm,
    "agency": InvolveAgencyForm,
    "notify": NotificationForm,
    "rapid-review": RapidReviewStartForm,
    "criteria-not-met": CriteriaNotMetForm,
    "agency-summary": AgencySummaryForm,
    "rapid-review-outcome": RapidReviewOutcomeForm,
    "decision": DecisionForm,
    "sign-off": SignOffForm,
    "panel-response": PanelResponseForm,
    "review": ReviewForm,
    "extension": ExtensionForm,
    "review-complete": ReviewCompleteForm,
    "hold": HoldForm,
    "liaison": LiaisonForm,
    "hold-lift": HoldLiftForm,
    "publication": PublicationForm,
    "close": CloseForm,
}


class RegisterFilterForm(forms.Form):
    """Filters for the case register (GET)."""

    stage = forms.ChoiceField(choices=[("", "Any stage"), *Stage.choices], required=False)
    review_type = forms.ChoiceField(
        choices=[("", "Any review type"), *ReviewType.choices], required=False
    )
    year = forms.IntegerField(
        required=False,
        min_value=1990,
        max_value=2100,
        error_messages={
            "invalid": "Enter a year, e.g. 2024.",
            "min_value": "Enter a year from 1990.",
            "max_value": "Enter a year up to 2100.",
        },
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), required=False, empty_label="Any agency"
    )
    abuse_category = forms.ChoiceField(
        choices=[("", "Any abuse category"), *AbuseCategory.choices], required=False
    )
    overdue = forms.BooleanField(label="Only cases with an overdue clock", required=False)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership)
