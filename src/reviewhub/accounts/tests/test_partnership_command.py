"""`reviewhub partnership` and the one rule commands use to pick a partnership."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviewhub.accounts.commands import partnership_from_option
from reviewhub.accounts.models import Partnership
from reviewhub.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("partnership", *args, stdout=out)
    return out.getvalue()


def test_a_partnership_is_created_with_a_slug_from_its_name_and_audited():
    said = run("create", "  Eastvale   Safeguarding Children Partnership ")
    p = Partnership.objects.get()
    assert p.name == "Eastvale Safeguarding Children Partnership"
    assert p.slug == "eastvale-safeguarding-children-partnership" and p.kind == "children"
    assert "createuser" in said and p.slug in said
    event = AuditEvent.objects.get(object_type="accounts.partnership", object_id=str(p.pk))
    assert event.action == "create" and event.partnership_id == p.pk
    assert "eastvale-safeguarding-children-partnership\tchildren\t" in run("list")


@pytest.mark.parametrize(
    "args, message",
    [
        (["create", "   "], "needs a name"),
        (["create", "!!!"], "needs a name"),
        (["create", "x" * 201], "at most 200"),
        (["create", "Eastvale\x07Board"], "control or invisible"),
        (["create", "Eastvale\u202eBoard"], "control or invisible"),
        (["create", "Zero\u200bWidth"], "control or invisible"),
        (["create", "Eastvale\x7fBoard"], "control or invisible"),
        (["create", "東京"], "No slug can be made"),
        (["create", "Eastvale", "--slug", "a" * 61], "at most 60"),
        (["create", "Eastvale", "--slug", "Has Spaces"], "lower-case letters"),
        (["create", "Eastvale", "--slug", "../etc"], "lower-case letters"),
        (["create", "Eastvale", "--kind", "martian"], "invalid choice"),
    ],
)
def test_bad_names_slugs_and_kinds_are_refused_and_nothing_is_created(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Partnership.objects.exists()
    assert not AuditEvent.objects.filter(object_type="accounts.partnership").exists()


def test_a_taken_name_or_slug_is_refused_naming_which():
    run("create", "Eastvale Board", "--slug", "eastvale")
    with pytest.raises(CommandError, match="named 'eastvale board' exists"):
        run("create", "eastvale board", "--slug", "other")
    with pytest.raises(CommandError, match="slug 'eastvale' is taken"):
        run("create", "Eastvale Adults Board", "--slug", "eastvale")
    assert Partnership.objects.count() == 1


def test_commands_act_on_the_named_or_the_only_partnership_and_stop_otherwise():
    with pytest.raises(CommandError, match="partnership create NAME"):
        partnership_from_option(None)
    only = Partnership.objects.create(name="Eastvale", slug="eastvale")
    assert partnership_from_option(None) == only
    Partnership.objects.create(name="National", slug="national", kind="national")
    with pytest.raises(CommandError, match=r"several partnerships.*eastvale, national"):
        partnership_from_option(None)
    # a kind the command cannot act on is neither guessed nor accepted by name
    assert partnership_from_option(None, exclude_kinds=("national",)) == only
    with pytest.raises(
        CommandError, match=r"No partnership with the slug 'national' \(known: eastvale\)"
    ):
        partnership_from_option("national", exclude_kinds=("national",))
    assert partnership_from_option("national").slug == "national"


def test_a_name_in_another_script_is_kept_with_the_slug_given():
    run("create", "東京 Safeguarding Board", "--slug", "tokyo")
    assert Partnership.objects.get(slug="tokyo").name == "東京 Safeguarding Board"


def test_a_partnership_whose_audit_event_cannot_be_written_is_not_created(monkeypatch):
    import reviewhub.accounts.services as services

    def fail(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit_event_record", fail)
    with pytest.raises(RuntimeError):
        services.partnership_create(name="Eastvale Partnership")
    assert not Partnership.objects.exists()
