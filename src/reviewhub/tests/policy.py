"""The access policy table: every URL name, who may use it and how.

The permission battery (test_permission_battery.py) requests every URL of the URLconf as every
role and checks the answer against this table. A URL that is not in the table fails the battery,
so nobody can add a page without deciding who may see it.
"""

from dataclasses import dataclass, field

from reviewhub.accounts.choices import Role
from reviewhub.learning.tests.factories import learning_world

ALL = frozenset(Role.values)
CASE_STAFF = frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR})
LEARNING_STAFF = frozenset({Role.ANALYST, Role.BUSINESS_UNIT, Role.ADMINISTRATOR})
ANALYST = frozenset({Role.ANALYST})
TAXONOMY_READERS = frozenset({Role.ADMINISTRATOR, Role.ANALYST})
ADMIN = frozenset({Role.ADMINISTRATOR})


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
    # Learning: every role reads (published points at least); analysts code; admins edit themes.
    "learning:point_list": Rule(get=ALL),
    "learning:point_create": Rule(get=LEARNING_STAFF, post=LEARNING_STAFF),
    "learning:point_detail": Rule(get=ALL, kwargs=lambda w: {"pk": learning_world(w).published.pk}),
    "learning:point_publish": Rule(
        post=LEARNING_STAFF,
        kwargs=lambda w: {"pk": learning_world(w).unpublished.pk},
        ok=frozenset({302}),
    ),
    "learning:coding_start": Rule(get=ANALYST, ok=frozenset({200, 302})),
    "learning:coding_point": Rule(
        get=ANALYST, kwargs=lambda w: {"pk": learning_world(w).unpublished.pk}
    ),
    "learning:coding_change": Rule(
        post=ANALYST,
        kwargs=lambda w: {"pk": learning_world(w).unpublished.pk},
        ok=frozenset({302}),
    ),
    "learning:coding_suggest": Rule(
        post=ANALYST,
        kwargs=lambda w: {"pk": learning_world(w).unpublished.pk},
        ok=frozenset({302}),
    ),
    "learning:coding_complete": Rule(
        post=ANALYST,
        kwargs=lambda w: {"pk": learning_world(w).unpublished.pk},
        ok=frozenset({200, 302}),
    ),
    "learning:taxonomy": Rule(get=TAXONOMY_READERS),
    "learning:taxonomy_export": Rule(get=TAXONOMY_READERS),
    "learning:taxonomy_import": Rule(get=ADMIN, post=ADMIN),
    "learning:taxonomy_version": Rule(
        get=TAXONOMY_READERS, kwargs=lambda w: {"pk": learning_world(w).version.pk}
    ),
    "learning:theme_create": Rule(get=ADMIN, post=ADMIN),
    "learning:theme_edit": Rule(
        get=ADMIN, post=ADMIN, kwargs=lambda w: {"pk": learning_world(w).theme.pk}
    ),
    "learning:theme_retire": Rule(
        post=ADMIN, kwargs=lambda w: {"pk": learning_world(w).theme.pk}, ok=frozenset({302})
    ),
    "learning:theme_delete": Rule(
        post=ADMIN, kwargs=lambda w: {"pk": learning_world(w).theme.pk}, ok=frozenset({302})
    ),
    "learning:exercise_list": Rule(get=ANALYST),
    "learning:exercise_create": Rule(get=ANALYST, post=ANALYST),
    "learning:exercise_detail": Rule(
        get=ANALYST, kwargs=lambda w: {"pk": learning_world(w).exercise.pk}
    ),
    "learning:exercise_code": Rule(
        get=ANALYST,
        post=ANALYST,
        kwargs=lambda w: {
            "pk": learning_world(w).exercise.pk,
            "point_pk": learning_world(w).blind_point.pk,
        },
    ),
    "learning:exercise_finish": Rule(
        post=ANALYST, kwargs=lambda w: {"pk": learning_world(w).exercise.pk}, ok=frozenset({302})
    ),
    "learning:exercise_agreement": Rule(
        get=ANALYST, kwargs=lambda w: {"pk": learning_world(w).exercise.pk}
    ),
    "learning:exercise_settle_agreed": Rule(
        post=ANALYST, kwargs=lambda w: {"pk": learning_world(w).exercise.pk}, ok=frozenset({302})
    ),
    "learning:exercise_settle": Rule(
        post=ANALYST,
        kwargs=lambda w: {
            "pk": learning_world(w).exercise.pk,
            "point_pk": learning_world(w).blind_point.pk,
        },
        ok=frozenset({302}),
    ),
}
