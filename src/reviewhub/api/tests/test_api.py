"""Personal API tokens and the API's authentication and error shapes."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviewhub.accounts.choices import Role
from reviewhub.api.models import ApiToken
from reviewhub.api.services import api_token_create, api_token_revoke
from reviewhub.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def bearer(token):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_token_is_stored_hashed_and_shown_once(world, login):
    user = world.users[Role.ANALYST]
    client = login(user)
    response = client.post(reverse("api_tokens:list"), {"name": "script", "days": 30})
    plain = response.context["created"]
    assert plain.startswith("rh_")
    stored = ApiToken.objects.get(user=user)
    assert plain not in (stored.hashed, stored.prefix)
    again = client.get(reverse("api_tokens:list")).content.decode()
    assert plain not in again
    assert AuditEvent.objects.filter(object_type="api.apitoken", action="create").exists()


def test_token_acts_as_its_user(world):
    user = world.users[Role.ANALYST]
    _, plain = api_token_create(user=user, name="t")
    body = bearer(plain).get(ME).json()
    assert body["username"] == user.username
    assert body["roles"] == [Role.ANALYST]
    assert body["partnership_id"] == world.partnership.pk


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer rh_nothing", "Bearer rh_" + "a" * 300, "Basic YWRtaW46YWRtaW4="],
)
def test_missing_or_bad_tokens_get_401_and_no_data(world, header):
    response = Client(HTTP_AUTHORIZATION=header).get(ME)
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


def test_revoked_expired_and_disabled_tokens_stop_working(world):
    user = world.users[Role.ANALYST]
    token, plain = api_token_create(user=user, name="t")
    assert bearer(plain).get(ME).status_code == 200
    api_token_revoke(user=user, token_id=token.pk)
    assert bearer(plain).get(ME).status_code == 401

    token2, plain2 = api_token_create(user=user, name="t2")
    ApiToken.objects.filter(pk=token2.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(plain2).get(ME).status_code == 401

    _, plain3 = api_token_create(user=user, name="t3")
    user.is_active = False
    user.save()
    assert bearer(plain3).get(ME).status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(world, login):
    owner = world.users[Role.ANALYST]
    token, plain = api_token_create(user=owner, name="t")
    other = login(world.users[Role.BUSINESS_UNIT])
    response = other.post(reverse("api_tokens:revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 404
    assert bearer(plain).get(ME).status_code == 200


def test_token_form_rejects_bad_input(world, login):
    client = login(world.users[Role.ANALYST])
    response = client.post(reverse("api_tokens:list"), {"name": "", "days": 9999})
    assert response.status_code == 200
    assert response.context["created"] is None
    assert not ApiToken.objects.exists()


def test_token_lifetime_is_bounded(world):
    with pytest.raises(ValueError):
        api_token_create(user=world.users[Role.ANALYST], name="t", days=366)


def test_openapi_schema_is_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "ReviewHub API"
    assert "/api/v1/me" in schema["paths"]
