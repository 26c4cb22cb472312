"""Statutory transitions as action objects (after Wagtail's ``wagtail/actions/``).

Each action is built for one case and one user. ``check()`` returns the list of conditions that
fail, each a sentence a review manager can act on (empty when the action may go ahead);
``execute(record)`` checks again, validates the record, writes it and its audit event in one
transaction, or raises :class:`ActionRefused` carrying the failed conditions.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from reviewhub.accounts.access import has_role
from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import Agency, Membership
from reviewhub.audit.choices import AuditAction, Outcome
from reviewhub.audit.services import audit_event_record

from .choices import PARTNER_AGENCY_KINDS, CaseKind, Partner
from .models import (
    MAX_CHILDREN,
    STAFF_ROLES,
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
)


class ActionRefused(Exception):
    """The action may not happen; ``failures`` says exactly which conditions failed."""

    def __init__(self, failures: list[str]):
        super().__init__("; ".join(failures))
        self.failures = list(failures)


class CaseAction:
    """Base: one step on one case by one user."""

    #: Short code (URL part and audit detail) and the button/page wording.
    code = ""
    label = ""
    #: The model of the record the step writes (the form edits an instance of it).
    model = None
    roles = STAFF_ROLES
    permission_text = "Only the business unit or an administrator can do this."

    def __init__(self, case: Case, user):
        self.case = case
        self.user = user

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse(f"cases:step_{self.code.replace('-', '_')}", kwargs={"pk": self.case.pk})

    # -- checks -----------------------------------------------------------------------------
    def is_permitted(self) -> bool:
        return has_role(self.user, self.case.partnership_id, *self.roles)

    def permission_failures(self) -> list[str]:
        return [] if self.is_permitted() else [self.permission_text]

    def preconditions(self) -> list[str]:
        """Return the failed statutory preconditions (override)."""
        return []

    def check(self) -> list[str]:
        """Return every failed condition, permission first; empty means the step may go ahead."""
        failures = self.permission_failures()
        if self.case.closed_on and self.code != "close":
            failures.append("The case is closed: no further steps can be recorded.")
        return failures + self.preconditions()

    # -- records ----------------------------------------------------------------------------
    def new_record(self):
        """Return the (unsaved) record the form fills in."""
        return self.model(case=self.case)

    def apply(self, record) -> list[str]:
        """Write the record; return the changed field names for the audit event."""
        record.save()
        return [f.name for f in record._meta.concrete_fields if f.name not in ("id",)]

    def execute(self, record):
        """Check, validate and write the step with its audit event, or raise ActionRefused.

        The conditions are checked against the case as stored, not the objects in memory: a form
        has already copied its values onto the record (and Django caches related records on the
        case), which must not count as the step having happened.
        """
        stored = type(self)(Case.objects.get(pk=self.case.pk), self.user)
        failures = stored.check()
        if failures:
            if stored.permission_failures():
                audit_event_record(
                    action=AuditAction.DENIED,
                    obj=self.case,
                    outcome=Outcome.DENIED,
                    detail=f"{self.code} refused",
                    user=self.user,
                )
            raise ActionRefused(failures)
        with transaction.atomic():
            record.full_clean()
            fields = self.apply(record)
            audit_event_record(
                action=AuditAction.TRANSITION,
                obj=self.case,
                changed_fields=[f"{record._meta.model_name}.{f}" for f in fields],
                detail=self.code,
                user=self.user,
            )
        return record


class RecordNotification(CaseAction):
    code = "notify"
    label = "Record the serious incident notification"
    model = Notification

    def preconditions(self):
        failures = []
        if self.case.kind != CaseKind.CHILD:
            failures.append(
                f"A {self.case.get_kind_display()} case has no serious incident notification."
            )
        if self.case.notification_or_none is not None:
            failures.append("This case already has a notification.")
        if self.case.kind == CaseKind.CHILD and not self.case.awareness_date:
            failures.append("Record the date the local authority became aware first.")
        return failures


class AddChild(CaseAction):
    code = "child"
    label = "Add a child"
    model = Child

    def preconditions(self):
        if self.case.children.count() >= MAX_CHILDREN:
            return [
                f"A notification lists at most {MAX_CHILDREN} children: describe anyone else "
                "under 'others involved'."
            ]
        return []


class InvolveAgency(CaseAction):
    code = "agency"
    label = "Add an involved agency"
    model = CaseAgency


class StartRapidReview(CaseAction):
    code = "rapid-review"
    label = "Start the rapid review"
    model = RapidReview

    def preconditions(self):
        if self.case.kind != CaseKind.CHILD:
            return [f"A {self.case.get_kind_display()} case has no rapid review."]
        failures = []
        if self.case.notification_or_none is None:
            failures.append(
                "There is no serious incident notification: record it before the rapid review."
            )
        if self.case.rapid_review_or_none is not None:
            failures.append("The rapid review has already started.")
        notification = self.case.notification_or_none
        if notification is not None and notification.criteria_not_met:
            failures.append(
                "The rapid review criteria were recorded as not met on "
                f"{notification.criteria_not_met_on:%d %B %Y}: no rapid review is required."
            )
        return failures


class RecordCriteriaNotMet(CaseAction):
    """Record that no rapid review is required: the criteria are not met (with the reason)."""

    code = "criteria-not-met"
    label = "Record that the rapid review criteria are not met"
    model = Notification

    def new_record(self):
        return self.case.notification_or_none

    def preconditions(self):
        if self.case.kind != CaseKind.CHILD:
            return [f"A {self.case.get_kind_display()} case has no rapid review."]
        notification = self.case.notification_or_none
        if notification is None:
            return ["There is no serious incident notification: record it first."]
        if notification.criteria_not_met:
            return ["The criteria are already recorded as not met."]
        if self.case.rapid_review_or_none is not None:
            return [
                "The rapid review has already started: the criteria cannot be recorded as "
                "not met now."
            ]
        return []

    def apply(self, record):
        if not record.criteria_not_met_on or not record.criteria_not_met_reason.strip():
            raise ValidationError(
                {
                    "criteria_not_met_reason": "Give the reason and the date the criteria were "
                    "recorded as not met."
                }
            )
        record.criteria_not_met_by = self.user
        record.save(
            update_fields=[
                "criteria_not_met_on",
                "criteria_not_met_reason",
                "criteria_not_met_by",
            ]
        )
        return ["criteria_not_met_on", "criteria_not_met_reason", "criteria_not_met_by"]


class RequestAgencySummary(CaseAction):
    code = "agency-summary"
    label = "Record an agency summary"
    model = AgencySummary

    def new_record(self):
        return AgencySummary(rapid_review=self.case.rapid_review_or_none)

    def preconditions(self):
        if self.case.rapid_review_or_none is None:
            return ["Start the rapid review before recording agency summaries."]
        return []

    def apply(self, record):
        existing = AgencySummary.objects.filter(
            rapid_review=record.rapid_review, agency=record.agency
        ).first()
        if existing is not None:
            existing.requested_on = record.requested_on
            existing.received_on = record.received_on
            existing.save()
            return ["requested_on", "received_on"]
        record.save()
        CaseAgency.objects.get_or_create(case=self.case, agency=record.agency)
        return ["agency", "requested_on", "received_on"]


class RecordRapidReviewOutcome(CaseAction):
    code = "rapid-review-outcome"
    label = "Record the rapid review's summary and outcome"
    model = RapidReview

    def new_record(self):
        return self.case.rapid_review_or_none

    def preconditions(self):
        rapid = self.case.rapid_review_or_none
        if rapid is None:
            return ["The rapid review has not started: there is no outcome to record."]
        if rapid.outcome_recorded:
            return ["The rapid review's outcome is already recorded."]
        return []

    def apply(self, record):
        if not record.completed_on:
            raise ValidationError({"completed_on": "Enter the date the outcome was agreed."})
        record.save()
        return [
            "meeting_date",
            "immediate_learning",
            "actions_taken",
            "summary_outcome",
            "completed_on",
            "sent_to_panel_on",
        ]


class RecordDecision(CaseAction):
    code = "decision"
    label = "Record the decision"
    model = Decision

    def preconditions(self):
        failures = []
        if self.case.decision_or_none is not None:
            failures.append("The decision is already recorded.")
        if self.case.kind == CaseKind.CHILD:
            rapid = self.case.rapid_review_or_none
            if rapid is None:
                failures.append("There is no rapid review: no decision before its outcome.")
            elif not rapid.outcome_recorded:
                failures.append(
                    "The rapid review's summary and outcome is not recorded: no decision before "
                    "the rapid review's outcome."
                )
        elif self.case.kind == CaseKind.ADULT_SAR and not self.case.awareness_date:
            failures.append("Record the date the referral was received first.")
        return failures


class SignOffDecision(CaseAction):
    code = "sign-off"
    label = "Record a safeguarding partner's sign-off"
    model = PartnerSignOff
    roles = (*STAFF_ROLES, Role.PARTNER_LEAD)
    permission_text = (
        "Only the business unit, an administrator or the partner lead of a safeguarding "
        "partner can record a sign-off."
    )

    def allowed_partners(self) -> list[str]:
        """Return the partners this user may sign for: all for staff, their own for a lead."""
        if has_role(self.user, self.case.partnership_id, *STAFF_ROLES):
            return list(Partner.values)
        if not has_role(self.user, self.case.partnership_id, Role.PARTNER_LEAD):
            return []
        lead_agencies = Membership.objects.filter(
            user=self.user, partnership_id=self.case.partnership_id, role=Role.PARTNER_LEAD
        ).values("agency_id")
        kinds = set(Agency.objects.filter(pk__in=lead_agencies).values_list("kind", flat=True))
        return [p for p, agency_kinds in PARTNER_AGENCY_KINDS.items() if kinds & agency_kinds]

    def is_permitted(self) -> bool:
        return bool(self.allowed_partners())

    def new_record(self):
        return PartnerSignOff(decision=self.case.decision_or_none, recorded_by=self.user)

    def preconditions(self):
        decision = self.case.decision_or_none
        if decision is None:
            return ["There is no decision to sign off."]
        if not decision.needs_sign_off:
            return ["Only a child case's decision is signed off by the three partners."]
        remaining = {s.partner for s in decision.sign_offs.all()}
        if not set(self.allowed_partners()) - remaining:
            return ["Every partner you can sign for has already signed off."]
        return []

    def execute(self, record):
        if record.partner and record.partner not in self.allowed_partners():
            raise ActionRefused(["You cannot sign off for that partner."])
        return super().execute(record)


class RecordPanelResponse(CaseAction):
    code = "panel-response"
    label = "Record the Panel's response"
    model = Decision

    def new_record(self):
        return self.case.decision_or_none

    def preconditions(self):
        if self.case.kind != CaseKind.CHILD:
            return ["Only a child case's decision goes to the Panel."]
        if self.case.decision_or_none is None:
            return ["There is no decision for the Panel to respond to."]
        return []

    def apply(self, record):
        if not record.panel_response_on or not record.panel_response.strip():
            raise ValidationError(
                {"panel_response": "Enter the Panel's response and the date it was received."}
            )
        record.save()
        return ["panel_response", "panel_response_on"]


class StartReview(CaseAction):
    code = "review"
    label = "Start the review"
    model = Review

    def new_record(self):
        decision = self.case.decision_or_none
        return Review(
            case=self.case,
            partnership=self.case.partnership,
            review_type=decision.review_type if decision else "",
        )

    def preconditions(self):
        decision = self.case.decision_or_none
        if decision is None:
            return ["There is no decision: no review without a decision."]
        failures = []
        if decision.review_type is None:
            failures.append(f"The decision was '{decision.get_outcome_display()}': no review.")
        if decision.needs_sign_off:
            missing = decision.missing_partners()
            if missing:
                failures.append(
                    "The decision is not signed off by every safeguarding partner (missing: "
                    + ", ".join(missing)
                    + ")."
                )
        if self.case.review_or_none is not None:
            failures.append("The review has already started.")
        return failures

    def execute(self, record):
        if record.lead_reviewer_id and not has_role(
            record.lead_reviewer, self.case.partnership_id, Role.REVIEWER
        ):
            raise ActionRefused(["The lead reviewer must hold the reviewer role here."])
        return super().execute(record)


class _ReviewStep(CaseAction):
    def review_failures(self, *, open_only=True) -> list[str]:
        review = self.case.review_or_none
        if review is None:
            return ["There is no review yet."]
        if open_only and review.completed_on:
            return ["The review is already completed."]
        return []


class ExtendReview(_ReviewStep):
    code = "extension"
    label = "Record an extension"
    model = ReviewExtension

    def new_record(self):
        return ReviewExtension(review=self.case.review_or_none)

    def preconditions(self):
        return self.review_failures()


class CompleteReview(_ReviewStep):
    code = "review-complete"
    label = "Record the review's completion"
    model = Review

    def new_record(self):
        return self.case.review_or_none

    def preconditions(self):
        return self.review_failures()

    def apply(self, record):
        if not record.completed_on:
            raise ValidationError({"completed_on": "Enter the completion date."})
        record.save()
        return ["completed_on"]


class PlaceHold(_ReviewStep):
    code = "hold"
    label = "Place a criminal-proceedings hold"
    model = ProceedingsHold

    def new_record(self):
        return ProceedingsHold(review=self.case.review_or_none)

    def preconditions(self):
        failures = self.review_failures(open_only=False)
        review = self.case.review_or_none
        if review is not None:
            if review.active_hold is not None:
                failures.append("A criminal-proceedings hold is already active.")
            publication = review.publication_or_none
            if publication is not None and publication.published_on:
                failures.append("The report is already published.")
        return failures


class LogLiaison(_ReviewStep):
    code = "liaison"
    label = "Log liaison with the police or CPS"
    model = LiaisonEntry

    def new_record(self):
        review = self.case.review_or_none
        return LiaisonEntry(hold=review.active_hold if review else None)

    def preconditions(self):
        failures = self.review_failures(open_only=False)
        if not failures and self.case.review.active_hold is None:
            failures.append("There is no active criminal-proceedings hold.")
        return failures


class LiftHold(_ReviewStep):
    code = "hold-lift"
    label = "Lift the criminal-proceedings hold"
    model = ProceedingsHold

    def new_record(self):
        review = self.case.review_or_none
        return review.active_hold if review else None

    def preconditions(self):
        failures = self.review_failures(open_only=False)
        if not failures and self.case.review.active_hold is None:
            failures.append("There is no active criminal-proceedings hold.")
        return failures

    def apply(self, record):
        if not record.lifted_on:
            raise ValidationError({"lifted_on": "Enter the date the hold was lifted."})
        record.save()
        return ["lifted_on"]


class RecordPublication(_ReviewStep):
    code = "publication"
    label = "Record publication"
    model = Publication

    def new_record(self):
        review = self.case.review_or_none
        if review is None:
            return None
        return review.publication_or_none or Publication(review=review)

    def preconditions(self):
        failures = self.review_failures(open_only=False)
        review = self.case.review_or_none
        if review is None:
            return failures
        if not review.completed_on:
            failures.append("The review is not completed: record its completion first.")
        hold = review.active_hold
        if hold is not None:
            failures.append(
                "Publication is refused while a criminal-proceedings hold is active "
                f"(placed {hold.started_on:%d %B %Y}, to be reviewed {hold.review_on:%d %B %Y})."
            )
        publication = review.publication_or_none
        if publication is not None and publication.is_settled:
            failures.append("Publication is already recorded.")
        return failures

    def apply(self, record):
        record.save()
        return ["mode", "reason", "notice_sent_on", "planned_on", "published_on", "address"]


class CloseCase(CaseAction):
    code = "close"
    label = "Close the case"
    model = Case

    def new_record(self):
        return self.case

    def preconditions(self):
        case = self.case
        if case.closed_on:
            return ["The case is already closed."]
        missing = []
        if case.kind in (CaseKind.CHILD, CaseKind.LEGACY_SCR) and not case.incident_date:
            missing.append("the incident date")
        if case.kind != CaseKind.LEGACY_SCR and not case.awareness_date:
            missing.append(
                "the referral date" if case.kind == CaseKind.ADULT_SAR else "the awareness date"
            )
        not_required = False
        if case.kind == CaseKind.CHILD:
            notification = case.notification_or_none
            if notification is None:
                missing.append("the notification date")
            rapid = case.rapid_review_or_none
            not_required = (
                rapid is None and notification is not None and (notification.criteria_not_met)
            )
            if not not_required and (rapid is None or not rapid.completed_on):
                missing.append("the rapid review's outcome date")
        decision = case.decision_or_none
        if decision is None:
            if not not_required:
                missing.append("the decision date")
        else:
            if decision.needs_sign_off:
                missing += [f"the {p} sign-off" for p in decision.missing_partners()]
                if not decision.panel_response_on:
                    missing.append("the date of the Panel's response")
            if decision.review_type:
                review = case.review_or_none
                if review is None:
                    missing.append("the review's start date")
                else:
                    if not review.completed_on:
                        missing.append("the review's completion date")
                    publication = review.publication_or_none
                    if publication is None or not publication.is_settled:
                        missing.append("the publication date (or the reason not to publish)")
                    if review.active_hold is not None:
                        missing.append("the date the criminal-proceedings hold was lifted")
        if missing:
            return ["The case cannot close without " + "; ".join(missing) + "."]
        return []

    def apply(self, record):
        if not record.closed_on:
            raise ValidationError({"closed_on": "Enter the date the case closed."})
        record.save(update_fields=["closed_on"])
        return ["closed_on"]


ACTIONS: dict[str, type[CaseAction]] = {
    a.code: a
    for a in (
        AddChild,
        InvolveAgency,
        RecordNotification,
        StartRapidReview,
        RecordCriteriaNotMet,
        RequestAgencySummary,
        RecordRapidReviewOutcome,
        RecordDecision,
        SignOffDecision,
        RecordPanelResponse,
        StartReview,
        ExtendReview,
        CompleteReview,
        PlaceHold,
        LogLiaison,
        LiftHold,
        RecordPublication,
        CloseCase,
    )
}


def available_actions(case: Case, user) -> list[CaseAction]:
    """Return the actions this user may take on the case now (no failed condition)."""
    return [a for a in (cls(case, user) for cls in ACTIONS.values()) if not a.check()]


def next_statutory_step(case: Case, user) -> tuple[CaseAction | None, list[str]]:
    """Return the next step of the case's statutory route and what stands in its way.

    The permission failure is left out: the page tells every reader what the case waits for,
    and only those who may act see the link.
    """
    from .choices import Stage

    stage = case.stage
    if stage == Stage.NOTIFICATION:
        step = RecordNotification
    elif stage == Stage.RAPID_REVIEW:
        step = RecordRapidReviewOutcome if case.rapid_review_or_none else StartRapidReview
    elif stage == Stage.RR_NOT_REQUIRED:
        step = CloseCase
    elif stage == Stage.DECISION:
        step = RecordDecision
    elif stage == Stage.DECIDED:
        step = StartReview if case.decision.review_type else CloseCase
    elif stage == Stage.REVIEW:
        step = CompleteReview
    elif stage == Stage.PUBLICATION:
        step = RecordPublication
    elif stage == Stage.PUBLISHED:
        step = CloseCase
    else:
        return None, []
    action = step(case, user)
    return action, action.preconditions()
