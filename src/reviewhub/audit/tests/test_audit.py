"""The audit log is written with the change it records, and cannot be changed afterwards."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from reviewhub.accounts.choices import Role
from reviewhub.accounts.services import user_create
from reviewhub.audit import context
from reviewhub.audit.choices import AuditAction, Outcome
from reviewhub.audit.maintenance import audit_maintenance
from reviewhub.audit.models import AuditEvent
from reviewhub.audit.services import AuditUnavailable, audit_event_record, clean_text

pytestmark = pytest.mark.django_db


def test_a_write_and_its_audit_event_commit_together(world):
    before = AuditEvent.objects.count()
    user_create(
        partnership=world.partnership,
        username="newperson",
        password="a-long-enough-password-1",
        roles=[Role.ANALYST],
    )
    events = AuditEvent.objects.filter(object_type="accounts.user").order_by("id")
    assert AuditEvent.objects.count() == before + 2
    assert [e.action for e in events][-2:] == [AuditAction.CREATE, AuditAction.ROLE_CHANGE]


def test_a_failed_write_leaves_no_audit_event(world):
    before = AuditEvent.objects.count()
    with pytest.raises(IntegrityError):
        # The membership insert fails (duplicate role) after the user row was written.
        user_create(
            partnership=world.partnership,
            username=world.users[Role.ANALYST].username,
            password="a-long-enough-password-1",
            roles=[Role.ANALYST],
        )
    assert AuditEvent.objects.count() == before


def test_a_failed_audit_write_rolls_back_the_change(world, monkeypatch):
    from reviewhub.accounts.models import User

    def broken_create(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(AuditEvent.objects, "create", broken_create)
    with pytest.raises(AuditUnavailable):
        user_create(
            partnership=world.partnership,
            username="neverwritten",
            password="a-long-enough-password-1",
            roles=[Role.ANALYST],
        )
    assert not User.objects.filter(username="neverwritten").exists()


def test_audit_rows_cannot_be_updated(world):
    event = audit_event_record(action=AuditAction.VIEW, object_type="x.y", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.DELETE)
    event.refresh_from_db()
    assert event.action == AuditAction.VIEW


def test_audit_rows_cannot_be_deleted(world):
    event = audit_event_record(action=AuditAction.VIEW, object_type="x.y", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_maintenance_mode_is_the_only_way_to_delete(world):
    event = audit_event_record(action=AuditAction.VIEW, object_type="x.y", object_id="1")
    with audit_maintenance(), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert not AuditEvent.objects.filter(pk=event.pk).exists()
    other = audit_event_record(action=AuditAction.VIEW, object_type="x.y", object_id="2")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=other.pk).delete()


def test_control_characters_cannot_forge_log_lines():
    assert clean_text("bob\r\nINFO fake line\u202e", 100) == "bob  INFO fake line "


def test_event_records_who_where_and_request(world, login):
    admin = world.users[Role.ADMINISTRATOR]
    client = login(admin)
    response = client.get(reverse("audit:search"), {"username": admin.username})
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("id")
    assert event.user_id == admin.pk
    assert event.username == admin.username
    assert event.roles == Role.ADMINISTRATOR
    assert event.partnership_id == world.partnership.pk
    assert event.ip == "127.0.0.1"
    assert event.request_id == response["X-Request-ID"]
    assert event.at.utcoffset().total_seconds() == 0


def test_sign_in_failure_lockout_and_sign_out_are_audited(world, client):
    user = world.users[Role.ANALYST]
    client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, object_id=str(user.pk), outcome=Outcome.FAILURE
    ).exists()
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert "wrong" not in failed.detail
    from reviewhub.tests.factories import PASSWORD

    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, user_id=user.pk).exists()
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, user_id=user.pk).exists()


def test_who_viewed_report_shows_only_own_partnership(world, login):
    audit_event_record(
        action=AuditAction.VIEW,
        object_type="cases.case",
        object_id="7",
        partnership_id=world.other.pk,
        user=world.outsider_admin,
    )
    audit_event_record(
        action=AuditAction.VIEW,
        object_type="cases.case",
        object_id="7",
        partnership_id=world.partnership.pk,
        user=world.users[Role.BUSINESS_UNIT],
    )
    client = login(world.users[Role.ADMINISTRATOR])
    response = client.get(reverse("audit:search"), {"object_type": "cases.case", "object_id": "7"})
    page = response.context["page"]
    assert [e.partnership_id for e in page] == [world.partnership.pk]
    assert world.outsider_admin.username not in response.content.decode()


def test_audit_search_rejects_malformed_filters(world, login):
    client = login(world.users[Role.ADMINISTRATOR])
    response = client.get(reverse("audit:search"), {"object_type": "<script>", "object_id": "1"})
    assert response.status_code == 200
    assert "Enter a record type like cases.case." in response.content.decode()
    assert response.context["page"] is None


def test_outside_requests_the_context_is_empty():
    assert context.get().request_id == ""
