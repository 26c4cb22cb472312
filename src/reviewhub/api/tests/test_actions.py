"""The API over actions: who sees and changes which, optimistic edits, hostile bodies, audit."""

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import Agency
from reviewhub.actions import services
from reviewhub.actions.models import Action, Evidence, Milestone
from reviewhub.actions.tests.factories import action, action_world, recommendation
from reviewhub.api.inputs import NO_NUL, NOT_BLANK
from reviewhub.api.services import api_token_create
from reviewhub.audit.models import AuditEvent
from reviewhub.tests.test_security import FUZZ, PAYLOADS, hostile

pytestmark = pytest.mark.django_db

LIST = "/api/v1/actions"


def as_(user):
    _, token = api_token_create(user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def one(pk):
    return f"/api/v1/actions/{pk}"


def patch(client, pk, body, *, raw: bytes | None = None):
    data = raw if raw is not None else json.dumps(body)
    return client.patch(one(pk), data, content_type="application/json")


def events():
    return AuditEvent.objects.order_by("pk")


@pytest.fixture
def two(world):
    """Two actions under one recommendation: one led by the partner lead's agency, one not."""
    rec = recommendation(world.partnership)
    bu = world.users[Role.BUSINESS_UNIT]
    own = action(rec, world.agency, user=bu, title="Police audit")
    other = action(rec, world.other_agency, user=bu, title="Health training")
    return own, other


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.BUSINESS_UNIT, {"Police audit", "Health training"}),
        (Role.ADMINISTRATOR, {"Police audit", "Health training"}),
        (Role.ANALYST, {"Police audit", "Health training"}),
        (Role.PARTNER_LEAD, {"Police audit"}),
    ],
)
def test_each_reading_role_lists_the_actions_it_may_see_and_the_list_is_audited(
    world, two, role, expected
):
    client = as_(world.users[role])
    before = events().count()
    body = client.get(LIST).json()
    assert {a["title"] for a in body["items"]} == expected and body["count"] == len(expected)
    new = list(events()[before:])
    assert [(e.action, e.object_type) for e in new] == [("search", "actions.action")]


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.REVIEWER, Role.NATIONAL_ANALYST])
def test_roles_without_the_action_pages_get_no_actions_and_the_refusal_is_audited(world, two, role):
    client = as_(world.users[role])
    for url in (LIST, one(two[0].pk)):
        response = client.get(url)
        assert response.status_code == 403, (role, url)
        assert set(response.json()) == {"detail"}
        assert "Police audit" not in response.content.decode()
    assert events().filter(action="denied", object_id="api:actions").exists()


def test_another_partnerships_action_is_404_and_the_attempt_is_audited(world, two):
    own, other = two
    outsider = as_(world.outsider_admin)
    assert outsider.get(LIST).json()["items"] == []
    response = outsider.get(one(own.pk))
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert events().filter(action="denied", object_type="actions.action", object_id=str(own.pk))
    # A partner lead asking for another agency's action: the same answer, the same audit.
    lead = as_(world.users[Role.PARTNER_LEAD])
    assert lead.get(one(other.pk)).status_code == 404
    assert events().filter(action="denied", object_type="actions.action", object_id=str(other.pk))
    # Not even its existence leaks: an id that does not exist answers exactly the same.
    missing = lead.get(one(999999))
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not found."})


def test_detail_has_milestones_rag_version_and_evidence_metadata_but_never_the_file(world):
    aw = action_world(world)
    client = as_(world.users[Role.PARTNER_LEAD])
    before = events().count()
    response = client.get(one(aw.action.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == Action.objects.get(pk=aw.action.pk).version
    assert [m["title"] for m in body["milestones"]] == ["Audit"]
    assert body["rag"]["rag"] in {"red", "amber", "green", "blue", "grey"} and body["rag"]["reason"]
    assert body["recommendation"]["id"] == aw.recommendation.pk
    [evidence] = body["evidence"]
    assert evidence["has_attachment"] and evidence["file_name"] == "audit.txt"
    assert "19 of 20 files record" not in response.content.decode()  # the file's text
    # One read, one audit event: the view of that action.
    new = list(events()[before:])
    assert [(e.action, e.object_type, e.object_id) for e in new] == [
        ("view", "actions.action", str(aw.action.pk))
    ]


def test_rag_is_derived_on_read(world):
    rec = recommendation(world.partnership)
    late = action(rec, world.agency, target_date=timezone.localdate() - timedelta(days=1))
    body = as_(world.users[Role.ANALYST]).get(one(late.pk)).json()
    assert body["rag"]["rag"] == "red" and body["overdue"] is True


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("status=not_started", {"Not started"}),
        ("rag=red", {"Late"}),
        ("overdue=true", {"Late"}),
        ("overdue=false", {"Police audit", "Health training", "Not started", "Done", "No target"}),
        ("open=true", {"Police audit", "Health training", "Not started", "Late", "No target"}),
        ("status=complete", {"Done"}),
        ("status=in_progress&overdue=true", {"Late"}),
    ],
)
def test_filters_narrow_the_list(world, two, query, titles):
    rec = two[0].recommendation
    bu = world.users[Role.BUSINESS_UNIT]
    action(rec, world.agency, user=bu, title="Not started", status="not_started")
    action(rec, world.agency, user=bu, title="Late", target_date=date(2020, 1, 1))
    action(rec, world.agency, user=bu, title="No target", target_date=None)
    done = action(rec, world.agency, user=bu, title="Done", target_date=date(2020, 1, 1))
    services.evidence_add(action=done, user=bu, kind="audit", summary="Audited.")
    services.action_complete(action=done, user=bu)
    body = as_(bu).get(f"{LIST}?{query}").json()
    assert {a["title"] for a in body["items"]} == titles


def test_agency_and_recommendation_filters(world, two):
    own, _ = two
    other_rec = recommendation(world.partnership)
    action(other_rec, world.agency, title="Elsewhere")
    client = as_(world.users[Role.BUSINESS_UNIT])
    by_agency = client.get(f"{LIST}?agency={world.other_agency.pk}").json()["items"]
    assert [a["title"] for a in by_agency] == ["Health training"]
    by_rec = client.get(f"{LIST}?recommendation={other_rec.pk}").json()["items"]
    assert [a["title"] for a in by_rec] == ["Elsewhere"]
    paged = client.get(f"{LIST}?limit=1&offset=1").json()
    assert paged["count"] == 3 and len(paged["items"]) == 1


@pytest.mark.parametrize(
    "query", ["rag=purple", "status=done", "agency=abc", "overdue=perhaps", "recommendation=-1"]
)
def test_bad_filters_get_422(world, query):
    response = as_(world.users[Role.BUSINESS_UNIT]).get(f"{LIST}?{query}")
    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid."
    assert response.json()["errors"]


def test_a_lead_edits_their_agencys_action_and_the_change_is_audited(world):
    aw = action_world(world)
    version = Action.objects.get(pk=aw.action.pk).version
    client = as_(world.users[Role.PARTNER_LEAD])
    response = patch(
        client, aw.action.pk, {"version": version, "progress_percent": 60, "lead_officer": "DI Ray"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["progress_percent"], body["lead_officer"]) == (60, "DI Ray")
    assert body["version"] == version + 1
    change = events().get(action="change", object_type="actions.action")
    assert change.changed_fields == ["lead_officer", "progress_percent"]
    assert change.username == world.users[Role.PARTNER_LEAD].username


def test_a_stale_version_gets_409_with_the_pages_message_and_changes_nothing(world):
    aw = action_world(world)
    version = Action.objects.get(pk=aw.action.pk).version
    lead = as_(world.users[Role.PARTNER_LEAD])
    manager = as_(world.users[Role.BUSINESS_UNIT])
    assert (
        patch(lead, aw.action.pk, {"version": version, "progress_percent": 60}).status_code == 200
    )
    stale = patch(manager, aw.action.pk, {"version": version, "agency_response": "Mine wins?"})
    assert stale.status_code == 409
    assert stale.json() == {"detail": services.CONCURRENT_MESSAGE}
    fresh = Action.objects.get(pk=aw.action.pk)
    assert (fresh.progress_percent, fresh.agency_response) == (60, "")
    # Re-reading gives the version to send next time.
    current = manager.get(one(aw.action.pk)).json()["version"]
    again = patch(manager, aw.action.pk, {"version": current, "agency_response": "Agreed."})
    assert again.status_code == 200


@pytest.mark.parametrize(
    "extra",
    [
        {"partnership": 2},
        {"partnership_id": 2},
        {"id": 999},
        {"recommendation": 1},
        {"signed_off_by": 1},
        {"completed_on": "2020-01-01"},
        {"reopened_reason": "x"},
    ],
)
def test_fields_the_edit_form_does_not_offer_are_refused(world, extra):
    aw = action_world(world)
    before = Action.objects.filter(pk=aw.action.pk).values().get()
    version = before["version"]
    client = as_(world.users[Role.BUSINESS_UNIT])
    response = patch(client, aw.action.pk, {"version": version, "title": "New", **extra})
    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "extra_forbidden"
    assert Action.objects.filter(pk=aw.action.pk).values().get() == before


def test_an_agency_of_another_partnership_is_refused(world):
    aw = action_world(world)
    foreign = Agency.objects.create(partnership=world.other, name="Southshire Police")
    version = Action.objects.get(pk=aw.action.pk).version
    client = as_(world.users[Role.BUSINESS_UNIT])
    response = patch(client, aw.action.pk, {"version": version, "lead_agency": foreign.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"] == "Choose an agency of this partnership."
    assert Action.objects.get(pk=aw.action.pk).lead_agency_id == world.agency.pk
    moved = patch(client, aw.action.pk, {"version": version, "lead_agency": world.other_agency.pk})
    assert moved.json()["lead_agency"]["id"] == world.other_agency.pk


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "complete"}, "status"),
        ({"rag_override": "green"}, "rag_override_reason"),
        ({"title": "   "}, "title"),
        ({"title": None}, "title"),
        ({"lead_agency": None}, "lead_agency"),
        ({"description": None}, "description"),
        ({"progress_percent": 101}, "progress_percent"),
        ({"target_date": "31/12/2030"}, "target_date"),
    ],
)
def test_invalid_edits_get_422_naming_the_field(world, body, field):
    aw = action_world(world)
    version = Action.objects.get(pk=aw.action.pk).version
    response = patch(
        as_(world.users[Role.BUSINESS_UNIT]), aw.action.pk, {"version": version, **body}
    )
    assert response.status_code == 422, response.json()
    assert field in {str(e["loc"][-1]) for e in response.json()["errors"]}
    assert Action.objects.get(pk=aw.action.pk).version == version


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"progress_percent": False}, "progress_percent"),
        ({"progress_percent": True}, "progress_percent"),
        ({"progress_percent": 50.5}, "progress_percent"),
        ({"progress_percent": "50"}, "progress_percent"),
        ({"lead_agency": "1"}, "lead_agency"),
        ({"target_date": 0}, "target_date"),
        ({"target_date": "0"}, "target_date"),
        ({"target_date": 1893456000}, "target_date"),
        ({"target_date": "2030-01-01T00:00:00"}, "target_date"),
        ({"target_date": "20300101"}, "target_date"),
        ({"target_date": "2030-1-1"}, "target_date"),
    ],
)
def test_json_values_of_another_type_are_refused_not_converted(world, body, field):
    """Strict input: a JSON number is not a date, false is not 0 and "50" is not an integer;
    each gets 422 naming the field, and nothing is saved."""
    aw = action_world(world)
    before = Action.objects.filter(pk=aw.action.pk).values().get()
    response = patch(
        as_(world.users[Role.BUSINESS_UNIT]), aw.action.pk, {"version": before["version"], **body}
    )
    assert response.status_code == 422, response.json()
    assert [e["loc"][-1] for e in response.json()["errors"]] == [field]
    assert Action.objects.filter(pk=aw.action.pk).values().get() == before


@pytest.mark.parametrize("version", [True, "1", 1.5])
def test_the_version_must_be_a_json_integer(world, version):
    aw = action_world(world)
    Action.objects.filter(pk=aw.action.pk).update(version=1)
    response = patch(as_(world.users[Role.BUSINESS_UNIT]), aw.action.pk, {"version": version})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "version"


def test_an_integral_float_is_an_integer_as_json_schema_says(world):
    """JSON Schema (and so schemathesis and generated clients) counts 60.0 as an integer."""
    aw = action_world(world)
    version = Action.objects.get(pk=aw.action.pk).version
    response = patch(
        as_(world.users[Role.BUSINESS_UNIT]),
        aw.action.pk,
        {"version": float(version), "progress_percent": 60.0},
    )
    assert response.status_code == 200, response.json()
    assert Action.objects.get(pk=aw.action.pk).progress_percent == 60


def test_dates_in_the_other_bodies_are_strict_too(world):
    aw = action_world(world)
    client = as_(world.users[Role.BUSINESS_UNIT])
    url = one(aw.action.pk)
    milestone = aw.milestone
    version = Action.objects.get(pk=aw.action.pk).version
    for path, body, field in [
        ("/milestones", {"title": "Step", "due_date": 0}, "due_date"),
        ("/milestones", {"title": "Step", "due_date": "2030-02-01 00:00"}, "due_date"),
        (f"/milestones/{milestone.pk}/done", {"completed_on": 0}, "completed_on"),
        ("/complete", {"version": version, "completed_on": 0}, "completed_on"),
        ("/complete", {"version": version, "completed_on": False}, "completed_on"),
    ]:
        response = client.post(url + path, body, content_type="application/json")
        assert response.status_code == 422, (path, body)
        assert response.json()["errors"][0]["loc"][-1] == field, (path, body)
    assert Milestone.objects.get(pk=milestone.pk).completed_on is None
    assert Action.objects.get(pk=aw.action.pk).version == version


def test_a_completion_date_in_the_future_is_refused_naming_the_field(world):
    """A rule the schema cannot state (it depends on today): 422 naming the field."""
    aw = action_world(world)
    client = as_(world.users[Role.BUSINESS_UNIT])
    tomorrow = str(timezone.localdate() + timedelta(days=1))
    milestone = services.milestone_add(
        action=aw.action, user=None, title="Step", due_date=date(2030, 1, 1)
    )
    done = client.post(
        f"{one(aw.action.pk)}/milestones/{milestone.pk}/done",
        {"completed_on": tomorrow},
        content_type="application/json",
    )
    assert done.status_code == 422
    assert done.json()["errors"][0]["loc"][-1] == "completed_on"
    assert Milestone.objects.get(pk=milestone.pk).completed_on is None


def test_a_null_target_date_clears_it_and_an_empty_text_empties_a_field(world):
    aw = action_world(world)
    client = as_(world.users[Role.BUSINESS_UNIT])
    version = Action.objects.get(pk=aw.action.pk).version
    first = patch(client, aw.action.pk, {"version": version, "agency_response": "Agreed."})
    response = patch(
        client,
        aw.action.pk,
        {"version": first.json()["version"], "target_date": None, "agency_response": ""},
    )
    assert response.status_code == 200
    saved = Action.objects.get(pk=aw.action.pk)
    assert (saved.target_date, saved.agency_response) == (None, "")


def test_the_version_is_required(world):
    aw = action_world(world)
    response = patch(as_(world.users[Role.BUSINESS_UNIT]), aw.action.pk, {"title": "No version"})
    assert response.status_code == 422
    assert Action.objects.get(pk=aw.action.pk).title != "No version"


def test_a_complete_action_keeps_its_status(world):
    done = action_world(world).completed()
    client = as_(world.users[Role.BUSINESS_UNIT])
    response = patch(client, done.pk, {"version": done.version, "status": "in_progress"})
    assert response.status_code == 422
    assert Action.objects.get(pk=done.pk).status == "complete"


def test_an_analyst_reads_but_cannot_edit_and_the_refusal_is_audited(world):
    aw = action_world(world)
    client = as_(world.users[Role.ANALYST])
    assert client.get(one(aw.action.pk)).status_code == 200
    version = Action.objects.get(pk=aw.action.pk).version
    response = patch(client, aw.action.pk, {"version": version, "title": "Analyst's"})
    assert response.status_code == 403
    assert Action.objects.get(pk=aw.action.pk).title != "Analyst's"
    refused = events().filter(action="denied", object_id="api:action")
    # The read and the change share the address: the event says it was the change.
    assert [e.detail for e in refused] == ["PATCH refused: role"]


def test_a_lead_cannot_edit_another_agencys_action(world, two):
    _, other = two
    client = as_(world.users[Role.PARTNER_LEAD])
    response = patch(client, other.pk, {"version": other.version, "title": "Mine now"})
    assert response.status_code == 404
    assert Action.objects.get(pk=other.pk).title == "Health training"
    assert events().filter(action="denied", object_id=str(other.pk)).exists()


def test_milestones_are_added_and_marked_done_through_the_services(world):
    aw = action_world(world)
    client = as_(world.users[Role.PARTNER_LEAD])
    version = Action.objects.get(pk=aw.action.pk).version
    made = client.post(
        f"{one(aw.action.pk)}/milestones",
        {"title": "Re-audit", "due_date": "2030-02-01"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["action_version"] == version + 1
    milestone = Milestone.objects.get(pk=made.json()["id"])
    assert (milestone.title, milestone.due_date) == ("Re-audit", date(2030, 2, 1))
    assert events().filter(action="create", object_type="actions.milestone").exists()
    done = client.post(
        f"{one(aw.action.pk)}/milestones/{milestone.pk}/done", content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["completed_on"] == str(timezone.localdate())
    bad = client.post(
        f"{one(aw.action.pk)}/milestones",
        {"title": "x", "due_date": "2030-02-30"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    # A milestone of another action is not found under this one.
    other = action(aw.recommendation, world.agency)
    theirs = services.milestone_add(action=other, user=None, title="T", due_date=date(2030, 1, 1))
    elsewhere = client.post(
        f"{one(aw.action.pk)}/milestones/{theirs.pk}/done", content_type="application/json"
    )
    assert elsewhere.status_code == 404


def test_evidence_summary_then_sign_off_then_reopen(world):
    rec = recommendation(world.partnership)
    a = action(rec, world.agency)
    lead = as_(world.users[Role.PARTNER_LEAD])
    manager = as_(world.users[Role.BUSINESS_UNIT])
    # Only the business unit signs off, and only with evidence: without, the action's state
    # refuses the step (409 with the reason), though the request itself is well formed.
    refused = manager.post(
        f"{one(a.pk)}/complete", {"version": a.version}, content_type="application/json"
    )
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "Record evidence of impact before signing the action off as complete."
    }
    not_complete = manager.post(
        f"{one(a.pk)}/reopen",
        {"version": a.version, "reason": "Why not?"},
        content_type="application/json",
    )
    assert not_complete.status_code == 409
    assert not_complete.json() == {"detail": "Only a completed action can be reopened."}
    ev = lead.post(
        f"{one(a.pk)}/evidence",
        {"kind": "training", "summary": "40 staff trained."},
        content_type="application/json",
    )
    assert ev.status_code == 201 and not ev.json()["has_attachment"]
    assert Evidence.objects.get(pk=ev.json()["id"]).stored_name == ""
    version = ev.json()["action_version"]
    lead_try = lead.post(
        f"{one(a.pk)}/complete", {"version": version}, content_type="application/json"
    )
    assert lead_try.status_code == 403
    stale = manager.post(
        f"{one(a.pk)}/complete", {"version": version - 1}, content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json() == {"detail": services.CONCURRENT_MESSAGE}
    done = manager.post(
        f"{one(a.pk)}/complete", {"version": version}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "complete"
    assert done.json()["signed_off_by"]
    again = manager.post(
        f"{one(a.pk)}/complete",
        {"version": done.json()["version"]},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json() == {"detail": "The action is already complete."}
    for blank in ("", "  \n\t "):
        no_reason = manager.post(
            f"{one(a.pk)}/reopen",
            {"version": done.json()["version"], "reason": blank},
            content_type="application/json",
        )
        assert no_reason.status_code == 422
        assert no_reason.json()["errors"][0]["loc"][-1] == "reason"
    reopened = manager.post(
        f"{one(a.pk)}/reopen",
        {"version": done.json()["version"], "reason": "The audit was repeated and failed."},
        content_type="application/json",
    )
    assert reopened.status_code == 200 and reopened.json()["status"] == "reopened"
    assert events().filter(action="transition", detail="reopened").exists()


def test_an_attachment_cannot_be_sent_through_the_api(world):
    aw = action_world(world)
    response = as_(world.users[Role.BUSINESS_UNIT]).post(
        f"{one(aw.action.pk)}/evidence",
        {"kind": "audit", "summary": "x", "attachment": "QUJD"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert aw.action.evidence.count() == 1


# --- Hostile bodies ------------------------------------------------------------------------------

TEXT_FIELDS = ["title", "description", "lead_officer", "agency_response", "rag_override_reason"]


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize(
    "value", ["a\x00b", "\ud800", "x\udfffy", "x" * 1_000_000], ids=["nul", "lone", "lone2", "1mb"]
)
def test_nul_lone_surrogates_and_megabyte_strings_get_422(world, field, value):
    aw = action_world(world)
    before = Action.objects.filter(pk=aw.action.pk).values().get()
    response = patch(
        as_(world.users[Role.BUSINESS_UNIT]),
        aw.action.pk,
        {"version": before["version"], field: value},
    )
    assert response.status_code == 422, (field, response.status_code)
    assert response.json()["detail"] == "The request is not valid."
    assert value[:100] not in response.content.decode("utf-8", "replace")
    assert Action.objects.filter(pk=aw.action.pk).values().get() == before


def test_a_body_that_is_not_json_gets_400_and_raw_surrogates_422(world):
    aw = action_world(world)
    client = as_(world.users[Role.BUSINESS_UNIT])
    version = Action.objects.get(pk=aw.action.pk).version
    for data in (b"{not json", b"\xff\xfe\x00", b"\x80"):
        response = patch(client, aw.action.pk, None, raw=data)
        assert response.status_code == 400, data
        assert set(response.json()) == {"detail"}
    # A surrogate sent as raw (invalid) UTF-8 bytes rather than as a JSON escape.
    raw = f'{{"version": {version}, "title": "\ud800"}}'.encode("utf-8", "surrogatepass")
    response = patch(client, aw.action.pk, None, raw=raw)
    assert response.status_code == 422
    assert Action.objects.get(pk=aw.action.pk).version == version


def test_hostile_values_in_every_field_give_errors_or_an_exact_save_never_a_crash(world):
    """Whatever arrives, the answer is a clean 200, 400, 409 or 422; a 200 stores exactly what
    was sent, and anything else changes nothing."""
    aw = action_world(world)
    client = as_(world.users[Role.BUSINESS_UNIT])
    fields = TEXT_FIELDS + ["status", "rag_override", "target_date", "progress_percent"]

    @FUZZ
    @given(
        field=st.sampled_from(fields),
        value=hostile,
        as_bytes=st.booleans(),
    )
    def check(field, value, as_bytes):
        before = Action.objects.filter(pk=aw.action.pk).values().get()
        body = {"version": before["version"], field: value}
        raw = (
            json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")
            if as_bytes
            else None
        )
        response = patch(client, aw.action.pk, body, raw=raw)
        assert response.status_code in {200, 400, 409, 422}, (field, response.status_code)
        after = Action.objects.filter(pk=aw.action.pk).values().get()
        if response.status_code == 200:
            stored = after[field]
            if field == "rag_override_reason" and not after["rag_override"]:
                value = ""  # the service drops a reason when no colour is set by hand
            assert str(stored) == str(value).strip() or str(stored) == str(value), field
            assert "\x00" not in str(stored)
        else:
            assert after == before

    check()


def test_hostile_values_in_a_milestone_never_crash(world):
    aw = action_world(world)
    client = as_(world.users[Role.PARTNER_LEAD])
    for value in PAYLOADS:
        before = Milestone.objects.count()
        response = client.post(
            f"{one(aw.action.pk)}/milestones",
            json.dumps({"title": value, "due_date": value}),
            content_type="application/json",
        )
        assert response.status_code == 422, value[:20]
        assert Milestone.objects.count() == before


# --- Schema --------------------------------------------------------------------------------------


def test_every_action_endpoint_is_in_the_schema_with_its_answers(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        ("/api/v1/actions", "get"): {"200", "403", "422"},
        ("/api/v1/actions/{action_id}", "get"): {"200", "403", "404"},
        ("/api/v1/actions/{action_id}", "patch"): {"200", "403", "404", "409", "422"},
        ("/api/v1/actions/{action_id}/milestones", "post"): {"201", "404", "422"},
        ("/api/v1/actions/{action_id}/milestones/{milestone_id}/done", "post"): {"200", "404"},
        ("/api/v1/actions/{action_id}/evidence", "post"): {"201", "404", "422"},
        ("/api/v1/actions/{action_id}/complete", "post"): {"200", "403", "409", "422"},
        ("/api/v1/actions/{action_id}/reopen", "post"): {"200", "403", "409", "422"},
    }
    for (path, method), statuses in expected.items():
        responses = paths[path][method]["responses"]
        assert statuses <= set(responses), (path, method, set(responses))
        ok = next(s for s in ("200", "201") if s in responses)
        assert "$ref" in json.dumps(responses[ok]["content"]), (path, method)
    patch_body = paths["/api/v1/actions/{action_id}"]["patch"]["requestBody"]
    assert patch_body["required"] is True


def test_the_schema_states_the_rules_the_bodies_are_checked_by(client):
    """What the server refuses in a body, the schema says: dates as strings in date format,
    integers, no NUL in text, no blank title, summary or reason."""
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    patch_in, milestone_in = schemas["ActionPatchIn"], schemas["MilestoneIn"]
    assert milestone_in["properties"]["due_date"] == {
        "format": "date",
        "title": "Due Date",
        "type": "string",
    }
    assert patch_in["properties"]["target_date"]["anyOf"][0] == {"format": "date", "type": "string"}
    assert patch_in["properties"]["progress_percent"]["type"] == "integer"
    assert patch_in["properties"]["description"]["pattern"] == NO_NUL
    for schema, name in [
        (patch_in, "title"),
        (milestone_in, "title"),
        (schemas["EvidenceIn"], "summary"),
        (schemas["ReopenIn"], "reason"),
    ]:
        assert schema["properties"][name]["pattern"] == NOT_BLANK, name
    assert all(
        schemas[name]["additionalProperties"] is False
        for name in ("ActionPatchIn", "MilestoneIn", "MilestoneDoneIn", "EvidenceIn", "CompleteIn")
    )


@pytest.mark.parametrize("blank", ["", " ", "\t\n", "\u2003"])
def test_blank_milestone_titles_and_evidence_summaries_are_refused(world, blank):
    aw = action_world(world)
    client = as_(world.users[Role.PARTNER_LEAD])
    milestones, evidence = aw.action.milestones.count(), aw.action.evidence.count()
    for path, body, field in [
        ("/milestones", {"title": blank, "due_date": "2030-01-01"}, "title"),
        ("/evidence", {"kind": "audit", "summary": blank}, "summary"),
    ]:
        response = client.post(one(aw.action.pk) + path, body, content_type="application/json")
        assert response.status_code == 422, (path, blank)
        assert response.json()["errors"][0]["loc"][-1] == field
    assert (aw.action.milestones.count(), aw.action.evidence.count()) == (milestones, evidence)


def test_a_lead_who_gives_their_action_to_another_agency_is_not_shown_it_back(world, two):
    """The edit is saved, but the answer goes through the access rule like any read."""
    own, _ = two
    lead = world.users[Role.PARTNER_LEAD]
    response = patch(
        as_(lead), own.pk, {"version": own.version, "lead_agency": world.other_agency.pk}
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Saved. The action is no longer one you may see."}
    assert "Police audit" not in response.content.decode()
    assert Action.objects.get(pk=own.pk).lead_agency_id == world.other_agency.pk
