"""Sign-in, lockout, sessions, menus by role, and partnership isolation."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from reviewhub.accounts.access import partnerships_with, role_map
from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import User
from reviewhub.audit.models import AuditEvent
from reviewhub.navigation import items_for
from reviewhub.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _fail(client, username, times):
    for _ in range(times):
        client.post(reverse("accounts:login"), {"username": username, "password": "nope-nope"})


def test_lockout_is_per_username_and_address(world, settings):
    user = world.users[Role.ANALYST]
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    _fail(attacker, user.username, settings.AXES_FAILURE_LIMIT)
    locked = attacker.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert AuditEvent.objects.filter(action="lockout").exists()
    # The real user, from their own address, still signs in.
    own = Client(REMOTE_ADDR="198.51.100.20")
    ok = own.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert ok.status_code == 302
    assert ok["Location"] == reverse("home")


def test_unknown_user_and_wrong_password_get_the_same_message(world, client):
    a = client.post(reverse("accounts:login"), {"username": "nobody", "password": "x" * 12})
    b = client.post(
        reverse("accounts:login"),
        {"username": world.users[Role.ANALYST].username, "password": "x" * 12},
    )
    assert a.status_code == b.status_code == 200
    assert "Enter a correct username and password." in a.content.decode()
    assert "Enter a correct username and password." in b.content.decode()


def test_login_rotates_the_session_and_logout_ends_it(world):
    client = Client()
    client.get(reverse("accounts:login"))
    client.cookies["sessionid"] = "attacker-chosen-session-key"
    user = world.users[Role.ANALYST]
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    key = client.cookies["sessionid"].value
    assert key != "attacker-chosen-session-key"
    client.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get(reverse("home")).status_code == 302


def test_idle_session_expires(world, login, settings, monkeypatch):
    client = login(world.users[Role.ANALYST])
    assert client.get(reverse("home")).status_code == 200
    later = time.time() + settings.SESSION_IDLE_TIMEOUT + 5
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "expired=1" in response["Location"]


def test_deactivated_user_is_signed_out_everywhere(world, login):
    target = world.users[Role.PRACTITIONER]
    victim_client = login(target)
    admin = login(world.users[Role.ADMINISTRATOR])
    response = admin.post(reverse("accounts:user_deactivate", kwargs={"pk": target.pk}))
    assert response.status_code == 302
    assert victim_client.get(reverse("home")).status_code == 302
    target.refresh_from_db()
    assert target.is_active is False


def test_admin_cannot_touch_users_of_another_partnership(world, login):
    admin = login(world.users[Role.ADMINISTRATOR])
    outsider = world.outsider_admin
    response = admin.post(reverse("accounts:user_deactivate", kwargs={"pk": outsider.pk}))
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active is True
    listing = admin.get(reverse("accounts:user_list")).content.decode()
    assert outsider.username not in listing


@pytest.mark.parametrize(
    "role,expected",
    [
        (Role.ADMINISTRATOR, ["Home", "Audit", "Users"]),
        (Role.PRACTITIONER, ["Home"]),
        (Role.ANALYST, ["Home"]),
    ],
)
def test_menus_follow_roles(role, expected):
    labels = [i["label"] for i in items_for({role})]
    for label in expected:
        assert label in labels
    if role != Role.ADMINISTRATOR:
        assert "Audit" not in labels and "Users" not in labels


def test_home_page_shows_only_the_roles_menu(world, login):
    page = login(world.users[Role.PRACTITIONER]).get(reverse("home")).content.decode()
    assert reverse("audit:search") not in page
    page = login(world.users[Role.ADMINISTRATOR]).get(reverse("home")).content.decode()
    assert reverse("audit:search") in page


def test_role_map_scopes_to_memberships(world):
    analyst = world.users[Role.ANALYST]
    assert role_map(analyst) == {world.partnership.pk: frozenset({Role.ANALYST})}
    assert partnerships_with(analyst, [Role.ADMINISTRATOR]) == []


def test_switching_to_a_partnership_without_a_role_is_refused(world, login):
    client = login(world.users[Role.ANALYST])
    response = client.post(reverse("accounts:partnership_switch"), {"partnership": world.other.pk})
    assert response.status_code == 404


def test_user_form_rejects_weak_and_hostile_input(world, login):
    client = login(world.users[Role.ADMINISTRATOR])
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "../etc/passwd",
            "first_name": "A",
            "last_name": "B",
            "email": "not-an-email",
            "roles": [Role.PARTNER_LEAD],
            "password": "password",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Use 3 to 150 letters" in body
    assert "A partner lead acts for an agency" in body
    assert "This password is too short" in body
    assert not User.objects.filter(email="not-an-email").exists()


def test_mass_assignment_of_staff_flags_is_ignored(world, login):
    client = login(world.users[Role.ADMINISTRATOR])
    client.post(
        reverse("accounts:user_create"),
        {
            "username": "newbie",
            "first_name": "New",
            "last_name": "Person",
            "email": "new@example.org",
            "roles": [Role.ANALYST],
            "password": "a-very-long-unusual-passphrase-7",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    created = User.objects.get(username="newbie")
    assert created.is_staff is False and created.is_superuser is False


def test_signed_in_pages_are_not_cached_and_carry_security_headers(world, login):
    response = login(world.users[Role.ANALYST]).get(reverse("home"))
    assert response["Cache-Control"] == "no-store"
    csp = response["Content-Security-Policy"]
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.content.decode()


def test_state_changes_need_a_csrf_token(world, login):
    client = login(world.users[Role.ADMINISTRATOR], enforce_csrf_checks=True)
    target = world.users[Role.PRACTITIONER]
    response = client.post(reverse("accounts:user_deactivate", kwargs={"pk": target.pk}))
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active


def test_administrators_manage_teams_in_their_partnership_only(world, login):
    from reviewhub.accounts.models import Team
    from reviewhub.audit.models import AuditEvent

    client = login(world.users[Role.ADMINISTRATOR])
    member = world.users[Role.PRACTITIONER]
    response = client.post(
        reverse("accounts:team_list"),
        {"name": "  Health   visiting ", "agency": world.agency.pk, "members": [member.pk]},
    )
    assert response.status_code == 302
    team = Team.objects.get(partnership=world.partnership)
    assert team.name == "Health visiting" and list(team.members.all()) == [member]
    assert AuditEvent.objects.filter(object_type="accounts.team", action="create").exists()
    clash = client.post(reverse("accounts:team_list"), {"name": "health visiting"})
    assert "already a team with that name" in clash.content.decode()
    outsider = client.post(
        reverse("accounts:team_list"), {"name": "Other", "members": [world.outsider_admin.pk]}
    )
    assert outsider.status_code == 200 and Team.objects.count() == 1
    other_team = Team.objects.create(partnership=world.other, name="Theirs")
    assert (
        client.get(reverse("accounts:team_edit", kwargs={"pk": other_team.pk})).status_code == 404
    )
