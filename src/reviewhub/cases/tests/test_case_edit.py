"""Changing a case's basic details after it is opened, and tagging abuse categories."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviewhub.accounts.choices import AgencyKind, Role
from reviewhub.audit.models import AuditEvent
from reviewhub.cases import services
from reviewhub.cases.actions import ActionRefused
from reviewhub.cases.choices import Nature
from reviewhub.cases.models import Case, CaseAbuseCategory, Notification
from reviewhub.tests.factories import agency

from . import factories

pytestmark = pytest.mark.django_db


def edit_url(case):
    return reverse("cases:edit", kwargs={"pk": case.pk})


def form_data(case, **changes):
    data = {
        "title": case.title,
        "nature": case.nature,
        "incident_date": str(case.incident_date or ""),
        "awareness_date": str(case.awareness_date or ""),
        "others_involved": case.others_involved,
        "agencies": [link.agency_id for link in case.case_agencies.all()],
        "abuse_categories": [tag.category for tag in case.abuse_categories.all()],
    }
    data.update(changes)
    return data


def test_staff_change_the_details_and_the_audit_names_fields_only(world, login):
    c = factories.case(world.partnership, "notified", title="Child E, 2024")
    health = agency(world.partnership, "Health trust", AgencyKind.HEALTH)
    client = login(world.users[Role.BUSINESS_UNIT])
    assert client.get(edit_url(c)).status_code == 200
    response = client.post(
        edit_url(c),
        form_data(
            c,
            title="Child F, 2024",
            incident_date="2024-03-01",
            others_involved="An older sibling",
            agencies=[health.pk],
            abuse_categories=["neglect", "domestic_abuse"],
        ),
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.title == "Child F, 2024"
    assert c.incident_date == date(2024, 3, 1)
    assert c.others_involved == "An older sibling"
    assert list(c.case_agencies.values_list("agency_id", flat=True)) == [health.pk]
    assert set(c.abuse_categories.values_list("category", flat=True)) == {
        "neglect",
        "domestic_abuse",
    }
    event = AuditEvent.objects.get(action="change", object_id=str(c.pk))
    assert sorted(event.changed_fields) == [
        "abuse_categories",
        "agencies",
        "incident_date",
        "others_involved",
        "title",
    ]
    assert event.username == world.users[Role.BUSINESS_UNIT].username
    stored = f"{event.detail} {event.changed_fields}"
    assert "Child F" not in stored and "sibling" not in stored
    page = client.get(reverse("cases:detail", kwargs={"pk": c.pk})).content.decode()
    assert "Neglect, Domestic abuse context" in page
    assert "Change case details" in page


def test_saving_without_changes_writes_no_change_event(world, login):
    c = factories.case(world.partnership, "open")
    response = login(world.users[Role.BUSINESS_UNIT]).post(edit_url(c), form_data(c))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="change", object_id=str(c.pk)).exists()


def test_the_same_field_validation_applies(world, login):
    c = factories.case(world.partnership, "open")
    client = login(world.users[Role.BUSINESS_UNIT])
    page = client.post(
        edit_url(c), form_data(c, incident_date="2024-03-10", awareness_date="2024-03-01")
    ).content.decode()
    assert "cannot be before the incident date" in page
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = client.post(edit_url(c), form_data(c, incident_date=str(tomorrow))).content.decode()
    assert "The date cannot be in the future." in page
    page = client.post(edit_url(c), form_data(c, title="   ")).content.decode()
    assert "Enter a short pseudonymised title." in page
    page = client.post(edit_url(c), form_data(c, awareness_date="")).content.decode()
    assert "Enter the date the local authority became aware" in page
    page = client.post(edit_url(c), form_data(c, abuse_categories=["torture"])).content.decode()
    assert "Choose abuse categories from the list." in page
    stored = Case.objects.get(pk=c.pk)
    assert (stored.title, stored.incident_date, stored.awareness_date) == (
        c.title,
        c.incident_date,
        c.awareness_date,
    )
    assert not CaseAbuseCategory.objects.filter(case=c).exists()
    assert not AuditEvent.objects.filter(action="change", object_id=str(c.pk)).exists()


def test_awareness_cannot_move_after_the_notification(world, login):
    c = factories.case(world.partnership, "notified")  # notified 7 March 2024
    page = (
        login(world.users[Role.BUSINESS_UNIT])
        .post(edit_url(c), form_data(c, awareness_date="2024-03-09"))
        .content.decode()
    )
    assert "cannot be after the notification (07 March 2024)" in page
    assert Case.objects.get(pk=c.pk).awareness_date == date(2024, 3, 4)


def test_nature_must_stay_death_when_a_looked_after_death_was_notified(world, login):
    c = factories.case(world.partnership, "notified", nature=Nature.DEATH)
    Notification.objects.filter(case=c).update(looked_after_death=True)
    page = (
        login(world.users[Role.BUSINESS_UNIT])
        .post(edit_url(c), form_data(c, nature="serious_harm"))
        .content.decode()
    )
    assert "the nature must stay &#x27;Child death&#x27;" in page
    assert Case.objects.get(pk=c.pk).nature == Nature.DEATH


def test_the_kind_and_reference_cannot_be_changed(world, login):
    c = factories.case(world.partnership, "open")
    login(world.users[Role.BUSINESS_UNIT]).post(
        edit_url(c), form_data(c, kind="adult_sar", reference="HACK-1", title="Child Z")
    )
    stored = Case.objects.get(pk=c.pk)
    assert (stored.kind, stored.reference, stored.title) == (c.kind, c.reference, "Child Z")


def test_an_agency_of_another_partnership_is_refused(world, login):
    c = factories.case(world.partnership, "open")
    foreign = agency(world.other, "Foreign council", AgencyKind.CHILDRENS_SERVICES)
    page = (
        login(world.users[Role.BUSINESS_UNIT])
        .post(edit_url(c), form_data(c, agencies=[foreign.pk]))
        .content.decode()
    )
    assert "Select a valid choice" in page
    assert not c.case_agencies.exists()


@pytest.mark.parametrize("role", [Role.PARTNER_LEAD, Role.REVIEWER, Role.ANALYST])
def test_roles_that_may_not_change_cases_are_refused(world, login, role):
    c = world.case
    client = login(world.users[role])
    assert client.get(edit_url(c)).status_code == 403
    assert client.post(edit_url(c), form_data(c, title="Changed")).status_code == 403
    assert Case.objects.get(pk=c.pk).title == c.title
    assert AuditEvent.objects.filter(action="denied", username=world.users[role].username).exists()
    page = client.get(reverse("cases:detail", kwargs={"pk": c.pk})).content.decode()
    assert "Change case details" not in page


def test_another_partnerships_administrator_gets_404(world, login):
    c = factories.case(world.partnership, "open")
    assert login(world.outsider_admin).get(edit_url(c)).status_code == 404


def test_a_closed_case_cannot_be_changed(world, login):
    c = factories.case(world.partnership, "open", closed_on=date(2024, 5, 1))
    client = login(world.users[Role.BUSINESS_UNIT])
    page = client.post(edit_url(c), form_data(c, title="Changed")).content.decode()
    assert "The case is closed: its details cannot be changed." in page
    assert Case.objects.get(pk=c.pk).title == c.title


def test_the_service_refuses_non_staff_and_fields_outside_the_basic_details(world):
    c = factories.case(world.partnership, "open")
    with pytest.raises(ActionRefused) as refused:
        services.case_update(case=c, user=world.users[Role.PARTNER_LEAD], title="X")
    assert refused.value.failures == [
        "Only the business unit or an administrator can change a case."
    ]
    with pytest.raises(ActionRefused) as refused:
        services.case_update(case=c, user=world.users[Role.BUSINESS_UNIT], kind="adult_sar")
    assert refused.value.failures == ["These details cannot be changed here: kind."]
    with pytest.raises(ActionRefused):
        services.case_update(
            case=c, user=world.users[Role.BUSINESS_UNIT], abuse_categories=["made_up"]
        )
    assert not CaseAbuseCategory.objects.filter(case=c).exists()


def test_abuse_categories_are_recorded_when_opening_a_case(world, login):
    client = login(world.users[Role.BUSINESS_UNIT])
    response = client.post(
        reverse("cases:create"),
        {
            "kind": "child",
            "title": "Child T",
            "nature": "serious_harm",
            "awareness_date": "2024-03-04",
            "abuse_categories": ["cce", "physical"],
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(title="Child T")
    assert case.abuse_category_labels == ["Physical abuse", "Child criminal exploitation"]
    event = AuditEvent.objects.get(action="create", object_id=str(case.pk))
    assert "abuse_categories" in event.changed_fields


def test_the_register_filters_by_abuse_category(world, login):
    neglect = factories.case(world.partnership, "open", title="Neglect case")
    CaseAbuseCategory.objects.create(case=neglect, category="neglect")
    cse = factories.case(world.partnership, "open", title="CSE case")
    CaseAbuseCategory.objects.create(case=cse, category="cse")
    CaseAbuseCategory.objects.create(case=cse, category="neglect")
    client = login(world.users[Role.BUSINESS_UNIT])
    page = client.get(reverse("cases:list"), {"abuse_category": "cse"}).content.decode()
    assert cse.reference in page and neglect.reference not in page
    page = client.get(reverse("cases:list"), {"abuse_category": "neglect"}).content.decode()
    assert cse.reference in page and neglect.reference in page
    assert page.count(cse.reference) == 1  # two tags, one row
    page = client.get(reverse("cases:list"), {"abuse_category": "bogus"}).content.decode()
    assert "Select a valid choice" in page


def test_an_agency_made_inactive_stays_linked_when_other_details_change(world, login):
    old = agency(world.partnership, "Old provider", AgencyKind.HEALTH)
    c = factories.case(world.partnership, "open", agencies=[old])
    old.is_active = False
    old.save()
    client = login(world.users[Role.BUSINESS_UNIT])
    assert "Old provider" in client.get(edit_url(c)).content.decode()
    response = client.post(edit_url(c), form_data(c, title="Child Y"))
    assert response.status_code == 302
    assert list(c.case_agencies.values_list("agency_id", flat=True)) == [old.pk]


def test_the_edit_form_shows_stored_dates_in_the_date_inputs_format(world, login):
    c = factories.case(world.partnership, "open")  # aware 4 March 2024, incident 2 March
    page = login(world.users[Role.BUSINESS_UNIT]).get(edit_url(c)).content.decode()
    assert 'name="awareness_date" type="date" value="2024-03-04"' in page
    assert 'name="incident_date" type="date" value="2024-03-02"' in page
