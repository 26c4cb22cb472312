"""The case register: incident, children, notification, rapid review, decision, review,
publication and criminal-proceedings holds.

Stages and clocks are derived from which records exist and the dates they hold; nothing derived
is stored. Every read goes through ``access_rule`` (see ``reviewhub.accounts.access``).
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from reviewhub.accounts.access import Action, RestrictedQuerySet, agency_ids, in_partnerships
from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import Agency, Partnership

from .choices import (
    OUTCOMES_BY_KIND,
    REVIEW_TYPE_FOR_OUTCOME,
    AbuseCategory,
    CaseKind,
    Ethnicity,
    IncidentPlace,
    Nature,
    Outcome,
    Partner,
    Plan,
    PublicationMode,
    ReviewType,
    Sex,
    Stage,
    YesNoUnknown,
)

MAX_CHILDREN = 4
MAX_AGE_YEARS = 24  # care leavers are notified up to and including 24
STAFF_ROLES = (Role.BUSINESS_UNIT, Role.ADMINISTRATOR)
AGENCY_ROLES = (Role.PARTNER_LEAD, Role.ANALYST)


def _not_future(value: date | None, field: str, errors: dict) -> None:
    if value is not None and value > timezone.localdate():
        errors.setdefault(field, []).append("The date cannot be in the future.")


def _not_before(
    later: date | None, earlier: date | None, field: str, message: str, errors: dict
) -> None:
    if later is not None and earlier is not None and later < earlier:
        errors.setdefault(field, []).append(message)


def case_rule(user, action: str, prefix: str = "") -> Q | None:
    """Who sees what, for a case (``prefix=""``) or a record reached through ``prefix``.

    Business unit and administrators: every case of their partnerships. Partner leads and other
    agency users: cases their agency is involved in. Reviewers: cases of reviews they lead.
    Practitioners and national analysts: no case records. Only the business unit and
    administrators change case records (partner leads sign off through their own action).
    """
    from reviewhub.accounts.access import any_of

    staff = in_partnerships(user, STAFF_ROLES, field=f"{prefix}partnership")
    if action != Action.VIEW:
        return staff
    parts = [staff]
    agency_scope = in_partnerships(user, AGENCY_ROLES, field=f"{prefix}partnership")
    agencies = agency_ids(user)
    if agency_scope is not None and agencies:
        involved = CaseAgency.objects.filter(agency_id__in=agencies).values("case_id")
        parts.append(agency_scope & Q(**{f"{prefix}pk__in" if prefix else "pk__in": involved}))
    reviewer_scope = in_partnerships(user, (Role.REVIEWER,), field=f"{prefix}partnership")
    if reviewer_scope is not None:
        led = Review.objects.filter(lead_reviewer=user).values("case_id")
        parts.append(reviewer_scope & Q(**{f"{prefix}pk__in" if prefix else "pk__in": led}))
    return any_of(*parts)


class Case(models.Model):
    """One incident (or SAR referral, or legacy SCR) and everything that follows from it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=30)
    kind = models.CharField(max_length=20, choices=CaseKind.choices, default=CaseKind.CHILD)
    title = models.CharField(
        max_length=120,
        help_text="A short pseudonymised label, e.g. 'Child A, 2024'. No names.",
    )
    nature = models.CharField(max_length=20, choices=Nature.choices, default=Nature.SERIOUS_HARM)
    incident_date = models.DateField(null=True, blank=True)
    awareness_date = models.DateField(
        "date the local authority became aware",
        null=True,
        blank=True,
        help_text="For an adult referral, the date the board received the referral.",
    )
    others_involved = models.TextField(
        "others involved",
        blank=True,
        help_text="Free text for anyone beyond the four children a notification can list.",
    )
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-awareness_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="case_unique_ref")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:detail", kwargs={"pk": self.pk})

    @classmethod
    def access_rule(cls, user, action: str) -> Q | None:
        return case_rule(user, action)

    def clean(self) -> None:
        errors: dict = {}
        _not_future(self.incident_date, "incident_date", errors)
        _not_future(self.awareness_date, "awareness_date", errors)
        _not_future(self.closed_on, "closed_on", errors)
        _not_before(
            self.awareness_date,
            self.incident_date,
            "awareness_date",
            "The date the local authority became aware cannot be before the incident date.",
            errors,
        )
        if self.kind == CaseKind.CHILD and self.awareness_date is None:
            errors.setdefault("awareness_date", []).append(
                "Enter the date the local authority became aware: the notification clock "
                "starts from it."
            )
        notification = self.notification_or_none if self.pk else None
        if notification is not None:
            _not_before(
                notification.notified_on,
                self.awareness_date,
                "awareness_date",
                "The date the local authority became aware cannot be after the notification "
                f"({notification.notified_on:%d %B %Y}).",
                errors,
            )
            if self.nature != Nature.DEATH and (
                notification.looked_after_death or notification.care_leaver_death
            ):
                errors.setdefault("nature", []).append(
                    "The notification records a looked-after child's or care leaver's death: "
                    "the nature must stay 'Child death'."
                )
        if errors:
            raise ValidationError(errors)

    # Records that may not exist yet, without raising.
    def _one(self, name):
        # An unsaved record built for a form (which Django caches on the case) does not count.
        try:
            found = getattr(self, name)
        except models.ObjectDoesNotExist:
            return None
        return found if found.pk is not None else None

    @property
    def notification_or_none(self):
        return self._one("notification")

    @property
    def rapid_review_or_none(self):
        return self._one("rapid_review")

    @property
    def decision_or_none(self):
        return self._one("decision")

    @property
    def review_or_none(self):
        return self._one("review")

    @property
    def stage(self) -> str:
        """Work out the stage from which records exist."""
        if self.closed_on:
            return Stage.CLOSED
        review = self.review_or_none
        if review is not None:
            publication = review.publication_or_none
            if publication is not None and publication.is_settled:
                return Stage.PUBLISHED
            return Stage.PUBLICATION if review.completed_on else Stage.REVIEW
        if self.decision_or_none is not None:
            return Stage.DECIDED
        if self.kind != CaseKind.CHILD:
            return Stage.DECISION
        rapid = self.rapid_review_or_none
        if rapid is not None and rapid.outcome_recorded:
            return Stage.DECISION
        notification = self.notification_or_none
        if notification is not None:
            if rapid is None and notification.criteria_not_met:
                return Stage.RR_NOT_REQUIRED
            return Stage.RAPID_REVIEW
        return Stage.NOTIFICATION

    def get_stage_display(self) -> str:
        return Stage(self.stage).label


class CaseAgency(models.Model):
    """An agency involved in a case; partner leads of that agency may read the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="case_links")

    class Meta:
        ordering = ["agency__name"]
        verbose_name_plural = "case agencies"
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="case_agency_unique")
        ]

    def __str__(self) -> str:
        return str(self.agency)

    def clean(self) -> None:
        if (
            self.agency_id
            and self.case_id
            and self.agency.partnership_id != self.case.partnership_id
        ):
            raise ValidationError({"agency": "The agency belongs to another partnership."})


class CaseAbuseCategory(models.Model):
    """One abuse category tagged on a case (multi-select; not a DfE field)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="abuse_categories")
    category = models.CharField(max_length=20, choices=AbuseCategory.choices)

    class Meta:
        ordering = ["category"]
        verbose_name_plural = "case abuse categories"
        constraints = [
            models.UniqueConstraint(fields=["case", "category"], name="case_abuse_unique")
        ]

    def __str__(self) -> str:
        return self.get_category_display()


def _abuse_labels(case: Case) -> list[str]:
    order = list(AbuseCategory.values)
    found = sorted((c.category for c in case.abuse_categories.all()), key=order.index)
    return [AbuseCategory(c).label for c in found]


Case.abuse_category_labels = property(_abuse_labels)


class Child(models.Model):
    """One child of a notification, pseudonymised ("Child A"); characteristics at notification."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    label = models.CharField(max_length=30, help_text="Pseudonym, e.g. Child A. Never a name.")
    unborn = models.BooleanField("unborn at the time of the incident", default=False)
    age_years = models.PositiveSmallIntegerField(
        "age at incident (years)",
        null=True,
        blank=True,
        help_text="0 to 24 (care leavers up to and including 24). Leave blank if not known.",
    )
    age_months = models.PositiveSmallIntegerField(
        "age in months (under 1 year)",
        null=True,
        blank=True,
        help_text="For a baby under one year old: 0 to 11.",
    )
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.NOT_KNOWN)
    ethnicity = models.CharField(
        max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN
    )
    disability = models.CharField(
        max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.NOT_KNOWN
    )
    looked_after = models.BooleanField("looked after", default=False)
    plan = models.CharField(
        "child protection or child in need plan",
        max_length=10,
        choices=Plan.choices,
        default=Plan.NOT_KNOWN,
    )
    known_to_agencies = models.CharField(
        max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.NOT_KNOWN
    )

    class Meta:
        ordering = ["label"]
        verbose_name_plural = "children"
        constraints = [models.UniqueConstraint(fields=["case", "label"], name="child_unique_label")]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        errors: dict = {}
        if self.age_years is not None and not 0 <= self.age_years <= MAX_AGE_YEARS:
            errors["age_years"] = [
                f"Enter an age from 0 to {MAX_AGE_YEARS} years (care leavers up to 24)."
            ]
        if self.age_months is not None:
            if not 0 <= self.age_months <= 11:
                errors["age_months"] = ["Enter months from 0 to 11, or the age in years."]
            elif self.age_years not in (None, 0):
                errors["age_months"] = ["Give months only for a baby under one year old."]
        if self.unborn and (self.age_years is not None or self.age_months is not None):
            errors["unborn"] = ["An unborn child has no age: clear the age fields."]
        if errors:
            raise ValidationError(errors)

    @property
    def age_display(self) -> str:
        if self.unborn:
            return "Unborn"
        if self.age_years in (None, 0) and self.age_months is not None:
            return f"{self.age_months} months"
        if self.age_years is None:
            return "Not known"
        return f"{self.age_years} years" if self.age_years != 1 else "1 year"


class Notification(models.Model):
    """The serious incident notification to the Panel (Children Act 2004 s16C)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="notification")
    notified_on = models.DateField("date notified to the Panel")
    notifier = models.CharField(max_length=200, help_text="Name and role of the notifier.")
    notifier_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The s16C eligibility facts (see eligibility.py for the answer they give).
    under_s16c = models.BooleanField(
        "notified to the Panel under s16C",
        default=True,
        help_text="Untick for a looked-after child or care leaver death notified without "
        "abuse or neglect known or suspected.",
    )
    abuse_suspected = models.BooleanField(
        "abuse or neglect known or suspected",
        default=True,
        help_text="Untick if the local authority neither knows nor suspects abuse or neglect.",
    )
    incident_place = models.CharField(
        "where the child died or was harmed",
        max_length=20,
        choices=IncidentPlace.choices,
        default=IncidentPlace.IN_AREA,
    )
    looked_after_death = models.BooleanField(
        "a looked-after child died",
        default=False,
        help_text="Notify the Secretary of State and Ofsted whether or not abuse is suspected.",
    )
    care_leaver_death = models.BooleanField(
        "a care leaver (up to and including age 24) died",
        default=False,
    )
    # "Criteria not met": no rapid review is required (domain.md §10 item 3).
    criteria_not_met_on = models.DateField(
        "date the criteria were recorded as not met", null=True, blank=True
    )
    criteria_not_met_reason = models.TextField(
        "why the rapid review criteria are not met", blank=True
    )
    criteria_not_met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Notification {self.notified_on}"

    @property
    def criteria_not_met(self) -> bool:
        return self.criteria_not_met_on is not None

    def clean(self) -> None:
        errors: dict = {}
        _not_future(self.notified_on, "notified_on", errors)
        _not_future(self.criteria_not_met_on, "criteria_not_met_on", errors)
        if self.case_id:
            _not_before(
                self.notified_on,
                self.case.awareness_date,
                "notified_on",
                "The notification date cannot be before the local authority became aware.",
                errors,
            )
            if (self.looked_after_death or self.care_leaver_death) and (
                self.case.nature != Nature.DEATH
            ):
                field = "looked_after_death" if self.looked_after_death else "care_leaver_death"
                errors.setdefault(field, []).append(
                    "The case's nature is not 'Child death': change the case's nature first, "
                    "or untick this."
                )
        if self.under_s16c and not self.abuse_suspected:
            errors.setdefault("under_s16c", []).append(
                "A notification under s16C needs abuse or neglect known or suspected: tick "
                "that, or untick s16C for a looked-after child or care leaver death notified "
                "without it."
            )
        if (
            not self.under_s16c
            and not self.abuse_suspected
            and not (self.looked_after_death or self.care_leaver_death)
        ):
            errors.setdefault("under_s16c", []).append(
                "Without abuse or neglect known or suspected there is nothing to notify, "
                "unless a looked-after child or care leaver died."
            )
        _not_before(
            self.criteria_not_met_on,
            self.notified_on,
            "criteria_not_met_on",
            "The criteria cannot be recorded as not met before the notification.",
            errors,
        )
        if self.criteria_not_met_on and not (self.criteria_not_met_reason or "").strip():
            errors.setdefault("criteria_not_met_reason", []).append(
                "Give the reason the rapid review criteria are not met."
            )
        if (self.criteria_not_met_reason or "").strip() and not self.criteria_not_met_on:
            errors.setdefault("criteria_not_met_on", []).append(
                "Enter the date the criteria were recorded as not met."
            )
        if errors:
            raise ValidationError(errors)


class RapidReview(models.Model):
    """The rapid review: agency summaries, meeting, immediate learning and its outcome."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rapid_review")
    started_on = models.DateField("date the rapid review started")
    meeting_date = models.DateField(null=True, blank=True)
    immediate_learning = models.TextField(blank=True)
    actions_taken = models.TextField("immediate actions taken", blank=True)
    summary_outcome = models.TextField("summary and outcome", blank=True)
    completed_on = models.DateField(
        "date the summary and outcome was agreed",
        null=True,
        blank=True,
        help_text="Stops the 15-working-day clock.",
    )
    sent_to_panel_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Rapid review {self.started_on}"

    @property
    def outcome_recorded(self) -> bool:
        return bool(self.completed_on and self.summary_outcome.strip())

    def clean(self) -> None:
        errors: dict = {}
        for field in ("started_on", "meeting_date", "completed_on", "sent_to_panel_on"):
            _not_future(getattr(self, field), field, errors)
        notification = self.case.notification_or_none if self.case_id else None
        if notification is not None:
            _not_before(
                self.started_on,
                notification.notified_on,
                "started_on",
                "The rapid review cannot start before the notification.",
                errors,
            )
        _not_before(
            self.meeting_date,
            self.started_on,
            "meeting_date",
            "The meeting cannot be before the rapid review started.",
            errors,
        )
        _not_before(
            self.completed_on,
            self.started_on,
            "completed_on",
            "The outcome cannot be agreed before the rapid review started.",
            errors,
        )
        _not_before(
            self.sent_to_panel_on,
            self.completed_on,
            "sent_to_panel_on",
            "The review cannot go to the Panel before its outcome was agreed.",
            errors,
        )
        if self.completed_on and not self.summary_outcome.strip():
            errors.setdefault("summary_outcome", []).append(
                "Enter the summary and outcome agreed by the partners."
            )
        if errors:
            raise ValidationError(errors)


class AgencySummary(models.Model):
    """One agency's summary for a rapid review: when it was asked for and when it came in."""

    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.CASCADE, related_name="agency_summaries"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name"]
        verbose_name_plural = "agency summaries"
        constraints = [
            models.UniqueConstraint(fields=["rapid_review", "agency"], name="agency_summary_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} summary"

    def clean(self) -> None:
        errors: dict = {}
        _not_future(self.requested_on, "requested_on", errors)
        _not_future(self.received_on, "received_on", errors)
        _not_before(
            self.received_on,
            self.requested_on,
            "received_on",
            "The summary cannot be received before it was requested.",
            errors,
        )
        if (
            self.agency_id
            and self.rapid_review_id
            and self.agency.partnership_id != self.rapid_review.case.partnership_id
        ):
            errors.setdefault("agency", []).append("The agency belongs to another partnership.")
        if errors:
            raise ValidationError(errors)


class Decision(models.Model):
    """The decision after the rapid review (reg 11 criteria), or on a SAR referral."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    decided_on = models.DateField("date of the decision")
    criterion_a = models.BooleanField("(a) highlights improvements needed", default=False)
    criterion_b = models.BooleanField("(b) highlights recurrent themes", default=False)
    criterion_c = models.BooleanField(
        "(c) concerns two or more agencies working together", default=False
    )
    criterion_d = models.BooleanField(
        "(d) the Panel considers a local review more suitable", default=False
    )
    reasons = models.TextField(help_text="Why: the reasons for each criterion ticked, or none.")
    panel_response = models.TextField("the Panel's response", blank=True)
    panel_response_on = models.DateField("date of the Panel's response", null=True, blank=True)

    def __str__(self) -> str:
        return self.get_outcome_display()

    @property
    def criteria(self) -> list[str]:
        return [c for c in "abcd" if getattr(self, f"criterion_{c}")]

    @property
    def review_type(self) -> str | None:
        return REVIEW_TYPE_FOR_OUTCOME.get(self.outcome)

    @property
    def needs_sign_off(self) -> bool:
        return self.case.kind == CaseKind.CHILD

    def missing_partners(self) -> list[str]:
        signed = {s.partner for s in self.sign_offs.all()}
        return [p.label for p in Partner if p.value not in signed]

    def clean(self) -> None:
        errors: dict = {}
        _not_future(self.decided_on, "decided_on", errors)
        _not_future(self.panel_response_on, "panel_response_on", errors)
        _not_before(
            self.panel_response_on,
            self.decided_on,
            "panel_response_on",
            "The Panel cannot respond before the decision.",
            errors,
        )
        if self.case_id:
            allowed = OUTCOMES_BY_KIND.get(self.case.kind, set())
            if self.outcome and self.outcome not in allowed:
                errors.setdefault("outcome", []).append(
                    f"That outcome is not available for a {self.case.get_kind_display()} case."
                )
            rapid = self.case.rapid_review_or_none
            if rapid is not None and rapid.completed_on:
                _not_before(
                    self.decided_on,
                    rapid.completed_on,
                    "decided_on",
                    "The decision cannot be before the rapid review's outcome was agreed.",
                    errors,
                )
            is_lcspr = self.case.kind == CaseKind.CHILD and self.outcome == Outcome.LCSPR
            if is_lcspr and not self.criteria:
                errors.setdefault("criterion_a", []).append(
                    "An LCSPR needs at least one regulation 11 criterion ticked."
                )
        if self.panel_response.strip() and not self.panel_response_on:
            errors.setdefault("panel_response_on", []).append(
                "Enter the date of the Panel's response."
            )
        if errors:
            raise ValidationError(errors)


class PartnerSignOff(models.Model):
    """One safeguarding partner's sign-off of the decision."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="sign_offs")
    partner = models.CharField(max_length=10, choices=Partner.choices)
    signed_by = models.CharField(max_length=200, help_text="Name and role of who signed off.")
    signed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["partner"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "partner"], name="sign_off_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_partner_display()} signed {self.signed_on}"

    def clean(self) -> None:
        errors: dict = {}
        _not_future(self.signed_on, "signed_on", errors)
        if self.decision_id:
            _not_before(
                self.signed_on,
                self.decision.decided_on,
                "signed_on",
                "A partner cannot sign off before the decision date.",
                errors,
            )
        if errors:
            raise ValidationError(errors)


def methodology_choices() -> list[tuple[str, str]]:
    from .choices import DEFAULT_METHODOLOGIES

    names = settings.REVIEWHUB.get("REVIEW_METHODOLOGIES") or DEFAULT_METHODOLOGIES
    return [(n, n) for n in names]


class Review(models.Model):
    """The review a decision led to: LCSPR, national, local learning, legacy SCR or SAR."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="review")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="reviews")
    review_type = models.CharField(max_length=20, choices=ReviewType.choices)
    title = models.CharField(max_length=200)
    methodology = models.CharField(max_length=100)
    lead_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_reviews",
    )
    terms_of_reference = models.TextField(blank=True)
    family_offered = models.BooleanField("family involvement offered", default=False)
    family_taken_up = models.BooleanField("family involvement taken up", default=False)
    started_on = models.DateField()
    target_on = models.DateField("target completion date")
    completed_on = models.DateField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.case_id and not self.partnership_id:
            self.partnership_id = self.case.partnership_id
        super().save(*args, **kwargs)

    @classmethod
    def access_rule(cls, user, action: str) -> Q | None:
        """Case staff see every review of their partnership; reviewers only those they lead;
        agency users those of cases their agency is involved in."""
        return case_rule(user, action, prefix="case__")

    @property
    def publication_or_none(self):
        try:
            found = self.publication
        except models.ObjectDoesNotExist:
            return None
        return found if found.pk is not None else None

    @property
    def active_hold(self):
        return next((h for h in self.holds.all() if h.lifted_on is None), None)

    def clean(self) -> None:
        errors: dict = {}
        _not_future(self.started_on, "started_on", errors)
        _not_future(self.completed_on, "completed_on", errors)
        _not_before(
            self.completed_on,
            self.started_on,
            "completed_on",
            "The completion date cannot be before the start date.",
            errors,
        )
        _not_before(
            self.target_on,
            self.started_on,
            "target_on",
            "The target date cannot be before the start date.",
            errors,
        )
        if self.case_id and self.partnership_id and self.partnership_id != self.case.partnership_id:
            errors.setdefault("partnership", []).append(
                "The review belongs to its case's partnership."
            )
        if self.family_taken_up and not self.family_offered:
            errors.setdefault("family_taken_up", []).append(
                "Family involvement can only be taken up once it has been offered."
            )
        decision = self.case.decision_or_none if self.case_id else None
        if decision is not None:
            _not_before(
                self.started_on,
                decision.decided_on,
                "started_on",
                "The review cannot start before the decision.",
                errors,
            )
        if self.methodology and self.methodology not in dict(methodology_choices()):
            errors.setdefault("methodology", []).append("Choose a methodology from the list.")
        if errors:
            raise ValidationError(errors)


class ReviewExtension(models.Model):
    """An agreed new target date, with the reason (reg 14 monitoring)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="extensions")
    agreed_on = models.DateField()
    new_target_on = models.DateField("new target date")
    reason = models.TextField()

    class Meta:
        ordering = ["agreed_on", "pk"]

    def __str__(self) -> str:
        return f"Extended to {self.new_target_on}"

    def clean(self) -> None:
        errors: dict = {}
        _not_future(self.agreed_on, "agreed_on", errors)
        if not (self.reason or "").strip():
            errors["reason"] = ["Enter the reason for the extension."]
        if self.review_id and self.new_target_on:
            earlier = self.review.extensions.exclude(pk=self.pk).order_by("agreed_on", "pk")
            last = earlier.last()
            current = last.new_target_on if last else self.review.target_on
            if self.new_target_on <= current:
                errors.setdefault("new_target_on", []).append(
                    f"The new target must be after the current target ({current:%d %B %Y})."
                )
        if errors:
            raise ValidationError(errors)


def _current_target(review: Review) -> date:
    last = review.extensions.order_by("agreed_on", "pk").last()
    return last.new_target_on if last else review.target_on


Review.current_target = property(_current_target)


class ProceedingsHold(models.Model):
    """Publication held while criminal proceedings could be prejudiced, with a review date."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="holds")
    started_on = models.DateField("hold placed on")
    review_on = models.DateField("date to review the hold")
    reason = models.TextField()
    lifted_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"Criminal-proceedings hold from {self.started_on}"

    @property
    def is_active(self) -> bool:
        return self.lifted_on is None

    def clean(self) -> None:
        errors: dict = {}
        _not_future(self.started_on, "started_on", errors)
        _not_future(self.lifted_on, "lifted_on", errors)
        _not_before(
            self.review_on,
            self.started_on,
            "review_on",
            "The hold's review date cannot be before it was placed.",
            errors,
        )
        _not_before(
            self.lifted_on,
            self.started_on,
            "lifted_on",
            "The hold cannot be lifted before it was placed.",
            errors,
        )
        if errors:
            raise ValidationError(errors)


class LiaisonEntry(models.Model):
    """One contact with the police or CPS about a hold (the liaison log)."""

    hold = models.ForeignKey(ProceedingsHold, on_delete=models.CASCADE, related_name="liaison")
    contacted_on = models.DateField()
    with_whom = models.CharField(max_length=200, help_text="e.g. CPS case lawyer, SIO")
    note = models.TextField()

    class Meta:
        ordering = ["contacted_on", "pk"]
        verbose_name_plural = "liaison entries"

    def __str__(self) -> str:
        return f"Liaison {self.contacted_on}"

    def clean(self) -> None:
        errors: dict = {}
        _not_future(self.contacted_on, "contacted_on", errors)
        if self.hold_id:
            _not_before(
                self.contacted_on,
                self.hold.started_on,
                "contacted_on",
                "Liaison under this hold cannot be before the hold was placed.",
                errors,
            )
        if errors:
            raise ValidationError(errors)


class Publication(models.Model):
    """How and when the review report is (or is not) published."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="publication")
    mode = models.CharField(max_length=20, choices=PublicationMode.choices)
    reason = models.TextField(
        blank=True, help_text="Required when publishing improvements only or not publishing."
    )
    notice_sent_on = models.DateField(
        "notice sent to the Panel and the Secretary of State", null=True, blank=True
    )
    planned_on = models.DateField("planned publication date", null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    address = models.URLField("web address", blank=True)
    remove_after = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.get_mode_display()

    @property
    def is_settled(self) -> bool:
        return self.mode == PublicationMode.NOT_PUBLISHED or self.published_on is not None

    @property
    def notice_reference_date(self) -> date | None:
        return self.published_on or self.planned_on

    def clean(self) -> None:
        errors: dict = {}
        _not_future(self.notice_sent_on, "notice_sent_on", errors)
        _not_future(self.published_on, "published_on", errors)
        if self.mode != PublicationMode.FULL and not (self.reason or "").strip():
            errors["reason"] = ["Give the reason for not publishing the full report."]
        if self.mode == PublicationMode.NOT_PUBLISHED:
            for field in ("published_on", "address", "planned_on"):
                if getattr(self, field):
                    errors.setdefault(field, []).append(
                        "Leave this blank: the report is not published."
                    )
        if self.published_on:
            if not self.address:
                errors.setdefault("address", []).append("Enter where the report is published.")
            if not self.notice_sent_on:
                errors.setdefault("notice_sent_on", []).append(
                    "Record when the Panel and the Secretary of State were sent the report."
                )
            minimum = self.published_on + relativedelta(years=1)
            if not self.remove_after:
                errors.setdefault("remove_after", []).append(
                    "Enter the remove-after date: at least one year after publication."
                )
            elif self.remove_after < minimum:
                errors.setdefault("remove_after", []).append(
                    f"Keep the report online for at least a year: {minimum:%d %B %Y} or later."
                )
        _not_before(
            self.published_on,
            self.notice_sent_on,
            "published_on",
            "Publication cannot be before the notice to the Panel was sent.",
            errors,
        )
        if self.review_id and self.review.completed_on:
            _not_before(
                self.published_on,
                self.review.completed_on,
                "published_on",
                "The report cannot be published before the review was completed.",
                errors,
            )
        if errors:
            raise ValidationError(errors)
