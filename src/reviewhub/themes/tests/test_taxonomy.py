import pytest

from reviewhub.themes.taxonomy import coerce, from_dicts


def test_default_taxonomy_has_both_axes_with_keywords_and_overlaps(taxonomy):
    circ = taxonomy.active("circumstances")
    prac = taxonomy.active("practice")
    assert len(circ) == 21 and len(prac) == 18
    neglect = taxonomy.get("neglect")
    assert neglect.label == "Neglect" and "chronic neglect" in neglect.keywords
    assert any(o.theme == "self-neglect" for o in neglect.overlaps)


def test_list_of_dicts_is_accepted_and_retired_themes_are_not_active():
    tax = coerce(
        [
            {"id": "a", "axis": "circumstances", "label": "A", "keywords": ["apple"]},
            {"id": "b", "axis": "practice", "label": "B", "retired": True},
            {"id": "c", "axis": "practice", "label": "C"},
        ]
    )
    assert [t.id for t in tax.active()] == ["a", "c"]
    assert tax.get("b").retired


def test_theme_with_unknown_axis_is_rejected():
    with pytest.raises(ValueError, match="axis"):
        from_dicts([{"id": "x", "axis": "facet", "label": "X"}])


def test_fingerprint_changes_when_a_definition_changes():
    a = from_dicts([{"id": "x", "axis": "practice", "label": "X", "definition": "one"}])
    b = from_dicts([{"id": "x", "axis": "practice", "label": "X", "definition": "two"}])
    assert a.fingerprint() != b.fingerprint()
