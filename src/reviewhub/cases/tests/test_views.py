"""Who sees what, the audit of every case page view, the forms' field errors and the register."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviewhub.accounts.choices import AgencyKind, Role
from reviewhub.audit.models import AuditEvent
from reviewhub.cases.models import Case, Child, Notification, Review
from reviewhub.tests.factories import agency, user

from . import factories

pytestmark = pytest.mark.django_db


def detail(case):
    return reverse("cases:detail", kwargs={"pk": case.pk})


@pytest.mark.parametrize(
    "role", [Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.PARTNER_LEAD, Role.REVIEWER]
)
def test_allowed_roles_see_the_case_page_and_each_view_writes_one_audit_event(world, login, role):
    client = login(world.users[role])
    before = AuditEvent.objects.filter(action="view", object_type="cases.case").count()
    response = client.get(detail(world.case))
    assert response.status_code == 200
    assert world.case.reference in response.content.decode()
    events = AuditEvent.objects.filter(action="view", object_type="cases.case")
    assert events.count() == before + 1
    event = events.latest("at")
    assert event.object_id == str(world.case.pk)
    assert event.username == world.users[role].username


def test_partner_lead_of_an_uninvolved_agency_gets_404(world, login):
    health = agency(world.partnership, "Health lead agency", AgencyKind.HEALTH)
    lead = user(world.partnership, Role.PARTNER_LEAD, agency_obj=health)
    response = login(lead).get(detail(world.case))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action="denied", object_type="cases.case", object_id=str(world.case.pk)
    ).exists()


def test_reviewer_not_assigned_gets_404(world, login):
    other_reviewer = user(world.partnership, Role.REVIEWER)
    assert login(other_reviewer).get(detail(world.case)).status_code == 404


def test_practitioner_gets_403(world, login):
    assert login(world.users[Role.PRACTITIONER]).get(detail(world.case)).status_code == 403


def test_other_partnerships_users_get_404(world, login):
    assert login(world.outsider_admin).get(detail(world.case)).status_code == 404
    assert login(world.users[Role.NATIONAL_ANALYST]).get(detail(world.case)).status_code == 403


def test_access_rule_for_cases_and_reviews(world):
    case = world.case
    other = factories.case(world.partnership, "review")  # no agencies, no reviewer
    staff = world.users[Role.BUSINESS_UNIT]
    assert set(Case.objects.restrict(staff, "view")) >= {case, other}
    assert list(Case.objects.restrict(world.users[Role.PARTNER_LEAD], "view")) == [case]
    assert list(Case.objects.restrict(world.users[Role.REVIEWER], "view")) == [case]
    assert list(Review.objects.restrict(world.users[Role.REVIEWER], "view")) == [case.review]
    assert not Review.objects.restrict(world.users[Role.PRACTITIONER], "view").exists()
    assert not Case.objects.restrict(world.users[Role.PRACTITIONER], "view").exists()
    assert not Case.objects.restrict(world.outsider_admin, "view").exists()
    # Only staff change records.
    assert not Case.objects.restrict(world.users[Role.PARTNER_LEAD], "change").exists()
    assert Case.objects.restrict(staff, "change").filter(pk=case.pk).exists()


def test_register_shows_only_what_the_rule_allows(world, login):
    case = world.case
    other = factories.case(world.partnership, "open", title="Hidden child")
    lead_page = login(world.users[Role.PARTNER_LEAD]).get(reverse("cases:list")).content.decode()
    assert case.reference in lead_page
    assert other.reference not in lead_page
    staff_page = login(world.users[Role.BUSINESS_UNIT]).get(reverse("cases:list")).content.decode()
    assert other.reference in staff_page


def test_register_filters_by_stage_type_year_agency_and_overdue(world, login):
    assert world.case.pk
    today = timezone.localdate()
    overdue = factories.case(world.partnership, "notified", awareness=today - timedelta(days=60))
    fresh = factories.case(world.partnership, "open", awareness=today)
    sar = factories.case(world.partnership, "review", kind="adult_sar", awareness=date(2021, 5, 4))
    client = login(world.users[Role.BUSINESS_UNIT])

    def refs(**params):
        page = client.get(reverse("cases:list"), params).content.decode()
        return {c.reference for c in (world.case, overdue, fresh, sar) if c.reference in page}

    assert refs(stage="rapid_review") == {overdue.reference}
    assert refs(stage="notification") == {fresh.reference}
    assert refs(review_type="sar_mandatory") == {sar.reference}
    assert refs(year="2021") == {sar.reference}
    assert refs(agency=str(world.agency.pk)) == {world.case.reference}
    assert overdue.reference in refs(overdue="on")
    assert fresh.reference not in refs(overdue="on")
    response = client.get(reverse("cases:list"), {"year": "abc"})
    assert "Enter a year, e.g. 2024." in response.content.decode()


def test_due_soon_lists_overdue_and_upcoming_steps(world, login):
    today = timezone.localdate()
    late = factories.case(world.partnership, "notified", awareness=today - timedelta(days=40))
    soon = factories.case(world.partnership, "open", awareness=today)
    later = factories.case(world.partnership, "review", awareness=today - timedelta(days=30))
    page = login(world.users[Role.BUSINESS_UNIT]).get(reverse("cases:due_soon")).content.decode()
    assert late.reference in page and "Overdue" in page
    assert soon.reference in page
    assert later.reference not in page  # LCSPR target months away


def test_open_case_refuses_awareness_before_incident_and_future_dates(world, login):
    client = login(world.users[Role.BUSINESS_UNIT])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("cases:create"),
        {
            "kind": "child",
            "title": "Child Q",
            "nature": "death",
            "incident_date": "2024-03-10",
            "awareness_date": "2024-03-01",
        },
    )
    assert response.status_code == 200
    assert "cannot be before the incident date" in response.content.decode()
    response = client.post(
        reverse("cases:create"),
        {"kind": "child", "title": "Child Q", "nature": "death", "awareness_date": str(tomorrow)},
    )
    assert "The date cannot be in the future." in response.content.decode()
    assert not Case.objects.filter(title="Child Q").exists()


def test_open_case_gives_a_partnership_reference_and_audits(world, login):
    client = login(world.users[Role.BUSINESS_UNIT])
    response = client.post(
        reverse("cases:create"),
        {
            "kind": "child",
            "title": "Child R",
            "nature": "serious_harm",
            "incident_date": "2024-03-01",
            "awareness_date": "2024-03-04",
            "agencies": [world.agency.pk],
        },
    )
    case = Case.objects.get(title="Child R")
    assert response.status_code == 302
    assert case.reference == "NTP-2024-001"
    assert case.case_agencies.get().agency == world.agency
    assert AuditEvent.objects.filter(action="create", object_id=str(case.pk)).exists()


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"age_years": "-1"}, "An age cannot be negative"),
        ({"age_years": "25"}, "Enter an age from 0 to 24 years"),
        ({"age_years": "3", "age_months": "4"}, "Give months only for a baby"),
        ({"unborn": "on", "age_years": "0"}, "An unborn child has no age"),
    ],
)
def test_child_form_refuses_impossible_ages(world, login, data, field_error):
    case = factories.case(world.partnership, "open")
    url = reverse("cases:step_child", kwargs={"pk": case.pk})
    response = login(world.users[Role.BUSINESS_UNIT]).post(
        url,
        {
            "label": "Child B",
            "sex": "female",
            "ethnicity": "WBRI",
            "disability": "no",
            "plan": "cp",
            "known_to_agencies": "yes",
            **data,
        },
    )
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not Child.objects.filter(case=case, label="Child B").exists()


def test_review_completion_before_start_is_refused(world, login):
    case = factories.case(world.partnership, "review")
    url = reverse("cases:step_review_complete", kwargs={"pk": case.pk})
    day_before = case.review.started_on - timedelta(days=1)
    response = login(world.users[Role.BUSINESS_UNIT]).post(url, {"completed_on": str(day_before)})
    assert "The completion date cannot be before the start date." in response.content.decode()
    case.review.refresh_from_db()
    assert case.review.completed_on is None


def test_notification_before_awareness_is_refused(world, login):
    case = factories.case(world.partnership, "open", awareness=date(2024, 3, 4))
    url = reverse("cases:step_notify", kwargs={"pk": case.pk})
    response = login(world.users[Role.BUSINESS_UNIT]).post(
        url, {"notified_on": "2024-03-01", "notifier": "Head of service"}
    )
    assert "cannot be before the local authority became aware" in response.content.decode()
    assert not Notification.objects.filter(case=case).exists()


def test_a_refused_step_page_says_which_condition_failed(world, login):
    case = factories.case(world.partnership, "open")
    url = reverse("cases:step_rapid_review", kwargs={"pk": case.pk})
    response = login(world.users[Role.BUSINESS_UNIT]).post(url, {"started_on": "2024-03-05"})
    assert response.status_code == 200
    assert "There is no serious incident notification" in response.content.decode()


def test_partner_lead_cannot_open_a_step_form_other_than_sign_off(world, login):
    url = reverse("cases:step_notify", kwargs={"pk": world.case.pk})
    assert login(world.users[Role.PARTNER_LEAD]).get(url).status_code == 403


def test_partner_lead_of_an_uninvolved_agency_cannot_reach_the_sign_off_form(world, login):
    health = agency(world.partnership, "Another ICB", AgencyKind.HEALTH)
    lead = user(world.partnership, Role.PARTNER_LEAD, agency_obj=health)
    url = reverse("cases:step_sign_off", kwargs={"pk": world.case.pk})
    assert login(lead).get(url).status_code == 404


def test_step_post_writes_the_record_and_one_transition(world, login):
    case = factories.case(world.partnership, "open", awareness=date(2024, 3, 4))
    client = login(world.users[Role.BUSINESS_UNIT])
    response = client.post(
        reverse("cases:step_notify", kwargs={"pk": case.pk}),
        {
            "notified_on": "2024-03-08",
            "notifier": "Head of service",
            "abuse_suspected": "on",
            "incident_place": "in_area",
            "under_s16c": "on",
        },
    )
    assert response.status_code == 302
    assert Notification.objects.get(case=case).notified_on == date(2024, 3, 8)
    assert AuditEvent.objects.filter(action="transition", object_id=str(case.pk)).count() == 1


def test_case_page_says_what_the_case_waits_for_and_why(world, login):
    case = factories.case(world.partnership, "completed", hold=True)
    page = login(world.users[Role.BUSINESS_UNIT]).get(detail(case)).content.decode()
    assert "Waiting for" in page and "Record publication." in page
    assert "Publication is refused while a criminal-proceedings hold is active" in page


def test_an_agency_of_another_partnership_is_refused(world, login):
    foreign = agency(world.other, "Southshire Police")
    response = login(world.users[Role.BUSINESS_UNIT]).post(
        reverse("cases:create"),
        {
            "kind": "child",
            "title": "Child S",
            "nature": "death",
            "awareness_date": "2024-03-04",
            "agencies": [foreign.pk],
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Case.objects.filter(title="Child S").exists()


def test_a_partner_lead_sign_off_through_the_form(world, login):
    case = factories.case(world.partnership, "decision", agencies=[world.agency])
    url = reverse("cases:step_sign_off", kwargs={"pk": case.pk})
    client = login(world.users[Role.PARTNER_LEAD])
    page = client.get(url).content.decode()
    assert 'value="police"' in page and 'value="la"' not in page
    response = client.post(url, {"partner": "la", "signed_by": "x", "signed_on": "2024-04-01"})
    assert "Select a valid choice" in response.content.decode()
    response = client.post(
        url, {"partner": "police", "signed_by": "Chief Constable", "signed_on": "2024-04-01"}
    )
    assert response.status_code == 302
    assert case.decision.sign_offs.get().partner == "police"
