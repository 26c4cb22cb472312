"""Learning points, their sources and recommendations; the theme taxonomy; codes and coding exercises."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from reviewhub.accounts.access import (
    Action,
    RestrictedQuerySet,
    any_of,
    in_partnerships,
    partnerships_with,
)
from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import Partnership

from .choices import (
    THEME_MAX_KEYWORDS,
    AgeBand,
    Axis,
    CodeSource,
    Polarity,
    RecommendationScope,
    ReviewType,
    Sector,
    SourceKind,
)

# Roles that see every learning point of their partnership, published or not, and may code them.
LEARNING_STAFF = frozenset({Role.ANALYST, Role.BUSINESS_UNIT, Role.ADMINISTRATOR})
# Roles that see the published points of their partnership.
LEARNING_READERS = frozenset({Role.PRACTITIONER, Role.PARTNER_LEAD, Role.REVIEWER})
# Roles that code points and run coding exercises.
CODERS = frozenset({Role.ANALYST})


def _review_visible_q(user, field: str = "source__review") -> Q | None:
    """Unpublished points of reviews the user may see (partner leads, reviewers).

    Access follows the review's own rule, so a reviewer sees the draft learning of the reviews
    they lead and a partner lead that of cases their agency is involved in.
    """
    from reviewhub.cases.models import Review

    return Q(**{f"{field}__in": Review.objects.restrict(user, "view").values("pk")})


class Taxonomy(models.Model):
    """A partnership's codebook: the default themes.yaml, as extended and edited by administrators."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.PROTECT, related_name="taxonomy"
    )
    # The non-theme parts of the YAML (taxonomy header, coding rules, axis labels, facets ...), kept
    # so an export has the same shape as the file imported.
    meta = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return f"Taxonomy of {self.partnership} (version {self.version})"

    @classmethod
    def access_rule(cls, user, action):
        if action == Action.VIEW:
            return any_of(
                in_partnerships(user, LEARNING_STAFF | LEARNING_READERS | {Role.NATIONAL_ANALYST})
            )
        return in_partnerships(user, {Role.ADMINISTRATOR})


class Theme(models.Model):
    """One theme on one axis. ``theme_id`` is the stable key; labels and order may change."""

    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="themes")
    theme_id = models.SlugField(max_length=80)
    axis = models.CharField(max_length=20, choices=Axis.choices)
    label = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True)
    overlaps = models.JSONField(default=list, blank=True)
    # Anything else the YAML says about the theme (applies_to, maps_to ...), kept for export.
    extra = models.JSONField(default=dict, blank=True)
    display_order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["axis", "display_order", "theme_id"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "theme_id"], name="theme_unique_id")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def partnership_id(self):
        return self.taxonomy.partnership_id

    def clean(self) -> None:
        if not isinstance(self.keywords, list) or not all(
            isinstance(k, str) and k.strip() for k in self.keywords
        ):
            raise ValidationError({"keywords": "Keywords must be a list of words or phrases."})
        if len(self.keywords) > THEME_MAX_KEYWORDS:
            raise ValidationError(
                {"keywords": f"A theme has at most {THEME_MAX_KEYWORDS} keywords."}
            )


class TaxonomyVersion(models.Model):
    """A recorded state of the taxonomy after a change: who, when, why, and the YAML it exported."""

    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300)
    snapshot = models.TextField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "number"], name="taxonomy_version_unique")
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class LearningSource(models.Model):
    """Where learning points come from: a local review, a national one, another partnership's, an audit."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="learning_sources"
    )
    kind = models.CharField(max_length=30, choices=SourceKind.choices)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    review_type = models.CharField(max_length=20, choices=ReviewType.choices)
    url = models.URLField(max_length=600, blank=True)
    # The partnership's own review this learning comes from (None for external sources).
    review = models.ForeignKey(
        "cases.Review",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_sources",
    )

    class Meta:
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.year is not None and not 1950 <= self.year <= 2100:
            raise ValidationError({"year": "Enter a year between 1950 and 2100."})


class LearningPoint(models.Model):
    """One thing learned from a review, what to do about it, and its codes on both axes."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="learning_points"
    )
    source = models.ForeignKey(LearningSource, on_delete=models.PROTECT, related_name="points")
    # The `id` a point was imported with; unique in the partnership so re-imports add nothing.
    external_id = models.CharField(max_length=100, blank=True)
    heading = models.CharField(max_length=500)
    learned = models.TextField("What we have learned")
    action = models.TextField("What you should do", blank=True)
    notes = models.TextField(blank=True)
    polarity = models.CharField(
        max_length=20, choices=Polarity.choices, default=Polarity.IMPROVEMENT
    )
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    published = models.BooleanField(default=False)
    coding_complete = models.BooleanField(default=False)
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    coded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "external_id"],
                condition=~Q(external_id=""),
                name="learning_point_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return self.heading

    def clean(self) -> None:
        if (
            self.source_id
            and self.partnership_id
            and self.source.partnership_id != self.partnership_id
        ):
            raise ValidationError({"source": "The source belongs to another partnership."})
        if not (self.heading or "").strip():
            raise ValidationError({"heading": "Enter a heading."})
        if not (self.learned or "").strip():
            raise ValidationError({"learned": "Enter what we have learned."})

    @classmethod
    def access_rule(cls, user, action):
        """Partnership first; staff see all, readers and national analysts published points only."""
        staff = in_partnerships(user, LEARNING_STAFF)
        if action != Action.VIEW and action != Action.EXPORT:
            return staff
        readers = in_partnerships(user, LEARNING_READERS)
        national = Q() if partnerships_with(user, {Role.NATIONAL_ANALYST}) else None
        return any_of(
            staff,
            readers & Q(published=True) if readers is not None else None,
            national & Q(published=True) if national is not None else None,
            _review_visible_q(user),
        )

    def agency_values(self) -> list[str]:
        return [a.sector for a in self.agencies.all()]


class LearningPointAgency(models.Model):
    """An agency or sector a learning point concerns."""

    point = models.ForeignKey(LearningPoint, on_delete=models.CASCADE, related_name="agencies")
    sector = models.CharField(max_length=40, choices=Sector.choices)

    class Meta:
        ordering = ["sector"]
        constraints = [
            models.UniqueConstraint(fields=["point", "sector"], name="point_agency_unique")
        ]

    def __str__(self) -> str:
        return self.get_sector_display()


class Recommendation(models.Model):
    """A recommendation of a review, linked to the learning points it answers."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="recommendations"
    )
    source = models.ForeignKey(
        LearningSource, on_delete=models.PROTECT, related_name="recommendations"
    )
    reference = models.CharField(max_length=40, blank=True)
    text = models.TextField()
    scope = models.CharField(
        max_length=20, choices=RecommendationScope.choices, default=RecommendationScope.LOCAL
    )
    learning_points = models.ManyToManyField(
        LearningPoint, related_name="recommendations", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["source", "reference", "pk"]

    def __str__(self) -> str:
        return self.reference or self.text[:60]

    @classmethod
    def access_rule(cls, user, action):
        """Staff see all; others see the recommendations of the sources whose points they may see."""
        staff = in_partnerships(user, LEARNING_STAFF)
        if action != Action.VIEW:
            return staff
        visible_points = LearningPoint.objects.restrict(user, Action.VIEW)
        return any_of(staff, Q(source__points__in=visible_points))


class CodingExercise(models.Model):
    """Two analysts code the same points blind, then compare and settle a final coding."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="coding_exercises"
    )
    name = models.CharField(max_length=200)
    points = models.ManyToManyField(LearningPoint, related_name="exercises")
    coder_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    coder_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    a_finished_at = models.DateTimeField(null=True, blank=True)
    b_finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.coder_a_id and self.coder_a_id == self.coder_b_id:
            raise ValidationError({"coder_b": "Choose a different analyst from the first coder."})

    @classmethod
    def access_rule(cls, user, action):
        return in_partnerships(user, CODERS)

    @property
    def both_finished(self) -> bool:
        return self.a_finished_at is not None and self.b_finished_at is not None

    def finished_at_for(self, user):
        if user.pk == self.coder_a_id:
            return self.a_finished_at
        if user.pk == self.coder_b_id:
            return self.b_finished_at
        return None

    def is_coder(self, user) -> bool:
        return user.pk in (self.coder_a_id, self.coder_b_id)


class Code(models.Model):
    """One theme on one point, with where it came from and who decided.

    ``exercise`` and ``coder`` are empty for the point's own coding; in a coding exercise each
    coder's codes are kept apart (and hidden from the other coder until both finish).
    """

    point = models.ForeignKey(LearningPoint, on_delete=models.CASCADE, related_name="codes")
    # PROTECT: a theme that was ever used cannot be deleted, only retired.
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="codes")
    exercise = models.ForeignKey(
        CodingExercise, on_delete=models.CASCADE, null=True, blank=True, related_name="codes"
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=20, choices=CodeSource.choices)
    from_engine = models.BooleanField(default=False)
    score = models.FloatField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    primary = models.BooleanField(default=False)
    rank = models.PositiveSmallIntegerField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme__axis", "-primary", "rank", "-score", "theme__display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "theme"],
                condition=Q(exercise__isnull=True),
                name="code_unique_theme_per_point",
            ),
            models.UniqueConstraint(
                fields=["exercise", "coder", "point", "theme"],
                condition=Q(exercise__isnull=False),
                name="code_unique_theme_per_coder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.theme.theme_id} ({self.source})"

    @property
    def partnership_id(self):
        return self.point.partnership_id

    @property
    def is_confirmed(self) -> bool:
        return self.source in (CodeSource.CONFIRMED, CodeSource.MANUAL)
