"""The access policy table: every URL name, who may use it and how.

The permission battery (test_permission_battery.py) requests every URL of the URLconf as every
role and checks the answer against this table. A URL that is not in the table fails the battery,
so nobody can add a page without deciding who may see it.
"""

from dataclasses import dataclass, field

from reviewhub.accounts.choices import Role
from reviewhub.actions.tests.factories import action_world
from reviewhub.learning.tests.factories import learning_world

ALL = frozenset(Role.values)
CASE_STAFF = frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR})
DOC_EDITORS = frozenset({Role.BUSINESS_UNIT, Role.ANALYST, Role.ADMINISTRATOR})
BRIEFING_AUTHORS = frozenset({Role.ANALYST, Role.BUSINESS_UNIT, Role.ADMINISTRATOR})
CASE_READERS = CASE_STAFF | {Role.PARTNER_LEAD, Role.REVIEWER, Role.ANALYST}
LEARNING_STAFF = frozenset({Role.ANALYST, Role.BUSINESS_UNIT, Role.ADMINISTRATOR})
ANALYST = frozenset({Role.ANALYST})
TAXONOMY_READERS = frozenset({Role.ADMINISTRATOR, Role.ANALYST})
ADMIN = frozenset({Role.ADMINISTRATOR})
ACTION_READERS = frozenset(
    {Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST, Role.PARTNER_LEAD}
)
ACTION_EDITORS = frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.PARTNER_LEAD})
SIGN_OFF = frozenset({Role.BUSINESS_UNIT})
REPORT_AUTHORS = frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST})


@dataclass(frozen=True)
class Rule:
    """Who may call one URL.

    ``get``/``post``/``patch``: roles allowed that method (empty = method not offered to anyone;
    only API endpoints offer PATCH). ``public``: reachable without signing in. ``kwargs``: builds
    URL arguments from the test world. ``ok``: statuses an allowed role may get. ``api``: token
    authentication; ``body`` builds the JSON body an allowed role sends (default
    ``{"learned": "x"}``). ``query``: a query string the URL needs (e.g. search words).
    """

    get: frozenset = frozenset()
    post: frozenset = frozenset()
    public: bool = False
    kwargs: object = None
    ok: frozenset = field(default_factory=lambda: frozenset({200}))
    api: bool = False
    patch: frozenset = frozenset()
    body: object = None
    query: str = ""


POLICY: dict[str, Rule] = {
    # Actions: the business unit, administrators and analysts read all; partner leads read and
    # edit their agency's (the world's action is led by the partner lead's agency); only the
    # business unit signs off and reopens. Invalid (empty) form posts answer 200.
    "actions:list": Rule(get=ACTION_READERS),
    "actions:export": Rule(get=ACTION_READERS, kwargs=lambda w: {"fmt": "csv"}),
    "actions:recommendation": Rule(
        get=ACTION_READERS, kwargs=lambda w: {"pk": action_world(w).recommendation.pk}
    ),
    "actions:create": Rule(
        get=CASE_STAFF,
        post=CASE_STAFF,
        kwargs=lambda w: {"pk": action_world(w).recommendation.pk},
    ),
    "actions:detail": Rule(get=ACTION_READERS, kwargs=lambda w: {"pk": action_world(w).action.pk}),
    "actions:edit": Rule(
        get=ACTION_EDITORS, post=ACTION_EDITORS, kwargs=lambda w: {"pk": action_world(w).action.pk}
    ),
    "actions:milestone_add": Rule(
        post=ACTION_EDITORS, kwargs=lambda w: {"pk": action_world(w).action.pk}
    ),
    "actions:milestone_done": Rule(
        post=ACTION_EDITORS,
        kwargs=lambda w: {
            "pk": action_world(w).action.pk,
            "milestone_pk": action_world(w).milestone.pk,
        },
        ok=frozenset({302}),
    ),
    "actions:evidence_add": Rule(
        post=ACTION_EDITORS, kwargs=lambda w: {"pk": action_world(w).action.pk}
    ),
    "actions:evidence_download": Rule(
        get=ACTION_READERS, kwargs=lambda w: {"pk": action_world(w).evidence.pk}
    ),
    "actions:complete": Rule(post=SIGN_OFF, kwargs=lambda w: {"pk": action_world(w).action.pk}),
    "actions:reopen": Rule(post=SIGN_OFF, kwargs=lambda w: {"pk": action_world(w).action.pk}),
    "reports:dashboard": Rule(get=ACTION_READERS),
    "reports:yearly": Rule(get=REPORT_AUTHORS),
    "reports:yearly_narrative": Rule(
        get=REPORT_AUTHORS, post=REPORT_AUTHORS, ok=frozenset({200, 302})
    ),
    "reports:yearly_download": Rule(get=REPORT_AUTHORS, kwargs=lambda w: {"fmt": "csv"}),
    "reports:yearly_publish": Rule(post=REPORT_AUTHORS, ok=frozenset({302})),
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
    "accounts:user_otp_reset": Rule(
        post=frozenset({Role.ADMINISTRATOR}),
        kwargs=lambda w: {"pk": w.users[Role.PRACTITIONER].pk},
        ok=frozenset({302}),
    ),
    # Two-factor pages: open to every signed-in user (practitioners may enrol); a verified user is
    # sent on (302).
    "accounts:otp_setup": Rule(get=ALL, post=ALL, ok=frozenset({200, 302})),
    "accounts:otp_verify": Rule(get=ALL, post=ALL, ok=frozenset({200, 302})),
    "audit:search": Rule(get=frozenset({Role.ADMINISTRATOR})),
    "actions:recommendation_create": Rule(
        get=frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST}),
        post=frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST}),
    ),
    "accounts:team_list": Rule(
        get=frozenset({Role.ADMINISTRATOR}), post=frozenset({Role.ADMINISTRATOR})
    ),
    "accounts:team_edit": Rule(
        get=frozenset({Role.ADMINISTRATOR}),
        post=frozenset({Role.ADMINISTRATOR}),
        kwargs=lambda w: {"pk": w.team().pk},
    ),
    "search:search": Rule(get=ALL),
    "api_tokens:list": Rule(get=ALL, post=ALL),
    "api_tokens:revoke": Rule(post=ALL, kwargs=lambda w: {"pk": 999999}, ok=frozenset({404})),
    "documents:list": Rule(get=ALL, post=DOC_EDITORS),
    "documents:detail": Rule(get=DOC_EDITORS, kwargs=lambda w: {"pk": w.document().pk}),
    "documents:page": Rule(get=DOC_EDITORS, kwargs=lambda w: {"pk": w.document().pk, "number": 1}),
    "documents:download": Rule(get=DOC_EDITORS, kwargs=lambda w: {"pk": w.document().pk}),
    "documents:candidate": Rule(
        post=DOC_EDITORS,
        kwargs=lambda w: {
            "pk": w.document().pk,
            "candidate_pk": w.document().candidates.first().pk,
        },
        ok=frozenset({302}),
    ),
    "documents:pii": Rule(get=DOC_EDITORS, kwargs=lambda w: {"pk": w.document().pk}),
    "documents:pii_check": Rule(
        post=DOC_EDITORS, kwargs=lambda w: {"pk": w.document().pk}, ok=frozenset({302})
    ),
    "documents:pii_pseudonymise": Rule(
        post=DOC_EDITORS, kwargs=lambda w: {"pk": w.document().pk}, ok=frozenset({302})
    ),
    "documents:pii_override": Rule(
        post=DOC_EDITORS,
        kwargs=lambda w: {"pk": w.document().pk, "finding_pk": w.document().findings.first().pk},
        ok=frozenset({302}),
    ),
    "documents:publish": Rule(
        post=DOC_EDITORS, kwargs=lambda w: {"pk": w.document().pk}, ok=frozenset({302})
    ),
    "documents:job": Rule(get=DOC_EDITORS, kwargs=lambda w: {"pk": w.import_job().pk}),
    "briefings:list": Rule(get=ALL, post=BRIEFING_AUTHORS),
    "briefings:build": Rule(get=BRIEFING_AUTHORS, post=BRIEFING_AUTHORS),
    "briefings:detail": Rule(get=BRIEFING_AUTHORS, kwargs=lambda w: {"pk": w.briefing().pk}),
    "briefings:edit": Rule(
        get=BRIEFING_AUTHORS, post=BRIEFING_AUTHORS, kwargs=lambda w: {"pk": w.briefing().pk}
    ),
    "briefings:download": Rule(
        get=BRIEFING_AUTHORS, kwargs=lambda w: {"pk": w.briefing().pk, "fmt": "md"}
    ),
    "briefings:publish": Rule(
        get=BRIEFING_AUTHORS,
        post=BRIEFING_AUTHORS,
        kwargs=lambda w: {"pk": w.briefing().pk},
        ok=frozenset({200, 302}),
    ),
    "briefings:pii_keep": Rule(
        post=BRIEFING_AUTHORS, kwargs=lambda w: {"pk": w.briefing().pk}, ok=frozenset({302})
    ),
    "briefings:pseudonymise": Rule(
        post=BRIEFING_AUTHORS, kwargs=lambda w: {"pk": w.briefing().pk}, ok=frozenset({302})
    ),
    # A draft: authors only (acknowledging a draft is refused with a message).
    "briefings:acknowledge": Rule(
        post=BRIEFING_AUTHORS, kwargs=lambda w: {"pk": w.briefing().pk}, ok=frozenset({302})
    ),
    "briefings:reach": Rule(get=BRIEFING_AUTHORS, kwargs=lambda w: {"pk": w.briefing().pk}),
    # API endpoints: token authentication only (see test_api.py for per-role token checks).
    "openapi": Rule(get=ALL, public=True),
    "api:me": Rule(get=ALL, api=True),
    "api:cases": Rule(get=ALL, api=True),  # each role gets the cases it may see (maybe none)
    "api:case": Rule(
        get=frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.PARTNER_LEAD, Role.REVIEWER}),
        api=True,
        kwargs=lambda w: {"case_id": w.case.pk},
    ),
    "api:learning_points": Rule(get=ALL, api=True),
    "api:learning_point": Rule(
        get=LEARNING_STAFF,
        api=True,
        kwargs=lambda w: {"point_id": learning_world(w).unpublished.pk},
    ),
    "api:themes": Rule(get=ALL, api=True),
    "api:suggest": Rule(post=ALL, api=True),
    "api:briefings": Rule(get=ALL, api=True),
    "api:briefing": Rule(
        get=BRIEFING_AUTHORS, api=True, kwargs=lambda w: {"briefing_id": w.briefing().pk}
    ),
    # Actions through the API: the roles of the action pages, then the access rule (the world's
    # action is led by the partner lead's agency). Writes send a valid body, with the version.
    "api:actions": Rule(get=ACTION_READERS, api=True),
    "api:action": Rule(
        get=ACTION_READERS,
        patch=ACTION_EDITORS,
        api=True,
        kwargs=lambda w: {"action_id": action_world(w).action.pk},
        body=lambda w: {"version": _version(action_world(w).action), "progress_percent": 20},
    ),
    "api:action_milestone_add": Rule(
        post=ACTION_EDITORS,
        api=True,
        kwargs=lambda w: {"action_id": action_world(w).action.pk},
        body=lambda w: {"title": "Audit again", "due_date": "2030-01-31"},
        ok=frozenset({201}),
    ),
    "api:action_milestone_done": Rule(
        post=ACTION_EDITORS,
        api=True,
        kwargs=lambda w: {
            "action_id": action_world(w).action.pk,
            "milestone_id": action_world(w).milestone.pk,
        },
        body=lambda w: {},
    ),
    "api:action_evidence_add": Rule(
        post=ACTION_EDITORS,
        api=True,
        kwargs=lambda w: {"action_id": action_world(w).action.pk},
        body=lambda w: {"kind": "training", "summary": "40 staff trained."},
        ok=frozenset({201}),
    ),
    "api:action_complete": Rule(
        post=SIGN_OFF,
        api=True,
        kwargs=lambda w: {"action_id": action_world(w).action.pk},
        body=lambda w: {"version": _version(action_world(w).action)},
    ),
    "api:action_reopen": Rule(
        post=SIGN_OFF,
        api=True,
        kwargs=lambda w: {"action_id": action_world(w).completed().pk},
        body=lambda w: {"version": _version(action_world(w).completed()), "reason": "Relapse."},
    ),
    # Every role searches; practitioners find published entries only (see test_api_search.py).
    "api:search": Rule(get=ALL, api=True, query="q=neglect"),
    # Ninja's bare root: nothing is served there (no docs page), for anyone.
    "api:api-root": Rule(get=ALL, public=True, api=True, ok=frozenset({404})),
    "calendar:holidays": Rule(
        get=frozenset({Role.ADMINISTRATOR}), post=frozenset({Role.ADMINISTRATOR})
    ),
    "calendar:holiday_delete": Rule(
        post=frozenset({Role.ADMINISTRATOR}),
        kwargs=lambda w: {"pk": _proclaimed_holiday().pk},
        ok=frozenset({302, 404}),
    ),
    "cases:list": Rule(get=CASE_READERS),
    "cases:due_soon": Rule(get=CASE_STAFF),
    "cases:create": Rule(get=CASE_STAFF, post=CASE_STAFF),
    # The world's case involves the partner lead's agency and is led by the world's reviewer;
    # the analyst (no agency) is refused with 404 by the access rule.
    "cases:detail": Rule(
        get=frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.PARTNER_LEAD, Role.REVIEWER}),
        kwargs=lambda w: {"pk": w.case.pk},
    ),
    # Only staff change a case's details; others are refused by role (403).
    "cases:edit": Rule(
        get=CASE_STAFF, post=CASE_STAFF, kwargs=lambda w: {"pk": w.case.pk}, ok=frozenset({200})
    ),
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
    # emerging themes: analysts find gaps and add themes or keywords; administrators too
    "learning:emerging": Rule(get=TAXONOMY_READERS),
    "learning:emerging_adopt": Rule(get=TAXONOMY_READERS, post=TAXONOMY_READERS),
    "learning:emerging_fold": Rule(get=TAXONOMY_READERS, post=TAXONOMY_READERS),
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


def _version(action) -> int:
    """The action's version as stored now (each write bumps it)."""
    from reviewhub.actions.models import Action

    return Action.objects.get(pk=action.pk).version


def policy_url(name: str, world) -> str:
    """The URL the battery requests for a policy entry: its arguments and query string."""
    from django.urls import reverse

    rule = POLICY[name]
    url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
    return f"{url}?{rule.query}" if rule.query else url


def _proclaimed_holiday():
    from datetime import date

    from reviewhub.calendar.models import BankHoliday

    return BankHoliday.objects.get_or_create(
        date=date(2030, 6, 3), defaults={"name": "Proclaimed test holiday"}
    )[0]


def _step_rules():
    from reviewhub.cases.actions import ACTIONS

    rules = {}
    for code, action in ACTIONS.items():
        roles = frozenset(action.roles)
        rules[f"cases:step_{code.replace('-', '_')}"] = Rule(
            get=roles,
            post=roles,
            kwargs=lambda w: {"pk": w.case.pk},
            # A refused step or an invalid form answers 200 with the reasons.
            ok=frozenset({200, 302}),
        )
    return rules


POLICY.update(_step_rules())
