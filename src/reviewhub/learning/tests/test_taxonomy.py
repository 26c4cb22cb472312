"""The taxonomy: the packaged default, versions, retiring and deleting, YAML export and import."""

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from reviewhub.accounts.choices import Role
from reviewhub.audit.models import AuditEvent
from reviewhub.learning import services
from reviewhub.learning import taxonomy as taxonomy_yaml
from reviewhub.learning.models import Taxonomy, Theme

from .factories import point, small_taxonomy, theme

pytestmark = pytest.mark.django_db


def test_default_taxonomy_is_loaded_from_the_package_once_with_every_theme(world):
    taxonomy = services.taxonomy_load_default(partnership=world.partnership)
    again = services.taxonomy_load_default(partnership=world.partnership)
    assert again.pk == taxonomy.pk
    themes = Theme.objects.filter(taxonomy=taxonomy)
    assert themes.filter(axis="circumstances").count() == 21
    assert themes.filter(axis="practice").count() == 18
    neglect = themes.get(theme_id="neglect")
    assert "dental decay" in neglect.keywords
    assert neglect.overlaps and neglect.extra["applies_to"] == ["children", "adults"]
    version = taxonomy.versions.get()
    assert version.number == 1 and version.snapshot == taxonomy_yaml.default_yaml()
    # Exported untouched, the taxonomy is the packaged file again (same data, same shape).
    exported = taxonomy_yaml.dump(taxonomy.meta, list(themes))
    assert yaml.safe_load(exported) == yaml.safe_load(taxonomy_yaml.default_yaml())


def test_editing_a_theme_records_a_new_version_with_who_and_a_snapshot(world):
    admin = world.users[Role.ADMINISTRATOR]
    taxonomy = small_taxonomy(world.partnership)
    neglect = theme(world.partnership, "neglect")
    services.theme_update(
        theme=neglect,
        user=admin,
        label="Neglect of a child",
        keywords=["neglect", "hunger"],
        note="Clearer label",
    )
    taxonomy.refresh_from_db()
    assert taxonomy.version == 2
    version = taxonomy.versions.first()
    assert (version.number, version.created_by, version.note) == (2, admin, "Clearer label")
    snapshot = yaml.safe_load(version.snapshot)
    circumstances = next(a for a in snapshot["axes"] if a["id"] == "circumstances")
    saved = next(t for t in circumstances["themes"] if t["id"] == "neglect")
    assert saved["label"] == "Neglect of a child" and saved["keywords"] == ["neglect", "hunger"]
    event = AuditEvent.objects.filter(object_type="learning.theme").latest("pk")
    assert event.changed_fields == ["keywords", "label"]
    assert "hunger" not in event.detail


def test_an_edit_that_changes_nothing_records_no_version(world):
    taxonomy = small_taxonomy(world.partnership)
    neglect = theme(world.partnership, "neglect")
    services.theme_update(theme=neglect, user=None, label=neglect.label)
    taxonomy.refresh_from_db()
    assert taxonomy.version == 1


def test_a_used_theme_can_be_retired_but_not_deleted_and_keeps_its_codes(world):
    analyst = world.users[Role.ANALYST]
    p = point(world.partnership)
    neglect = theme(world.partnership, "neglect")
    services.code_confirm(point=p, theme=neglect, user=analyst)
    with pytest.raises(ValidationError, match="cannot be deleted"):
        services.theme_delete(theme=neglect, user=world.users[Role.ADMINISTRATOR])
    services.theme_retire(theme=neglect, user=world.users[Role.ADMINISTRATOR])
    neglect.refresh_from_db()
    assert neglect.retired
    assert p.codes.get(theme=neglect).is_confirmed  # old codes keep the retired theme
    # ... but it cannot be added to another point.
    other = point(world.partnership)
    with pytest.raises(ValidationError, match="retired"):
        services.code_confirm(point=other, theme=neglect, user=analyst)


def test_an_unused_theme_can_be_deleted(world):
    taxonomy = small_taxonomy(world.partnership)
    unused = theme(world.partnership, "domestic-abuse")
    services.theme_delete(theme=unused, user=world.users[Role.ADMINISTRATOR])
    assert not Theme.objects.filter(pk=unused.pk).exists()
    taxonomy.refresh_from_db()
    assert taxonomy.versions.first().note == "Unused theme domestic-abuse deleted"


def test_taxonomy_exports_and_imports_as_yaml_between_partnerships(world):
    admin = world.users[Role.ADMINISTRATOR]
    services.taxonomy_load_default(partnership=world.partnership)
    services.theme_create(
        taxonomy=world.partnership.taxonomy,
        user=admin,
        theme_id="young-carers",
        axis="circumstances",
        label="Young carers",
        keywords=["young carer"],
        display_order=30,
    )
    exported = taxonomy_yaml.dump(
        world.partnership.taxonomy.meta, list(world.partnership.taxonomy.themes.all())
    )
    result = services.taxonomy_import(partnership=world.other, text=exported, user=None)
    other = Taxonomy.objects.get(partnership=world.other)
    assert result["added"] == 1  # the default was loaded first; only the new theme is added
    assert other.themes.get(theme_id="young-carers").keywords == ["young carer"]
    # The export has the same shape as the packaged file, so re-exporting is stable.
    again = taxonomy_yaml.dump(other.meta, list(other.themes.all()))
    assert yaml.safe_load(again) == yaml.safe_load(exported)
    assert list(yaml.safe_load(again))[:3] == ["taxonomy", "coding_rules", "axes"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("axes: [", "not valid YAML"),
        ("x: &a [1, 2]\ny: [*a, *a]\naxes: []", "YAML alias at line 2"),
        ('axes:\n- id: practice\n  themes:\n  - {id: ok, label: "a\\0b"}', "NUL character"),
        ("- a list", "no 'axes' list"),
        ("axes:\n- id: feelings\n  themes: []", "Each axis needs an id"),
        ("axes:\n- id: practice\n  themes:\n  - id: Bad Id\n    label: x", "lower-case words"),
        ("axes:\n- id: practice\n  themes:\n  - id: ok\n    label: x\n    keywords: 3", "keywords"),
        (
            "axes:\n- id: practice\n  themes:\n  - id: ok\n    label: x\n    keywords: ["
            + ", ".join(f"w{n}" for n in range(101))
            + "]",
            r"Theme ok: at most 100 keywords \(it has 101\)",
        ),
        (
            "axes:\n- id: practice\n  themes:\n  - {id: ok, label: x}\n  - {id: ok, label: y}",
            "appears twice",
        ),
    ],
)
def test_malformed_taxonomy_yaml_is_refused_with_a_clear_message(text, message):
    with pytest.raises(taxonomy_yaml.TaxonomyFormatError, match=message):
        taxonomy_yaml.parse(text)


def test_import_refuses_to_move_a_theme_to_the_other_axis_and_changes_nothing(world):
    small_taxonomy(world.partnership)
    text = "axes:\n- id: practice\n  themes:\n  - {id: zeta, label: Zeta}\n  - {id: neglect, label: N}\n"
    with pytest.raises(taxonomy_yaml.TaxonomyFormatError, match="cannot change axis"):
        services.taxonomy_import(partnership=world.partnership, text=text)
    assert not Theme.objects.filter(theme_id="zeta").exists()


def test_taxonomy_commands_export_and_import(world, tmp_path, capsys):
    small_taxonomy(world.partnership)
    call_command("learning", "taxonomy", "export", "--partnership", world.partnership.slug)
    exported = capsys.readouterr().out
    assert "information-sharing" in exported
    changed = exported.replace("label: Neglect", "label: Neglect and omission")
    path = tmp_path / "shared.yaml"
    path.write_text(changed)
    call_command("learning", "taxonomy", "import", str(path), "--partnership", world.other.slug)
    assert Theme.objects.get(taxonomy__partnership=world.other, theme_id="neglect").label == (
        "Neglect and omission"
    )
    with pytest.raises(CommandError, match="no such file"):
        call_command(
            "learning",
            "taxonomy",
            "import",
            str(tmp_path / "missing.yaml"),
            "--partnership",
            world.other.slug,
        )


def test_only_administrators_edit_themes_and_analysts_read_them(world, login):
    small_taxonomy(world.partnership)
    neglect = theme(world.partnership, "neglect")
    analyst = login(world.users[Role.ANALYST])
    page = analyst.get("/learning/taxonomy/")
    assert page.status_code == 200 and b"Neglect" in page.content
    assert b"Add a theme" not in page.content
    assert analyst.post(f"/learning/taxonomy/themes/{neglect.pk}/retire/").status_code == 403
    admin = login(world.users[Role.ADMINISTRATOR])
    response = admin.post(
        f"/learning/taxonomy/themes/{neglect.pk}/",
        {
            "label": "Neglect (children)",
            "definition": "",
            "keywords": "neglect\nhunger\n",
            "display_order": "1",
            "note": "split",
        },
    )
    assert response.status_code == 302
    neglect.refresh_from_db()
    assert neglect.keywords == ["neglect", "hunger"]
    bad = admin.post(
        "/learning/taxonomy/themes/new/",
        {"theme_id": "Not OK", "axis": "practice", "label": "x", "display_order": "1"},
    )
    assert bad.status_code == 200 and b"lower-case" in bad.content


def test_another_partnerships_theme_is_a_404_with_an_audited_denial(world, login):
    small_taxonomy(world.other)
    foreign = theme(world.other, "neglect")
    admin = login(world.users[Role.ADMINISTRATOR])
    assert admin.get(f"/learning/taxonomy/themes/{foreign.pk}/").status_code == 404
    assert admin.post(f"/learning/taxonomy/themes/{foreign.pk}/retire/").status_code == 404
    denials = AuditEvent.objects.filter(object_type="learning.theme", outcome="denied")
    assert denials.count() == 2
    foreign.refresh_from_db()
    assert not foreign.retired
