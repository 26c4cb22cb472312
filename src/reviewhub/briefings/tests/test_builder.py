"""Drafting briefings from the records, and import creating learning points to code."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from reviewhub.accounts.choices import Role
from reviewhub.briefings.models import Briefing
from reviewhub.briefings.services import (
    briefing_build_seven_minute,
    briefing_build_thematic,
    briefing_import,
)
from reviewhub.learning.choices import CodeSource, ReviewType
from reviewhub.learning.models import Code, LearningPoint, Theme
from reviewhub.learning.services import taxonomy_load_default
from reviewhub.learning.tests.factories import point, source

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "data" / "reference-briefing.txt"


def _coded(world, src, theme_id, learned, action="", primary=True):
    p = point(world.partnership, src=src, learned=learned, action=action, suggest=False)
    theme = Theme.objects.get(taxonomy__partnership=world.partnership, theme_id=theme_id)
    Code.objects.create(point=p, theme=theme, source=CodeSource.CONFIRMED, primary=primary)
    return p


@pytest.fixture
def records(world):
    taxonomy_load_default(partnership=world.partnership)
    rr1 = source(
        world.partnership, title="Rapid review 1", year=2020, review_type=ReviewType.RAPID_REVIEW
    )
    rr2 = source(
        world.partnership, title="Rapid review 2", year=2020, review_type=ReviewType.RAPID_REVIEW
    )
    scr = source(world.partnership, title="SCR Child Q", year=2020, review_type=ReviewType.SCR)
    old = source(
        world.partnership, title="Old review", year=2018, review_type=ReviewType.RAPID_REVIEW
    )
    _coded(world, rr1, "neglect", "Neglect was not recognised.", "- Use the neglect toolkit.")
    _coded(world, rr2, "neglect", "Dental decay was missed.", "- Use the neglect toolkit.")
    _coded(world, scr, "domestic-abuse", "Domestic abuse was not explored.", "Ask about abuse.")
    _coded(world, old, "domestic-abuse", "Outside the period.")
    point(world.partnership, src=rr1, learned="Uncoded point.", suggest=False)
    return world


def test_thematic_draft_groups_by_theme_orders_by_reviews_and_traces_sources(records):
    briefing = briefing_build_thematic(
        partnership=records.partnership,
        user=records.users[Role.ANALYST],
        date_from=date(2020, 1, 1),
        date_to=date(2020, 12, 31),
        title="Learning 2020",
    )
    content = briefing.current.content
    titles = [t["title"] for t in content["themes"]]
    assert titles == [
        "Neglect",
        "Domestic abuse and coercive control",
    ]  # neglect was raised by two reviews
    neglect = content["themes"][0]
    assert [b["text"] for b in neglect["learned"]] == [
        "Neglect was not recognised.",
        "Dental decay was missed.",
    ]
    assert neglect["actions"] == [{"type": "bullets", "items": ["Use the neglect toolkit."]}]
    assert len(neglect["sources"]) == 2 and "Rapid review 1" in neglect["sources"][0]
    background = content["background"][0]["text"]
    assert background.startswith(
        "This briefing draws on two rapid reviews and one earlier serious case review completed in 2020."
    )
    assert "Outside the period" not in str(content) and "Uncoded" not in str(content)


def test_build_command_writes_a_docx(records, tmp_path):
    out = tmp_path / "b.docx"
    call_command(
        "briefing",
        "build",
        "--from",
        "2020-01-01",
        "--to",
        "2020-12-31",
        "--format",
        "docx",
        "--out",
        str(out),
        "--partnership",
        records.partnership.slug,
        stdout=io.StringIO(),
    )
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "Theme 1: Neglect" in xml and "Theme 2: Domestic abuse and coercive control" in xml


def test_seven_minute_draft_from_a_review(world):
    taxonomy_load_default(partnership=world.partnership)
    review = world.case.review
    src = source(world.partnership, review=review, title=review.title)
    _coded(world, src, "neglect", "Neglect was missed.", "See the child.")
    briefing = briefing_build_seven_minute(review=review, user=world.users[Role.ANALYST])
    sections = {s["key"]: s for s in briefing.current.content["sections"]}
    assert len(sections) == 7
    assert sections["findings"]["blocks"][0]["text"] == "Neglect was missed."
    assert "Neglect" in sections["why_it_matters"]["blocks"][0]["text"]


def test_importing_a_briefing_creates_learning_points_with_suggestions_only(world):
    briefing = briefing_import(
        partnership=world.partnership, data=REFERENCE.read_bytes(), source="note3.txt"
    )
    assert Briefing.objects.count() == 1 and len(briefing.current.content["themes"]) == 14
    points = LearningPoint.objects.filter(partnership=world.partnership)
    assert points.count() == 14
    codes = Code.objects.filter(point__in=points)
    assert codes.exists()
    assert set(codes.values_list("source", flat=True)) == {CodeSource.SUGGESTED}


def test_scope_by_review_keeps_only_that_reviews_learning(records):
    from reviewhub.learning.models import LearningSource

    only = LearningSource.objects.get(title="SCR Child Q")
    briefing = briefing_build_thematic(
        partnership=records.partnership,
        date_from=date(2020, 1, 1),
        date_to=date(2020, 12, 31),
        source_ids=[only.pk],
    )
    assert [t["title"] for t in briefing.current.content["themes"]] == [
        "Domestic abuse and coercive control"
    ]


def test_the_demo_records_build_a_briefing(db):
    call_command("demo", stdout=io.StringIO())
    from reviewhub.accounts.models import Partnership

    partnership = Partnership.objects.get(slug="northshire")
    briefing = briefing_build_thematic(
        partnership=partnership, date_from=date(2000, 1, 1), date_to=date(2100, 12, 31)
    )
    content = briefing.current.content
    assert len(content["themes"]) >= 5
    assert all(t["learned"] and t["actions"] and t["sources"] for t in content["themes"])
    assert content["background"][0]["text"].startswith("This briefing draws on")
