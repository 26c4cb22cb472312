"""Small learning records for tests: a six-theme taxonomy, sources, points and an exercise."""

import itertools

from reviewhub.accounts.choices import Role
from reviewhub.learning import services
from reviewhub.learning.choices import Axis, ReviewType, SourceKind
from reviewhub.learning.models import CodingExercise, Taxonomy, TaxonomyVersion, Theme
from reviewhub.tests import factories as base

_seq = itertools.count(1)

SMALL_THEMES = [
    ("neglect", Axis.CIRCUMSTANCES, "Neglect", ["neglect", "dental decay"]),
    (
        "domestic-abuse",
        Axis.CIRCUMSTANCES,
        "Domestic abuse",
        ["domestic abuse", "coercive control"],
    ),
    ("physical-abuse", Axis.CIRCUMSTANCES, "Physical abuse", ["bruising", "fracture"]),
    ("information-sharing", Axis.PRACTICE, "Information sharing", ["information", "share"]),
    (
        "voice-and-lived-experience",
        Axis.PRACTICE,
        "Voice of the child",
        ["voice", "lived experience"],
    ),
    (
        "challenge-and-escalation",
        Axis.PRACTICE,
        "Challenge and escalation",
        ["escalate", "challenge"],
    ),
]


def small_taxonomy(partnership) -> Taxonomy:
    """A cheap taxonomy (six themes, version 1) instead of the full default."""
    existing = Taxonomy.objects.filter(partnership=partnership).first()
    if existing is not None:
        return existing
    taxonomy = Taxonomy.objects.create(partnership=partnership, meta={"taxonomy": {"id": "t"}})
    for order, (theme_id, axis, label, keywords) in enumerate(SMALL_THEMES, start=1):
        Theme.objects.create(
            taxonomy=taxonomy,
            theme_id=theme_id,
            axis=axis,
            label=label,
            keywords=keywords,
            display_order=order,
        )
    TaxonomyVersion.objects.create(taxonomy=taxonomy, number=1, note="test", snapshot="{}")
    return taxonomy


def theme(partnership, theme_id) -> Theme:
    return Theme.objects.get(taxonomy__partnership=partnership, theme_id=theme_id)


def suggested(point, theme_id, score):
    """Store an engine suggestion on ``point`` as the coding services do (never confirmed)."""
    from reviewhub.learning.choices import CodeSource
    from reviewhub.learning.models import Code

    return Code.objects.create(
        point=point,
        theme=theme(point.partnership, theme_id),
        source=CodeSource.SUGGESTED,
        from_engine=True,
        score=score,
    )


def source(partnership, **fields):
    defaults = {
        "kind": SourceKind.LOCAL_REVIEW,
        "title": f"Review {next(_seq)}",
        "review_type": ReviewType.LCSPR,
        "year": 2024,
    }
    defaults.update(fields)
    return services.source_get_or_create(partnership=partnership, **defaults)


def point(partnership, *, published=False, suggest=False, src=None, **fields):
    small_taxonomy(partnership)
    defaults = {
        "heading": f"Learning point {next(_seq)}",
        "learned": "Agencies did not share information about neglect and dental decay.",
        "action": "Share information and escalate when worried.",
    }
    defaults.update(fields)
    return services.learning_point_create(
        partnership=partnership,
        source=src or source(partnership),
        published=published,
        suggest=suggest,
        **defaults,
    )


class LearningWorld:
    """Records the permission battery needs, built once per World."""

    def __init__(self, world):
        p = world.partnership
        self.taxonomy = small_taxonomy(p)
        self.version = self.taxonomy.versions.get()
        self.theme = theme(p, "neglect")
        self.published = point(p, published=True, heading="Published point")
        self.unpublished = point(p, heading="Unpublished point", suggest=True)
        self.blind_point = point(p, heading="Blind point")
        self.second_analyst = base.user(p, Role.ANALYST, username=f"analyst2-{next(_seq)}")
        self.exercise = CodingExercise.objects.create(
            partnership=p,
            name="Test exercise",
            coder_a=world.users[Role.ANALYST],
            coder_b=self.second_analyst,
        )
        self.exercise.points.set([self.blind_point])


def learning_world(world) -> LearningWorld:
    if not hasattr(world, "_learning"):
        world._learning = LearningWorld(world)
    return world._learning
