"""The access policy table: every URL name, who may use it and how.

The permission battery (test_permission_battery.py) requests every URL of the URLconf as every
role and checks the answer against this table. A URL that is not in the table fails the battery,
so nobody can add a page without deciding who may see it.
"""

from dataclasses import dataclass, field

from reviewhub.accounts.choices import Role

ALL = frozenset(Role.values)
CASE_STAFF = frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Rule:
    """Who may call one URL.

    ``get``/``post``: roles allowed that method (empty = method not offered to anyone).
    ``public``: reachable without signing in. ``kwargs``: builds URL arguments from the test world.
    ``ok``: statuses an allowed role may get.
    """

    get: frozenset = frozenset()
    post: frozenset = frozenset()
    public: bool = False
    kwargs: object = None
    ok: frozenset = field(default_factory=lambda: frozenset({200}))
    api: bool = False


POLICY: dict[str, Rule] = {
    "home": Rule(get=ALL),
    "health": Rule(get=ALL, public=True),
    "accounts:login": Rule(get=ALL, post=ALL, public=True, ok=frozenset({200, 302})),
    "accounts:logout": Rule(post=ALL, ok=frozenset({302})),
    "accounts:partnership_switch": Rule(post=ALL, ok=frozenset({302, 404})),
    "accounts:user_list": Rule(get=frozenset({Role.ADMINISTRATOR})),
    "accounts:user_create": Rule(
        get=frozenset({Role.ADMINISTRATOR}), post=frozenset({Role.ADMINISTRATOR})
    ),
    "accounts:user_deactivate": Rule(
        post=frozenset({Role.ADMINISTRATOR}),
        kwargs=lambda w: {"pk": w.users[Role.PRACTITIONER].pk},
        ok=frozenset({302}),
    ),
    "audit:search": Rule(get=frozenset({Role.ADMINISTRATOR})),
    "search:search": Rule(get=ALL),
    "api_tokens:list": Rule(get=ALL, post=ALL),
    "api_tokens:revoke": Rule(post=ALL, kwargs=lambda w: {"pk": 999999}, ok=frozenset({404})),
    # API endpoints: token authentication only (see test_api.py for per-role token checks).
    "openapi": Rule(get=ALL, public=True),
    "api:me": Rule(get=ALL, api=True),
    # Ninja's bare root: nothing is served there (no docs page), for anyone.
    "api:api-root": Rule(get=ALL, public=True, api=True, ok=frozenset({404})),
}
