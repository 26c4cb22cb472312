"""`reviewhub learning import/export`: the dev corpus round trip, idempotence and bad input."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviewhub.learning.choices import CodeSource
from reviewhub.learning.models import Code, LearningPoint, LearningSource

pytestmark = pytest.mark.django_db

CORPUS = Path("/work/shared/corpus")
LEARNING = CORPUS / "learning.jsonl"
LABELS = CORPUS / "labels.jsonl"
needs_corpus = pytest.mark.skipif(
    not LEARNING.exists(), reason="the dev corpus is not on this machine"
)


def _export(partnership) -> list[dict]:
    out = io.StringIO()
    call_command("learning", "export", "--partnership", partnership.slug, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@needs_corpus
def test_dev_corpus_round_trips_with_its_labels_and_a_second_import_adds_nothing(world):
    call_command(
        "learning",
        "import",
        str(LEARNING),
        "--labels",
        str(LABELS),
        "--partnership",
        world.partnership.slug,
        stderr=io.StringIO(),
    )
    originals = [json.loads(line) for line in LEARNING.read_text().splitlines() if line.strip()]
    labels = {
        row["id"]: row
        for row in (json.loads(line) for line in LABELS.read_text().splitlines() if line.strip())
    }
    exported = {row["id"]: row for row in _export(world.partnership)}
    assert len(exported) == len(originals) == 103
    for original in originals:
        row = exported[original["id"]]
        for key, value in original.items():
            assert row[key] == (value.strip() if isinstance(value, str) else value), (
                original["id"],
                key,
            )
        label = labels[original["id"]]
        for key in ("circumstances", "practice", "primary_circumstance", "primary_practice"):
            assert row[key] == label[key], (original["id"], key)
    # Codes from a labels file are confirmed, with no engine suggestions mixed in.
    assert not Code.objects.exclude(source=CodeSource.MANUAL).exists()
    assert LearningPoint.objects.filter(coding_complete=False).count() == 0

    points, sources, codes = (
        LearningPoint.objects.count(),
        LearningSource.objects.count(),
        Code.objects.count(),
    )
    err = io.StringIO()
    call_command(
        "learning",
        "import",
        str(LEARNING),
        "--labels",
        str(LABELS),
        "--partnership",
        world.partnership.slug,
        stderr=err,
    )
    assert "0 learning points added" in err.getvalue() and "103 already present" in err.getvalue()
    assert (
        LearningPoint.objects.count(),
        LearningSource.objects.count(),
        Code.objects.count(),
    ) == (
        points,
        sources,
        codes,
    )


@needs_corpus
def test_export_reimports_into_another_partnership_unchanged(world, tmp_path):
    call_command(
        "learning",
        "import",
        str(LEARNING),
        "--labels",
        str(LABELS),
        "--partnership",
        world.partnership.slug,
        stderr=io.StringIO(),
    )
    first = _export(world.partnership)
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in first))
    labels = tmp_path / "labels.jsonl"
    labels.write_text(
        "".join(
            json.dumps(
                {
                    k: r[k]
                    for k in (
                        "id",
                        "circumstances",
                        "practice",
                        "primary_circumstance",
                        "primary_practice",
                    )
                }
            )
            + "\n"
            for r in first
        )
    )
    call_command(
        "learning",
        "import",
        str(path),
        "--labels",
        str(labels),
        "--partnership",
        world.other.slug,
        stderr=io.StringIO(),
    )
    assert _export(world.other) == first


def test_import_without_labels_stores_engine_suggestions_only(world, tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "x-1",
                "source_url": "https://example.org/r",
                "publisher": "P",
                "year": 2023,
                "review_type": "LCSPR",
                "heading": "Neglect and dental decay",
                "learned": "Nobody shared information about the neglect.",
                "action": "",
                "notes": "",
            }
        )
        + "\n"
    )
    call_command(
        "learning",
        "import",
        str(path),
        "--partnership",
        world.partnership.slug,
        stderr=io.StringIO(),
    )
    point = LearningPoint.objects.get(external_id="x-1")
    assert not point.coding_complete
    assert set(point.codes.values_list("source", flat=True)) == {CodeSource.SUGGESTED}
    assert _export(world.partnership)[0]["circumstances"] == []


@pytest.mark.parametrize(
    "lines, labels, message",
    [
        (
            ['{"id": "a", "heading": "h", "learned": "l", "review_type": "SAR"}', "{oops"],
            None,
            "Learning line 2: not valid JSON",
        ),
        (
            ['{"id": "a", "heading": "h", "learned": "l", "review_type": "blog"}'],
            None,
            "Line 1: review_type 'blog' is not one of",
        ),
        (
            ['{"id": "a", "heading": "h", "learned": "l", "review_type": "SAR", "year": 1066}'],
            None,
            "Line 1: year must be",
        ),
        (
            ['{"id": "a", "heading": "h\\u0000", "learned": "l", "review_type": "SAR"}'],
            None,
            "Line 1: 'heading' contains a NUL",
        ),
        (
            ['{"id": "a", "heading": "", "learned": "l", "review_type": "SAR"}'],
            None,
            "Line 1: 'heading' is empty",
        ),
        (
            [
                '{"id": "a", "heading": "h", "learned": "l", "review_type": "SAR", "source_url": "javascript:x"}'
            ],
            None,
            "source_url must be an http",
        ),
        (
            [
                '{"id": "a", "heading": "h", "learned": "l", "review_type": "SAR"}',
                '{"id": "a", "heading": "h", "learned": "l", "review_type": "SAR"}',
            ],
            None,
            "Line 2: id 'a' was already used on line 1",
        ),
        (
            ['{"id": "a", "heading": "h", "learned": "l", "review_type": "SAR"}'],
            [
                '{"id": "a", "circumstances": [], "practice": ["no-such-theme"], "primary_practice": "no-such-theme"}'
            ],
            "Labels line 1 (id 'a'): Unknown theme 'no-such-theme'",
        ),
        (
            ['{"id": "a", "heading": "h", "learned": "l", "review_type": "SAR"}'],
            ['{"id": "a", "circumstances": [], "practice": []}'],
            "Choose at least 1 practice",
        ),
        (
            ['{"id": "a", "heading": "h", "learned": "l", "review_type": "SAR"}'],
            ['{"id": "b", "circumstances": [], "practice": ["information-sharing"]}'],
            "Labels line 1: id 'b' is not in the learning file",
        ),
    ],
)
def test_malformed_input_is_refused_naming_the_line_and_nothing_is_imported(
    world, tmp_path, lines, labels, message
):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    args = ["learning", "import", str(path), "--partnership", world.partnership.slug]
    if labels is not None:
        label_path = tmp_path / "labels.jsonl"
        label_path.write_text("\n".join(labels) + "\n")
        args += ["--labels", str(label_path)]
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")) as err:
        call_command(*args, stderr=io.StringIO())
    assert "Nothing was imported" in str(err.value)
    assert LearningPoint.objects.count() == 0 and LearningSource.objects.count() == 0


def test_import_needs_a_partnership_when_there_are_several(world, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("")
    with pytest.raises(CommandError, match="several partnerships"):
        call_command("learning", "import", str(path))
    with pytest.raises(CommandError, match="No partnership with the slug"):
        call_command("learning", "import", str(path), "--partnership", "nowhere")
