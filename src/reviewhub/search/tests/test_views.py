"""The search page: results with highlights, filters, errors, HTMX panel, menu entry."""

import pytest

from reviewhub.accounts.choices import Role
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.models import AuditEvent

from .factories import entry

pytestmark = pytest.mark.django_db


def test_practitioners_see_published_results_with_highlights_and_links(world, hooks, login):
    entry(world.partnership, "Fathers overlooked", "Fathers were not seen.", url="/learning/1/")
    entry(world.partnership, "Draft about fathers", "Fathers draft.", published=False)
    response = login(world.users[Role.PRACTITIONER]).get("/search/", {"q": "dads"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Fathers overlooked" in body and 'href="/learning/1/"' in body
    assert "<mark>Fathers</mark>" in body
    assert "Draft about fathers" not in body


def test_the_page_without_a_query_shows_only_the_form(world, login):
    body = login(world.users[Role.ANALYST]).get("/search/").content.decode()
    assert 'name="q"' in body
    assert "No results" not in body and "rh-search-results" not in body


def test_bad_filter_values_are_refused_with_a_message(world, login):
    response = login(world.users[Role.ANALYST]).get("/search/", {"q": "neglect", "year": "20x0"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


def test_an_unknown_theme_is_refused(world, login):
    response = login(world.users[Role.ANALYST]).get("/search/", {"q": "x", "theme": "made-up"})
    assert "There is a problem" in response.content.decode()


def test_filters_on_the_page_narrow_results(world, hooks, login):
    entry(world.partnership, "Neglect 2020", "Neglect.", year=2020)
    entry(world.partnership, "Neglect 2021", "Neglect.", year=2021)
    body = (
        login(world.users[Role.ANALYST])
        .get("/search/", {"q": "neglect", "year": "2021"})
        .content.decode()
    )
    assert "Neglect 2021" in body and "Neglect 2020" not in body


def test_htmx_requests_get_the_results_panel_only(world, hooks, login):
    entry(world.partnership, "Neglect", "Neglect.")
    response = login(world.users[Role.ANALYST]).get(
        "/search/", {"q": "neglect"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "1 result" in body and "<html" not in body


def test_a_staff_search_on_the_page_is_audited(world, hooks, login):
    entry(world.partnership, "Neglect", "Neglect.")
    login(world.users[Role.BUSINESS_UNIT]).get("/search/", {"q": "neglect"})
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.partnership_id == world.partnership.pk and "results=1" in event.detail


def test_pages_link_to_the_next_page(world, hooks, login):
    for n in range(25):
        entry(world.partnership, f"Neglect {n}", "Neglect.")
    client = login(world.users[Role.ANALYST])
    body = client.get("/search/", {"q": "neglect"}).content.decode()
    assert "25 results, showing 1 to 20" in body and "page=2" in body
    body = client.get("/search/", {"q": "neglect", "page": "2"}).content.decode()
    assert "showing 21 to 25" in body


def test_search_is_in_every_roles_menu(world, login):
    for user in world.users.values():
        body = login(user).get("/").content.decode()
        assert 'href="/search/"' in body


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/search/", {"q": "neglect"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
