"""The partnership's theme model: the coding screen uses the engine, and confirmations retrain it."""

import pytest

from reviewhub.accounts.choices import Role
from reviewhub.learning.choices import CodeSource
from reviewhub.learning.engine import KeywordEngine, ThemeEngineAdapter, get_engine
from reviewhub.learning.models import Code, Theme
from reviewhub.learning.services import taxonomy_load_default
from reviewhub.learning.tests.factories import point
from reviewhub.themes.models import ModelVersion
from reviewhub.themes.selectors import engine_for
from reviewhub.themes.services import model_version_train, training_examples

pytestmark = pytest.mark.django_db


def test_the_default_taxonomy_is_served_by_the_theme_engine_with_reasons(world):
    taxonomy_load_default(partnership=world.partnership)
    engine = get_engine(world.partnership)
    assert isinstance(engine, ThemeEngineAdapter)
    answer = engine.suggest(
        "Unsafe sleeping",
        "The baby died while co-sleeping with a parent who had been drinking.",
        "Talk about safer sleep at every contact.",
    )
    top = answer["circumstances"][0]
    assert top.theme_id == "sudi-unsafe-sleep" and top.selected
    assert top.reason  # words matched or nearest examples, in words


def test_a_theme_the_model_never_saw_falls_back_to_keywords_until_retrained(world):
    taxonomy_load_default(partnership=world.partnership)
    taxonomy = Theme.objects.filter(taxonomy__partnership=world.partnership).first().taxonomy
    Theme.objects.create(
        taxonomy=taxonomy,
        theme_id="online-gaming-harm",
        axis="circumstances",
        label="Harm through online gaming",
        definition="Grooming or exploitation that starts in online games.",
        keywords=["online gaming", "in-game chat"],
        display_order=99,
    )
    assert engine_for(world.partnership) is None
    assert isinstance(get_engine(world.partnership), KeywordEngine)


def test_retraining_learns_from_confirmed_and_rejected_codes_and_keeps_versions(world):
    taxonomy_load_default(partnership=world.partnership)
    analyst = world.users[Role.ANALYST]
    p = point(
        world.partnership,
        heading="Dads were invisible",
        learned="Fathers and male carers were not asked about or assessed.",
        action="Ask about every man in the child's life.",
    )
    neglect = Theme.objects.get(taxonomy__partnership=world.partnership, theme_id="neglect")
    invisible = Theme.objects.get(
        taxonomy__partnership=world.partnership, theme_id="fathers-and-men"
    )
    Code.objects.create(point=p, theme=invisible, source=CodeSource.CONFIRMED, decided_by=analyst)
    Code.objects.create(point=p, theme=neglect, source=CodeSource.REJECTED, decided_by=analyst)
    examples = training_examples(world.partnership)
    assert len(examples) == 1
    assert examples[0]["rejected"] == ["neglect"]
    version = model_version_train(partnership=world.partnership, user=analyst)
    assert ModelVersion.objects.filter(partnership=world.partnership).count() == 1
    assert version.examples == 1 and version.figures
    engine = engine_for(world.partnership)
    assert engine.version == version.version
