"""The API over cases, learning, themes and briefings: access, audit, paging and errors."""

import pytest
from django.test import Client

from reviewhub.accounts.choices import Role
from reviewhub.api.services import api_token_create
from reviewhub.audit.models import AuditEvent
from reviewhub.learning.services import taxonomy_load_default
from reviewhub.learning.tests.factories import point

pytestmark = pytest.mark.django_db


def as_(user):
    _, token = api_token_create(user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_case_detail_is_audited_and_hidden_from_others(world):
    case = world.case
    body = as_(world.users[Role.BUSINESS_UNIT]).get(f"/api/v1/cases/{case.pk}").json()
    assert body["reference"] == case.reference and body["clocks"]
    assert AuditEvent.objects.filter(
        action="view", object_type="cases.case", object_id=str(case.pk)
    ).exists()
    outsider = as_(world.outsider_admin).get(f"/api/v1/cases/{case.pk}")
    assert outsider.status_code == 404 and outsider.json() == {"detail": "Not found."}
    assert AuditEvent.objects.filter(
        action="denied", object_type="cases.case", object_id=str(case.pk)
    ).exists()
    assert as_(world.users[Role.PRACTITIONER]).get("/api/v1/cases").json()["items"] == []


def test_learning_points_are_paged_and_filtered_and_practitioners_see_published_only(world):
    for n in range(3):
        point(world.partnership, published=n == 0, heading=f"Point {n}", suggest=False)
    staff = as_(world.users[Role.ANALYST]).get("/api/v1/learning-points?limit=2&offset=0").json()
    assert staff["count"] == 3 and len(staff["items"]) == 2
    drafts = as_(world.users[Role.ANALYST]).get("/api/v1/learning-points?published=false").json()
    assert drafts["count"] == 2
    public = as_(world.users[Role.PRACTITIONER]).get("/api/v1/learning-points").json()
    assert [p["heading"] for p in public["items"]] == ["Point 0"]


@pytest.mark.parametrize(
    "query", ["year=abc", "year=99999", "limit=-1", "published=perhaps", "theme=" + "x" * 200]
)
def test_bad_query_parameters_get_422_with_a_clear_body(world, query):
    response = as_(world.users[Role.ANALYST]).get(f"/api/v1/learning-points?{query}")
    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid."


def test_suggest_validates_its_body_and_writes_nothing(world):
    taxonomy_load_default(partnership=world.partnership)
    client = as_(world.users[Role.ANALYST])
    before = AuditEvent.objects.exclude(action="view").count()
    bad = client.post("/api/v1/themes/suggest", {"heading": "x"}, content_type="application/json")
    assert bad.status_code == 422
    nul = client.post(
        "/api/v1/themes/suggest", {"learned": "a" * 20001}, content_type="application/json"
    )
    assert nul.status_code == 422
    good = client.post(
        "/api/v1/themes/suggest",
        {"learned": "The baby died while co-sleeping with a parent who had been drinking."},
        content_type="application/json",
    ).json()
    assert good["circumstances"][0]["id"] == "sudi-unsafe-sleep"
    assert AuditEvent.objects.exclude(action="view").count() == before


@pytest.mark.parametrize("path", ["/api/v1/learning-points?theme=a%00b", "/api/v1/cases?x=%00"])
def test_nul_characters_in_the_address_get_400_not_a_database_error(world, path):
    response = as_(world.users[Role.ANALYST]).get(path)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_nul_in_a_page_address_gets_400(world, login):
    response = login(world.users[Role.ANALYST]).get("/learning/?theme=%00")
    assert response.status_code == 400


def test_page_size_is_capped(world):
    point(world.partnership, published=True, suggest=False)
    client = as_(world.users[Role.ANALYST])
    assert client.get("/api/v1/learning-points?limit=500").json()["count"] == 1
    refused = client.get("/api/v1/learning-points?limit=100000")
    assert refused.status_code == 422 and refused.json()["detail"] == "The request is not valid."
