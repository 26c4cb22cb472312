"""`reviewhub search`: JSON output, limits, acting as a user, refusing bad input."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reviewhub.accounts.choices import Role
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.models import AuditEvent

from .factories import entry

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("search", *args, stdout=out)
    return out.getvalue()


def test_json_lists_ranked_results_with_the_imported_ids(world):
    entry(
        world.partnership,
        "Fathers",
        "Fathers and male carers were not assessed.",
        object_id="src19-13",
    )
    entry(world.partnership, "Sleep", "Safer sleep.", object_id="src18-01")
    rows = json.loads(run("dads", "--json"))
    assert rows[0]["id"] == "src19-13" and rows[0]["type"] == "learning"
    assert set(rows[0]) == {"type", "id", "score", "snippet"}
    assert "[Fathers]" in rows[0]["snippet"] or "[fathers]" in rows[0]["snippet"]
    assert all(r["id"] != "src18-01" for r in rows)


def test_limit_sets_how_many_results(world):
    for n in range(6):
        entry(world.partnership, f"Neglect {n}", "Neglect.")
    assert len(json.loads(run("neglect", "--json", "--limit", "4"))) == 4


def test_without_a_user_the_operator_search_is_audited_and_skips_documents(world):
    entry(world.partnership, "Neglect point", "Neglect.", published=False, object_id="lp")
    entry(world.partnership, "Neglect page", "Neglect.", kind="document_page", object_id="d:p1")
    rows = json.loads(run("neglect", "--json"))
    assert [r["id"] for r in rows] == ["lp"]
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.user_id is None and "command line" in event.detail


def test_with_a_user_the_search_goes_through_their_access(world, hooks):
    entry(world.partnership, "Neglect", "Neglect.", published=False, object_id="draft")
    entry(world.partnership, "Neglect", "Neglect.", object_id="pub")
    practitioner = world.users[Role.PRACTITIONER]
    rows = json.loads(run("neglect", "--json", "--user", practitioner.username))
    assert [r["id"] for r in rows] == ["pub"]


def test_text_output_shows_title_snippet_and_link(world):
    entry(world.partnership, "Neglect point", "Chronic neglect.", url="/learning/9/")
    out = run("neglect")
    assert "Neglect point" in out and "[neglect]" in out and "/learning/9/" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["neglect", "--limit", "0"], "--limit"),
        (["neglect", "--limit", "ten"], "--limit"),
        (["!!!"], "query"),
        (["neglect", "--user", "nobody"], "No active user"),
        (["neglect", "--partnership", "nowhere"], "No partnership"),
        (["neglect", "--theme", "made-up"], "Unknown theme"),
        (["neglect", "--type", "document"], "--user"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(world, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
