"""The weekly digest's content, the refused concurrent edit through the web form, and the
neutralised CSV export of the action plan."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from reviewhub.accounts.choices import AgencyKind, Role
from reviewhub.actions import services
from reviewhub.actions.digest import digest_send
from reviewhub.actions.models import Action
from reviewhub.tests.factories import agency, user

from .factories import action, recommendation

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 3)


def test_the_digest_sends_each_lead_only_their_agencys_overdue_and_soon_due_open_actions(world):
    rec = recommendation(world.partnership)
    bu = world.users[Role.BUSINESS_UNIT]
    lead = world.users[Role.PARTNER_LEAD]
    lead.email = "police.lead@example.org"
    lead.save()
    health = world.other_agency
    health_lead = user(
        world.partnership,
        Role.PARTNER_LEAD,
        agency_obj=health,
        username="health-lead",
        email="health.lead@example.org",
    )
    overdue = action(
        rec, world.agency, title="Audit DV referrals", target_date=TODAY - timedelta(days=5)
    )
    soon = action(
        rec, world.agency, title="Train call handlers", target_date=TODAY + timedelta(days=14)
    )
    action(rec, world.agency, title="Later work", target_date=TODAY + timedelta(days=15))
    done = action(rec, world.agency, title="Finished work", target_date=TODAY - timedelta(days=9))
    services.evidence_add(action=done, user=bu, kind="audit", summary="Done")
    done.refresh_from_db()
    services.action_complete(action=done, user=bu, completed_on=date(2025, 2, 1))
    action(rec, health, title="Health overdue", target_date=TODAY - timedelta(days=1))
    # A lead with nothing due gets nothing.
    user(
        world.partnership,
        Role.PARTNER_LEAD,
        agency_obj=agency(world.partnership, "Education", AgencyKind.EDUCATION),
        email="edu@example.org",
    )

    sent = digest_send(today=TODAY)

    assert sorted(m.to[0] for m in mail.outbox) == [health_lead.email, lead.email]
    police = next(m for m in mail.outbox if m.to == [lead.email])
    assert "1 overdue and 1 soon-due" in police.subject
    body = police.body
    overdue_part, soon_part = body.split("Due within 14 days")
    assert (
        f"{overdue.title} (Northshire Police; target 26 February 2025, 5 days overdue; RAG red"
        in overdue_part
    )
    assert f"{soon.title} (Northshire Police; target 17 March 2025, due in 14 days" in soon_part
    for absent in ("Later work", "Finished work", "Health overdue"):
        assert absent not in body
    health_mail = next(m for m in mail.outbox if m.to == [health_lead.email])
    assert "Health overdue" in health_mail.body and "Audit DV" not in health_mail.body
    assert len(sent) == 2


def test_digest_dry_run_sends_nothing(world, capsys):
    rec = recommendation(world.partnership)
    lead = world.users[Role.PARTNER_LEAD]
    lead.email = "lead@example.org"
    lead.save()
    action(rec, world.agency, target_date=date(2000, 1, 1))
    call_command("actions", "digest", "--dry-run")
    out = capsys.readouterr().out
    assert "Would send to lead@example.org: 1 overdue" in out
    assert mail.outbox == []
    call_command("actions", "digest")
    assert len(mail.outbox) == 1


def _edit_post(a, **overrides):
    data = {
        "title": a.title,
        "description": "",
        "lead_agency": a.lead_agency_id,
        "lead_officer": "",
        "target_date": "2030-01-01",
        "status": "in_progress",
        "progress_percent": "10",
        "agency_response": "",
        "rag_override": "",
        "rag_override_reason": "",
        "version": a.version,
    }
    data.update(overrides)
    return data


def test_the_second_web_save_from_a_stale_form_is_refused_with_a_message_to_reload(world, login):
    rec = recommendation(world.partnership)
    a = action(rec, world.agency)
    url = reverse("actions:edit", kwargs={"pk": a.pk})
    lead = login(world.users[Role.PARTNER_LEAD])
    stale = _edit_post(a, progress_percent="60")
    response = lead.post(url, stale)
    assert response.status_code == 302
    manager = login(world.users[Role.BUSINESS_UNIT])
    response = manager.post(url, _edit_post(a, agency_response="Mine wins?"))
    assert response.status_code == 200
    assert (
        "changed by someone else since you opened it: reload the page" in response.content.decode()
    )
    fresh = Action.objects.get(pk=a.pk)
    assert (fresh.progress_percent, fresh.agency_response) == (60, "")


def test_the_edit_form_refuses_an_override_without_a_reason(world, login):
    rec = recommendation(world.partnership)
    a = action(rec, world.agency)
    client = login(world.users[Role.BUSINESS_UNIT])
    response = client.post(
        reverse("actions:edit", kwargs={"pk": a.pk}), _edit_post(a, rag_override="green")
    )
    assert response.status_code == 200
    assert "Give a reason for setting the RAG status by hand." in response.content.decode()
    assert Action.objects.get(pk=a.pk).rag_override == ""


def test_the_csv_action_plan_neutralises_formula_cells(world, login):
    rec = recommendation(world.partnership, text='=HYPERLINK("http://x","click")')
    action(rec, world.agency, title="+SUM(A1:A2)", lead_officer="@officer", agency_response="-1+1")
    client = login(world.users[Role.BUSINESS_UNIT])
    response = client.get(reverse("actions:export", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert '"\'+SUM(A1:A2)"' in text
    assert '"\'@officer"' in text
    assert '"\'-1+1"' in text
    assert "=HYPERLINK" in text and ',"=HYPERLINK' not in text and "\"'R" not in text
    response = client.get(reverse("actions:export", kwargs={"fmt": "xlsx"}))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_the_action_list_shows_the_chase_lists_to_a_partner_lead(world, login):
    rec = recommendation(world.partnership)
    action(rec, world.agency, title="Our overdue action", target_date=date(2001, 1, 1))
    action(rec, world.other_agency, title="Not ours", target_date=date(2001, 1, 1))
    client = login(world.users[Role.PARTNER_LEAD])
    page = client.get(reverse("actions:list")).content.decode()
    assert "Our overdue action" in page and "Not ours" not in page


def test_the_edit_form_shows_the_target_date_in_the_format_it_accepts(world, login):
    a = action(recommendation(world.partnership), world.agency, target_date=date(2030, 1, 31))
    client = login(world.users[Role.PARTNER_LEAD])
    page = client.get(reverse("actions:edit", kwargs={"pk": a.pk})).content.decode()
    assert 'value="2030-01-31"' in page
