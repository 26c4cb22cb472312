"""One audit event per successful sensitive request, none for the rest (reliability plan E1).

Several roles make a representative set of reads of protected records (case and review pages,
documents, actions, searches over unpublished material, exports and the API); each response
carries its own request id (X-Request-ID), and the audit table must hold exactly one event with
that id, for that user, succeeding. Pages that show no protected record write none.
"""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from reviewhub.accounts.choices import Role
from reviewhub.actions.tests.factories import action_world
from reviewhub.api.services import api_token_create
from reviewhub.audit.chain import verify
from reviewhub.audit.models import AuditEvent
from reviewhub.learning.tests.factories import learning_world

pytestmark = pytest.mark.django_db

BU, LEAD, REVIEWER = Role.BUSINESS_UNIT, Role.PARTNER_LEAD, Role.REVIEWER
ANALYST, ADMIN, PRACTITIONER = Role.ANALYST, Role.ADMINISTRATOR, Role.PRACTITIONER


def _requests(world):
    """(role, 'web'|'api', url, audited) for each request of the exercise."""
    acts = action_world(world)
    learn = learning_world(world)
    case, doc = world.case, world.document()
    briefing = world.briefing()
    year = {"date_from": "2024-04-01", "date_to": "2025-03-31"}
    web = [
        # Case and review records.
        (BU, reverse("cases:detail", args=[case.pk]), True),
        (LEAD, reverse("cases:detail", args=[case.pk]), True),
        (REVIEWER, reverse("cases:detail", args=[case.pk]), True),  # the review they lead
        (BU, reverse("cases:list"), True),
        (BU, reverse("cases:due_soon"), True),
        (BU, reverse("cases:edit", args=[case.pk]), True),  # the edit form shows the record
        # Documents.
        (BU, reverse("documents:download", args=[doc.pk]), True),
        (ANALYST, reverse("documents:detail", args=[doc.pk]), True),
        (ADMIN, reverse("documents:page", args=[doc.pk, 1]), True),
        # Actions.
        (LEAD, reverse("actions:detail", args=[acts.action.pk]), True),
        (BU, reverse("actions:evidence_download", args=[acts.evidence.pk]), True),
        (ANALYST, reverse("actions:list"), True),
        (LEAD, reverse("actions:recommendation", args=[acts.recommendation.pk]), True),
        # Searches and lists over unpublished material.
        (ANALYST, reverse("search:search") + "?q=neglect", True),
        (BU, reverse("search:search") + "?q=information+sharing", True),
        (ANALYST, reverse("learning:point_list"), True),
        (ANALYST, reverse("learning:point_detail", args=[learn.unpublished.pk]), True),
        # Exports and downloads.
        (BU, reverse("actions:export", args=["csv"]), True),
        (ANALYST, reverse("reports:yearly_download", args=["csv"]) + "?" + urlencode(year), True),
        (ADMIN, reverse("learning:taxonomy_export"), True),
        (ANALYST, reverse("briefings:download", args=[briefing.pk, "md"]), True),
        # Nothing protected on these.
        (PRACTITIONER, reverse("home"), False),
        (BU, reverse("home"), False),
        (PRACTITIONER, reverse("learning:point_list"), False),  # published learning only
        (PRACTITIONER, reverse("search:search") + "?q=neglect", False),  # published only
        (None, reverse("health"), False),
    ]
    api = [
        (BU, reverse("api:cases"), True),
        (REVIEWER, reverse("api:case", args=[case.pk]), True),
        (ANALYST, reverse("api:learning_points"), True),
        (ANALYST, reverse("api:learning_point", args=[learn.unpublished.pk]), True),
        (LEAD, reverse("api:actions"), True),
        (BU, reverse("api:action", args=[acts.action.pk]), True),
        (ANALYST, reverse("api:search") + "?q=neglect", True),
        (PRACTITIONER, reverse("api:search") + "?q=neglect", False),  # published only
        (PRACTITIONER, reverse("api:learning_points"), False),  # published learning only
        (ANALYST, reverse("api:themes"), False),
        (BU, reverse("api:me"), False),
    ]
    return [(r, "web", u, a) for r, u, a in web] + [(r, "api", u, a) for r, u, a in api]


def test_each_sensitive_request_writes_exactly_one_audit_event(world, login):
    requests = _requests(world)
    clients = {}
    for role, kind, _, _ in requests:
        if (role, kind) in clients:
            continue
        if role is None:
            clients[role, kind] = Client()
        elif kind == "web":
            clients[role, kind] = login(world.users[role])
        else:
            _, token = api_token_create(user=world.users[role], name="e1")
            clients[role, kind] = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    answered = []
    for role, kind, url, audited in requests:
        response = clients[role, kind].get(url)
        assert response.status_code == 200, (role, url, response.status_code)
        answered.append((role, url, audited, response["X-Request-ID"]))
    request_ids = [rid for *_, rid in answered]
    assert len(set(request_ids)) == len(request_ids), "request ids must be distinct"

    events = list(AuditEvent.objects.filter(id__gt=start))
    by_request = {}
    for event in events:
        by_request.setdefault(event.request_id, []).append(event)
    problems = []
    for role, url, audited, rid in answered:
        found = by_request.get(rid, [])
        expected = 1 if audited else 0
        if len(found) != expected:
            problems.append(f"{role} {url}: {len(found)} events {[e.action for e in found]}")
            continue
        if audited:
            (event,) = found
            assert event.user_id == world.users[role].pk, url
            assert event.outcome == "success", url
    assert problems == []
    # Nothing else was written meanwhile: the ratio of events to sensitive requests is 1.
    sensitive = sum(1 for *_, audited, _ in answered if audited)
    assert len(events) == sensitive
    assert verify().events >= sensitive
