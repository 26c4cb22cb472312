"""Actions in the database: RAG derived on read, completion rules, optimistic edits, reopening
and who sees what."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reviewhub.accounts.access import Action as AccessAction
from reviewhub.accounts.choices import AgencyKind, Role
from reviewhub.actions import services
from reviewhub.actions.models import Action
from reviewhub.audit.models import AuditEvent
from reviewhub.tests.factories import agency

from .factories import action, recommendation

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 1)


@pytest.fixture
def rec(world):
    return recommendation(world.partnership)


def test_rag_is_derived_from_the_stored_dates_progress_milestones_and_evidence(world, rec):
    bu = world.users[Role.BUSINESS_UNIT]
    overdue = action(rec, world.agency, target_date=TODAY - timedelta(days=3))
    near_behind = action(
        rec, world.agency, target_date=TODAY + timedelta(days=7), progress_percent=20
    )
    on_track = action(rec, world.agency, target_date=TODAY + timedelta(days=90))
    late_milestone = action(rec, world.agency, target_date=TODAY + timedelta(days=90))
    services.milestone_add(
        action=late_milestone, user=bu, title="Train staff", due_date=TODAY - timedelta(days=1)
    )
    fresh = {
        a.pk: Action.objects.get(pk=a.pk) for a in (overdue, near_behind, on_track, late_milestone)
    }
    assert fresh[overdue.pk].rag(TODAY).rag == "red"
    assert fresh[near_behind.pk].rag(TODAY).rag == "amber"
    assert fresh[on_track.pk].rag(TODAY).rag == "green"
    result = fresh[late_milestone.pk].rag(TODAY)
    assert result.rag == "amber" and "Train staff" in result.reason
    # The same action read on a later day is red: nothing was stored, the colour is derived.
    assert fresh[on_track.pk].rag(TODAY + timedelta(days=91)).rag == "red"


def test_a_manual_override_needs_a_reason_and_shows_what_the_rules_say(world, rec):
    a = action(rec, world.agency, target_date=TODAY - timedelta(days=3))
    with pytest.raises(ValidationError) as exc:
        services.action_update(
            action=a, user=None, version=a.version, rag_override="green", rag_override_reason=" "
        )
    assert "rag_override_reason" in exc.value.message_dict
    a = services.action_update(
        action=a,
        user=None,
        version=a.version,
        rag_override="green",
        rag_override_reason="New date agreed at the board",
    )
    result = a.rag(TODAY)
    assert (result.rag, result.overridden, result.derived) == ("green", True, "red")


def test_completion_needs_evidence_and_the_business_units_sign_off(world, rec):
    a = action(rec, world.agency)
    bu = world.users[Role.BUSINESS_UNIT]
    with pytest.raises(ValidationError, match="evidence of impact"):
        services.action_complete(action=a, user=bu)
    services.evidence_add(action=a, user=bu, kind="training", summary="40 of 45 staff trained.")
    for role in (Role.PARTNER_LEAD, Role.ADMINISTRATOR, Role.ANALYST):
        with pytest.raises(PermissionDenied):
            services.action_complete(action=a, user=world.users[role])
    a.refresh_from_db()
    services.action_complete(action=a, user=bu)
    a.refresh_from_db()
    assert (
        a.status == "complete" and a.signed_off_by == bu and a.completed_on == timezone.localdate()
    )
    assert Action.objects.get(pk=a.pk).rag().rag == "blue"
    # Nor can an edit mark it complete by the back door.
    with pytest.raises(ValidationError):
        services.action_update(action=a, user=bu, version=a.version, status="in_progress")


def test_an_edit_cannot_set_complete_without_sign_off(world, rec):
    a = action(rec, world.agency)
    with pytest.raises(ValidationError):
        services.action_update(action=a, user=None, version=a.version, status="complete")
    assert Action.objects.get(pk=a.pk).status == "in_progress"


def test_reopening_clears_the_sign_off_needs_a_reason_and_is_audited(world, rec):
    a = action(rec, world.agency)
    bu = world.users[Role.BUSINESS_UNIT]
    services.evidence_add(action=a, user=bu, kind="audit", summary="Audit: 19 of 20.")
    a.refresh_from_db()
    services.action_complete(action=a, user=bu)
    with pytest.raises(ValidationError):
        services.action_reopen(action=a, user=bu, reason="  ")
    with pytest.raises(PermissionDenied):
        services.action_reopen(action=a, user=world.users[Role.PARTNER_LEAD], reason="Not done")
    services.action_reopen(action=a, user=bu, reason="The re-audit found gaps.")
    a.refresh_from_db()
    assert a.status == "reopened" and a.signed_off_by is None and a.completed_on is None
    event = AuditEvent.objects.filter(object_type="actions.action", object_id=str(a.pk)).latest(
        "at"
    )
    assert event.detail == "reopened" and "status" in event.changed_fields
    assert "re-audit" not in event.detail


def test_the_second_of_two_concurrent_edits_is_refused_and_changes_nothing(world, rec):
    a = action(rec, world.agency, progress_percent=10)
    opened_by_both = a.version
    services.action_update(
        action=a, user=world.users[Role.PARTNER_LEAD], version=opened_by_both, progress_percent=50
    )
    with pytest.raises(services.ConcurrentEdit) as exc:
        services.action_update(
            action=a,
            user=world.users[Role.BUSINESS_UNIT],
            version=opened_by_both,
            progress_percent=20,
            agency_response="Overwrites?",
        )
    assert "reload the page" in exc.value.message
    fresh = Action.objects.get(pk=a.pk)
    assert (fresh.progress_percent, fresh.agency_response) == (50, "")
    assert fresh.version == opened_by_both + 1


def test_evidence_attachment_is_checked_by_content_and_stored_under_a_new_name(world, rec):
    a = action(rec, world.agency)
    bu = world.users[Role.BUSINESS_UNIT]
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(
            action=a, user=bu, kind="audit", summary="x", upload_name="../evil.txt", data=b"hi"
        )
    assert "attachment" in exc.value.message_dict
    assert a.evidence.count() == 0
    e = services.evidence_add(
        action=a, user=bu, kind="audit", summary="Audit", upload_name="audit.txt", data=b"text\n"
    )
    assert e.original_name == "audit.txt" and e.stored_name.endswith(".txt")
    assert e.stored_name != "audit.txt"
    assert (services.evidence_dir() / e.stored_name).read_bytes() == b"text\n"


def test_access_partner_leads_edit_their_agencys_actions_and_read_the_rest_of_their_reviews(
    world, rec
):
    own = action(rec, world.agency)
    other = action(rec, world.other_agency)
    lead = world.users[Role.PARTNER_LEAD]
    visible = set(Action.objects.restrict(lead).values_list("pk", flat=True))
    editable = set(Action.objects.restrict(lead, AccessAction.CHANGE).values_list("pk", flat=True))
    assert visible == {own.pk} and editable == {own.pk}
    # A review their agency is involved in: they read every action of it, edit only their own.
    from reviewhub.learning.tests.factories import source

    review_rec = recommendation(
        world.partnership, src=source(world.partnership, review=world.case.review)
    )
    theirs_in_review = action(review_rec, world.other_agency)
    visible = set(Action.objects.restrict(lead).values_list("pk", flat=True))
    assert theirs_in_review.pk in visible
    assert not Action.objects.restrict(lead, AccessAction.CHANGE).filter(pk=theirs_in_review.pk)
    for role in (Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST):
        assert Action.objects.restrict(world.users[role]).count() == 3
    assert not Action.objects.restrict(world.users[Role.ANALYST], AccessAction.CHANGE).exists()
    for role in (Role.PRACTITIONER, Role.REVIEWER, Role.NATIONAL_ANALYST):
        assert not Action.objects.restrict(world.users[role]).exists()
    assert not Action.objects.restrict(world.outsider_admin).exists()
    assert other.pk not in {a.pk for a in Action.objects.restrict(lead)}


def test_an_action_must_be_led_by_an_agency_of_its_partnership(world, rec):
    stranger = agency(world.other, "Southshire Police", AgencyKind.POLICE)
    with pytest.raises(ValidationError) as exc:
        action(rec, stranger)
    assert "lead_agency" in exc.value.message_dict
    assert not Action.objects.exists()
