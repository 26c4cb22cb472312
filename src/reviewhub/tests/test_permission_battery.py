"""Every URL, as every role and anonymously, against the policy table (reliability plan D1)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reviewhub.accounts.choices import Role

from .policy import POLICY, policy_url

pytestmark = pytest.mark.django_db

IGNORED_PREFIXES = ("static/",)


def url_names(resolver=None, namespace=""):
    """List the names of every URL pattern, with namespaces, walking includes."""
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            prefix = f"{namespace}{ns}:" if ns else namespace
            names.extend(url_names(entry, prefix))
        elif isinstance(entry, URLPattern):
            if str(entry.pattern).startswith(IGNORED_PREFIXES):
                continue
            names.append(f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed>")
    return names


def missing_from_policy(names, policy) -> list[str]:
    return sorted(set(names) - set(policy))


def test_every_url_has_a_policy_entry():
    assert missing_from_policy(url_names(), POLICY) == []


def test_battery_fails_for_a_url_missing_from_the_policy():
    assert missing_from_policy(url_names() + ["cases:secret_new_page"], POLICY) == [
        "cases:secret_new_page"
    ]


def test_policy_has_no_stale_entries():
    assert sorted(set(POLICY) - set(url_names())) == []


def _url(name, world):
    return policy_url(name, world)


def _api_methods(rule):
    return (("get", rule.get), ("post", rule.post), ("patch", rule.patch))


def _api_call(client, method, url, body):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.mark.parametrize("name", sorted(POLICY))
def test_anonymous_gets_only_public_urls(client, world, name):
    rule = POLICY[name]
    url = _url(name, world)
    if rule.api and not rule.public:
        # The API has no session or cookie authentication: without a token, 401 and no data,
        # whichever method the endpoint offers.
        body = rule.body(world) if rule.body else {"learned": "x"}
        for method, allowed in _api_methods(rule):
            if not allowed:
                continue
            response = _api_call(client, method, url, body)
            assert response.status_code == 401, (name, method, response.status_code)
            assert response.json() == {
                "detail": "A valid API token is required (Authorization: Bearer ...)."
            }
        return
    for method in ("get", "post"):
        allowed = rule.get if method == "get" else rule.post
        response = getattr(client, method)(url)
        if rule.public and allowed:
            assert response.status_code in rule.ok | {302}, (name, method)
        elif not allowed:
            assert response.status_code in {302, 403, 404, 405}, (
                name,
                method,
                response.status_code,
            )
        else:
            assert response.status_code == 302, (name, method, response.status_code)
            assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", sorted(r for r in Role.values))
@pytest.mark.parametrize("name", sorted(POLICY))
def test_each_role_reaches_exactly_what_the_policy_allows(world, login, role, name):
    rule = POLICY[name]
    url = _url(name, world)
    if rule.api:
        from django.test import Client

        from reviewhub.api.services import api_token_create

        _, token = api_token_create(user=world.users[role], name="battery")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        body = rule.body(world) if rule.body else {"learned": "x"}
        for method, allowed in _api_methods(rule):
            response = _api_call(client, method, url, body)
            if role in allowed:
                expected = rule.ok
            elif allowed:
                expected = {403, 404}
            else:
                expected = {404, 405}  # the method is not offered at all
            assert response.status_code in expected, (name, role, method, response.status_code)
        return
    client = login(world.users[role])
    for method, allowed in (("get", rule.get), ("post", rule.post)):
        response = getattr(client, method)(url)
        if role in allowed:
            assert response.status_code in rule.ok | {400}, (name, role, method)
        elif allowed or method == "get":
            assert response.status_code in {403, 404, 405}, (
                name,
                role,
                method,
                response.status_code,
            )
        else:
            assert response.status_code == 405, (name, role, method, response.status_code)
