"""Each statutory step checks its preconditions and who may take it, and says which failed."""

from datetime import date

import pytest

from reviewhub.accounts.choices import AgencyKind, Role
from reviewhub.audit.models import AuditEvent
from reviewhub.cases import actions
from reviewhub.cases.choices import Outcome, Partner, PublicationMode
from reviewhub.cases.models import (
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
from reviewhub.tests.factories import agency, user

from . import factories

pytestmark = pytest.mark.django_db


def staff(world):
    return world.users[Role.BUSINESS_UNIT]


def test_notification_is_recorded_with_one_transition_event(world):
    c = factories.case(world.partnership, "open")
    action = actions.RecordNotification(c, staff(world))
    assert action.check() == []
    action.execute(Notification(case=c, notified_on=date(2024, 3, 6), notifier="Head"))
    event = AuditEvent.objects.get(action="transition", object_id=str(c.pk))
    assert event.detail == "notify"
    assert "notification.notified_on" in event.changed_fields
    assert c.stage == "rapid_review"


def test_a_second_notification_is_refused(world):
    c = factories.case(world.partnership, "notified")
    assert actions.RecordNotification(c, staff(world)).check() == [
        "This case already has a notification."
    ]


def test_no_rapid_review_without_a_notification(world):
    c = factories.case(world.partnership, "open")
    failures = actions.StartRapidReview(c, staff(world)).check()
    assert failures == [
        "There is no serious incident notification: record it before the rapid review."
    ]
    with pytest.raises(actions.ActionRefused) as refused:
        actions.StartRapidReview(c, staff(world)).execute(
            RapidReview(case=c, started_on=date(2024, 3, 6))
        )
    assert refused.value.failures == failures
    assert not RapidReview.objects.filter(case=c).exists()


def test_no_decision_before_the_rapid_reviews_outcome(world):
    c = factories.case(world.partnership, "rapid_review")
    assert actions.RecordDecision(c, staff(world)).check() == [
        "The rapid review's summary and outcome is not recorded: no decision before the rapid "
        "review's outcome."
    ]
    c = factories.case(world.partnership, "rr_outcome")
    assert actions.RecordDecision(c, staff(world)).check() == []


def test_no_review_without_a_decision(world):
    c = factories.case(world.partnership, "rr_outcome")
    assert actions.StartReview(c, staff(world)).check() == [
        "There is no decision: no review without a decision."
    ]


def test_review_waits_for_every_partner_to_sign_off(world):
    c = factories.case(world.partnership, "decision")
    PartnerSignOff.objects.create(
        decision=c.decision, partner=Partner.POLICE, signed_by="CC", signed_on=c.decision.decided_on
    )
    failures = actions.StartReview(c, staff(world)).check()
    assert failures == [
        "The decision is not signed off by every safeguarding partner (missing: Local "
        "authority, Integrated care board)."
    ]


def test_a_no_review_decision_cannot_start_a_review(world):
    c = factories.case(world.partnership, "signed", outcome=Outcome.NO_FURTHER_REVIEW)
    assert actions.StartReview(c, staff(world)).check() == [
        "The decision was 'No further review': no review."
    ]


def test_publication_is_refused_while_a_hold_is_active(world):
    c = factories.case(world.partnership, "completed", hold=True)
    failures = actions.RecordPublication(c, staff(world)).check()
    assert len(failures) == 1
    assert failures[0].startswith("Publication is refused while a criminal-proceedings hold")
    hold = c.review.active_hold
    hold.lifted_on = hold.started_on
    hold.save()
    c = type(c).objects.get(pk=c.pk)
    assert actions.RecordPublication(c, staff(world)).check() == []


def test_publication_waits_for_the_review_to_complete(world):
    c = factories.case(world.partnership, "review")
    assert actions.RecordPublication(c, staff(world)).check() == [
        "The review is not completed: record its completion first."
    ]


def test_closing_needs_every_required_date(world):
    c = factories.case(world.partnership, "review")
    failures = actions.CloseCase(c, staff(world)).check()
    assert failures == [
        "The case cannot close without the review's completion date; the publication date "
        "(or the reason not to publish)."
    ]
    c = factories.case(world.partnership, "published")
    action = actions.CloseCase(c, staff(world))
    assert action.check() == []
    c.closed_on = date(2025, 1, 10)
    action.execute(c)
    c.refresh_from_db()
    assert c.stage == "closed"


def test_closing_a_fresh_case_lists_what_is_missing(world):
    c = factories.case(world.partnership, "open")
    (failure,) = actions.CloseCase(c, staff(world)).check()
    for missing in ("notification date", "rapid review's outcome date", "decision date"):
        assert missing in failure


@pytest.mark.parametrize(
    "role", [Role.PARTNER_LEAD, Role.REVIEWER, Role.ANALYST, Role.PRACTITIONER]
)
def test_only_business_unit_and_administrators_take_statutory_steps(world, role):
    c = factories.case(world.partnership, "open")
    action = actions.RecordNotification(c, world.users[role])
    assert action.check()[0] == "Only the business unit or an administrator can do this."
    with pytest.raises(actions.ActionRefused):
        action.execute(Notification(case=c, notified_on=date(2024, 3, 6), notifier="x"))
    assert AuditEvent.objects.filter(action="denied", object_id=str(c.pk)).count() == 1
    assert not Notification.objects.filter(case=c).exists()


def test_administrators_take_statutory_steps(world):
    c = factories.case(world.partnership, "open")
    assert actions.RecordNotification(c, world.users[Role.ADMINISTRATOR]).check() == []


def test_staff_of_another_partnership_cannot_act(world):
    c = factories.case(world.partnership, "open")
    assert actions.RecordNotification(c, world.outsider_admin).check()


def test_partner_lead_signs_off_only_for_their_own_partner(world):
    c = factories.case(world.partnership, "decision")
    lead = world.users[Role.PARTNER_LEAD]  # Northshire Police
    action = actions.SignOffDecision(c, lead)
    assert action.allowed_partners() == ["police"]
    assert action.check() == []
    with pytest.raises(actions.ActionRefused) as refused:
        action.execute(
            PartnerSignOff(
                decision=c.decision, partner="la", signed_by="x", signed_on=date(2024, 3, 30)
            )
        )
    assert refused.value.failures == ["You cannot sign off for that partner."]
    action.execute(
        PartnerSignOff(
            decision=c.decision, partner="police", signed_by="CC", signed_on=date(2024, 3, 30)
        )
    )
    assert actions.SignOffDecision(c, lead).check() == [
        "Every partner you can sign for has already signed off."
    ]


def test_partner_lead_of_a_non_partner_agency_cannot_sign_off(world):
    housing = agency(world.partnership, "Housing", AgencyKind.HOUSING)
    lead = user(world.partnership, Role.PARTNER_LEAD, agency_obj=housing)
    c = factories.case(world.partnership, "decision")
    assert actions.SignOffDecision(c, lead).check()[0].startswith("Only the business unit")


def test_sar_goes_from_referral_to_decision_without_notification_or_rapid_review(world):
    c = factories.case(world.partnership, "open", kind="adult_sar")
    assert actions.StartRapidReview(c, staff(world)).check() == [
        "A Adult (safeguarding adults review referral) case has no rapid review."
    ]
    assert (
        actions.RecordNotification(c, staff(world))
        .check()[0]
        .endswith("case has no serious incident notification.")
    )
    action = actions.RecordDecision(c, staff(world))
    assert action.check() == []
    action.execute(
        Decision(
            case=c, outcome=Outcome.SAR_DISCRETIONARY, decided_on=date(2024, 3, 10), reasons="x"
        )
    )
    # No partner sign-off for SARs: the review may start at once.
    assert actions.StartReview(c, staff(world)).check() == []


def test_a_child_outcome_is_refused_for_a_sar(world):
    c = factories.case(world.partnership, "open", kind="adult_sar")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        actions.RecordDecision(c, staff(world)).execute(
            Decision(case=c, outcome=Outcome.LCSPR, decided_on=date(2024, 3, 10), reasons="x")
        )
    assert "outcome" in error.value.message_dict


def test_legacy_scr_is_decided_without_notification(world):
    c = factories.case(world.partnership, "open", kind="legacy_scr")
    assert actions.RecordDecision(c, staff(world)).check() == []


def test_extension_needs_a_reason_and_a_later_target(world):
    from django.core.exceptions import ValidationError

    c = factories.case(world.partnership, "review")
    action = actions.ExtendReview(c, staff(world))
    with pytest.raises(ValidationError) as error:
        action.execute(
            ReviewExtension(
                review=c.review, agreed_on=date(2024, 4, 1), new_target_on=c.review.target_on
            )
        )
    assert set(error.value.message_dict) == {"reason", "new_target_on"}


def test_hold_liaison_and_lift(world):
    c = factories.case(world.partnership, "completed")
    who = staff(world)
    assert actions.LogLiaison(c, who).check() == ["There is no active criminal-proceedings hold."]
    actions.PlaceHold(c, who).execute(
        ProceedingsHold(
            review=c.review, started_on=date(2024, 9, 1), review_on=date(2024, 12, 1), reason="T"
        )
    )
    c = type(c).objects.get(pk=c.pk)
    assert actions.PlaceHold(c, who).check() == ["A criminal-proceedings hold is already active."]
    hold = c.review.active_hold
    actions.LogLiaison(c, who).execute(
        LiaisonEntry(hold=hold, contacted_on=date(2024, 9, 2), with_whom="CPS", note="Trial date")
    )
    hold.lifted_on = date(2024, 10, 1)
    actions.LiftHold(c, who).execute(hold)
    c = type(c).objects.get(pk=c.pk)
    assert c.review.active_hold is None


def test_published_lcspr_reaches_the_published_stage(world):
    c = factories.case(world.partnership, "completed")
    done = c.review.completed_on
    actions.RecordPublication(c, staff(world)).execute(
        Publication(
            review=c.review,
            mode=PublicationMode.FULL,
            notice_sent_on=done,
            published_on=done,
            address="https://example.org/r.pdf",
            remove_after=date(done.year + 1, done.month, 28),
        )
    )
    c = type(c).objects.get(pk=c.pk)
    assert c.stage == "published"


def test_lead_reviewer_must_hold_the_reviewer_role(world):
    c = factories.case(world.partnership, "signed")
    decision = c.decision
    with pytest.raises(actions.ActionRefused):
        actions.StartReview(c, staff(world)).execute(
            Review(
                case=c,
                partnership=c.partnership,
                review_type="lcspr",
                title="t",
                methodology="Hybrid",
                lead_reviewer=world.users[Role.PRACTITIONER],
                started_on=decision.decided_on,
                target_on=decision.decided_on,
            )
        )
