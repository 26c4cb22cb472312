"""'Criteria not met': a notification needs a rapid review unless recorded otherwise, with a
reason (domain.md §10 item 3); and the notification form's s16C eligibility facts."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviewhub.accounts.choices import Role
from reviewhub.audit.models import AuditEvent
from reviewhub.cases import actions
from reviewhub.cases.choices import Nature, Stage
from reviewhub.cases.models import Case, Notification, RapidReview
from reviewhub.cases.selectors import case_clocks

from . import factories

pytestmark = pytest.mark.django_db

NOTIFIED = date(2024, 3, 7)  # factories.case notifies three days after awareness (4 March)


def staff(world):
    return world.users[Role.BUSINESS_UNIT]


def record_not_met(case, user, *, on=date(2024, 3, 11), reason="No abuse or neglect suspected."):
    notification = Notification.objects.get(case=case)
    notification.criteria_not_met_on = on
    notification.criteria_not_met_reason = reason
    return actions.RecordCriteriaNotMet(case, user).execute(notification)


def fresh(case):
    return Case.objects.get(pk=case.pk)


def test_recording_criteria_not_met_keeps_who_when_and_why_and_audits_field_names(world):
    c = factories.case(world.partnership, "notified")
    record_not_met(c, staff(world))
    n = Notification.objects.get(case=c)
    assert n.criteria_not_met_on == date(2024, 3, 11)
    assert n.criteria_not_met_reason == "No abuse or neglect suspected."
    assert n.criteria_not_met_by == staff(world)
    event = AuditEvent.objects.get(action="transition", object_id=str(c.pk))
    assert event.detail == "criteria-not-met"
    assert "notification.criteria_not_met_reason" in event.changed_fields
    assert "abuse" not in (event.detail or "")


def test_after_criteria_not_met_no_rapid_review_clock_runs_and_the_stage_says_so(world):
    c = factories.case(world.partnership, "notified")
    names = [clock.name for clock in case_clocks(fresh(c), today=date(2024, 6, 1))]
    assert "Rapid review" in names
    record_not_met(c, staff(world))
    c = fresh(c)
    assert c.stage == Stage.RR_NOT_REQUIRED
    names = [clock.name for clock in case_clocks(c, today=date(2024, 6, 1))]
    assert "Rapid review" not in names
    assert names == ["Serious incident notification"]


def test_starting_a_rapid_review_is_refused_once_criteria_are_not_met(world):
    c = factories.case(world.partnership, "notified")
    record_not_met(c, staff(world))
    c = fresh(c)
    failures = actions.StartRapidReview(c, staff(world)).check()
    assert failures == [
        "The rapid review criteria were recorded as not met on 11 March 2024: no rapid review "
        "is required."
    ]
    with pytest.raises(actions.ActionRefused):
        actions.StartRapidReview(c, staff(world)).execute(
            RapidReview(case=c, started_on=date(2024, 3, 12))
        )
    assert not RapidReview.objects.filter(case=c).exists()


def test_the_case_can_close_without_rapid_review_or_decision(world):
    c = factories.case(world.partnership, "notified")
    blocked = actions.CloseCase(fresh(c), staff(world)).check()
    assert "the rapid review's outcome date" in blocked[0]
    record_not_met(c, staff(world))
    c = fresh(c)
    assert actions.CloseCase(c, staff(world)).check() == []
    step, blocked_by = actions.next_statutory_step(c, staff(world))
    assert isinstance(step, actions.CloseCase) and blocked_by == []
    c.closed_on = date(2024, 3, 20)
    actions.CloseCase(c, staff(world)).execute(c)
    assert fresh(c).stage == Stage.CLOSED


def test_criteria_not_met_is_refused_without_a_notification_after_the_rapid_review_or_twice(
    world,
):
    user = staff(world)
    assert actions.RecordCriteriaNotMet(
        factories.case(world.partnership, "open"), user
    ).check() == ["There is no serious incident notification: record it first."]
    started = factories.case(world.partnership, "rapid_review")
    assert actions.RecordCriteriaNotMet(started, user).check() == [
        "The rapid review has already started: the criteria cannot be recorded as not met now."
    ]
    c = factories.case(world.partnership, "notified")
    record_not_met(c, user)
    assert actions.RecordCriteriaNotMet(fresh(c), user).check() == [
        "The criteria are already recorded as not met."
    ]


def test_only_staff_may_record_criteria_not_met(world):
    c = factories.case(world.partnership, "notified", agencies=[world.agency])
    failures = actions.RecordCriteriaNotMet(c, world.users[Role.PARTNER_LEAD]).check()
    assert failures == ["Only the business unit or an administrator can do this."]
    with pytest.raises(actions.ActionRefused):
        record_not_met(c, world.users[Role.PARTNER_LEAD])
    assert not Notification.objects.get(case=c).criteria_not_met
    assert AuditEvent.objects.filter(
        action="denied", object_id=str(c.pk), detail="criteria-not-met refused"
    ).exists()


def url(case):
    return reverse("cases:step_criteria_not_met", kwargs={"pk": case.pk})


def test_the_form_requires_a_reason_and_a_sensible_date(world, login):
    c = factories.case(world.partnership, "notified")
    client = login(staff(world))
    page = client.post(
        url(c), {"criteria_not_met_on": "2024-03-11", "criteria_not_met_reason": " "}
    )
    assert "Give the reason the rapid review criteria are not met." in page.content.decode()
    page = client.post(
        url(c), {"criteria_not_met_on": "2024-03-01", "criteria_not_met_reason": "Accident."}
    )
    assert "cannot be recorded as not met before the notification" in page.content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = client.post(
        url(c), {"criteria_not_met_on": str(tomorrow), "criteria_not_met_reason": "Accident."}
    )
    assert "The date cannot be in the future." in page.content.decode()
    assert not Notification.objects.get(case=c).criteria_not_met
    assert not AuditEvent.objects.filter(action="transition", object_id=str(c.pk)).exists()


def test_the_form_records_it_and_the_case_page_shows_it(world, login):
    c = factories.case(world.partnership, "notified")
    client = login(staff(world))
    response = client.post(
        url(c),
        {"criteria_not_met_on": "2024-03-11", "criteria_not_met_reason": "Accidental injury."},
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", kwargs={"pk": c.pk})).content.decode()
    assert "Not required: criteria not met" in page
    assert "Accidental injury." in page
    assert "Rapid review not required (criteria not met)" in page
    assert "Rapid review criteria recorded as not met" in page  # timeline
    refused = client.post(
        reverse("cases:step_rapid_review", kwargs={"pk": c.pk}), {"started_on": "2024-03-12"}
    ).content.decode()
    assert "recorded as not met on 11 March 2024" in refused


# -- The notification's s16C eligibility facts -----------------------------------------------


def notify(client, case, **data):
    base = {
        "notified_on": "2024-03-08",
        "notifier": "Head of service",
        "abuse_suspected": "on",
        "incident_place": "in_area",
        "under_s16c": "on",
    }
    base.update(data)
    return client.post(
        reverse("cases:step_notify", kwargs={"pk": case.pk}),
        {k: v for k, v in base.items() if v is not None},
    )


def test_a_notification_claiming_s16c_without_abuse_or_neglect_is_refused(world, login):
    c = factories.case(world.partnership, "open")
    page = notify(login(staff(world)), c, abuse_suspected=None).content.decode()
    assert "A notification under s16C needs abuse or neglect known or suspected" in page
    assert not Notification.objects.filter(case=c).exists()


def test_a_looked_after_death_without_abuse_is_recorded_outside_s16c(world, login):
    c = factories.case(world.partnership, "open", nature=Nature.DEATH)
    client = login(staff(world))
    response = notify(client, c, abuse_suspected=None, under_s16c=None, looked_after_death="on")
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", kwargs={"pk": c.pk})).content.decode()
    assert "No: abuse or neglect is not known or suspected." in page
    assert "Notify the Secretary of State and Ofsted" in page


def test_nothing_to_notify_without_abuse_or_a_looked_after_or_care_leaver_death(world, login):
    c = factories.case(world.partnership, "open")
    page = notify(login(staff(world)), c, abuse_suspected=None, under_s16c=None).content.decode()
    assert "there is nothing to notify" in page
    assert not Notification.objects.filter(case=c).exists()


def test_a_looked_after_death_needs_a_child_death_case(world, login):
    c = factories.case(world.partnership, "open", nature=Nature.SERIOUS_HARM)
    page = notify(login(staff(world)), c, looked_after_death="on").content.decode()
    assert "The case&#x27;s nature is not &#x27;Child death&#x27;" in page
    assert not Notification.objects.filter(case=c).exists()


def test_an_unknown_place_is_refused(world, login):
    c = factories.case(world.partnership, "open")
    page = notify(login(staff(world)), c, incident_place="mars").content.decode()
    assert "Select a valid choice" in page
    assert not Notification.objects.filter(case=c).exists()


def test_the_case_page_answers_the_s16c_question(world, login):
    c = factories.case(world.partnership, "open", nature=Nature.SERIOUS_HARM)
    client = login(staff(world))
    assert notify(client, c, incident_place="outside_england").status_code == 302
    page = client.get(reverse("cases:detail", kwargs={"pk": c.pk})).content.decode()
    assert (
        "Yes: abuse or neglect is known or suspected and the child, normally resident here, was "
        "seriously harmed outside England." in page
    )
    assert "No: not recorded as a care leaver&#x27;s death." in page
