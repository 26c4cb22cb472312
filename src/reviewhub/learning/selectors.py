"""Every read of learning points goes through ``LearningPoint.access_rule`` (via ``restrict``).

``learning_counts_by`` is shared with briefings and the yearly report.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from reviewhub.accounts.access import Action, get_for_user

from .agreement import Agreement, agreement
from .choices import CONFIRMED_SOURCES, Axis, CodeSource, Polarity, ReviewType, Sector
from .models import Code, CodingExercise, LearningPoint, Taxonomy, Theme

FILTERS = ("theme", "year", "review_type", "agency", "polarity", "published")
COUNT_DIMENSIONS = ("theme", "year", "review_type", "agency", "polarity")


def clean_filters(raw) -> dict:
    """Keep only well-formed filter values (unknown ones are ignored, never passed to the ORM)."""
    out = {}
    theme = (raw.get("theme") or "").strip()
    if theme and len(theme) <= 80:
        out["theme"] = theme
    year = (raw.get("year") or "").strip()
    if year.isdigit() and len(year) == 4:
        out["year"] = int(year)
    elif year == "none":
        out["year"] = "none"
    if raw.get("review_type") in ReviewType.values:
        out["review_type"] = raw.get("review_type")
    if raw.get("agency") in Sector.values:
        out["agency"] = raw.get("agency")
    if raw.get("polarity") in Polarity.values:
        out["polarity"] = raw.get("polarity")
    if raw.get("published") in ("yes", "no"):
        out["published"] = raw.get("published")
    return out


def _confirmed_with_theme(theme_id: str):
    return Code.objects.filter(
        point=OuterRef("pk"),
        exercise__isnull=True,
        source__in=CONFIRMED_SOURCES,
        theme__theme_id=theme_id,
    )


def learning_point_list(*, user, partnership=None, filters: dict | None = None):
    """The points the user may see (in one partnership when given), narrowed by ``filters``."""
    qs = LearningPoint.objects.restrict(user, Action.VIEW)
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    filters = filters or {}
    if "theme" in filters:
        qs = qs.filter(Exists(_confirmed_with_theme(filters["theme"])))
    if filters.get("year") == "none":
        qs = qs.filter(source__year__isnull=True)
    elif "year" in filters:
        qs = qs.filter(source__year=filters["year"])
    if "review_type" in filters:
        qs = qs.filter(source__review_type=filters["review_type"])
    if "agency" in filters:
        qs = qs.filter(agencies__sector=filters["agency"])
    if "polarity" in filters:
        qs = qs.filter(polarity=filters["polarity"])
    if "published" in filters:
        qs = qs.filter(published=filters["published"] == "yes")
    return qs.select_related("source").order_by("-source__year", "pk").distinct()


def learning_list_audit(*, points, filters: dict, detail: str) -> None:
    """Audit a list of learning when it holds unpublished points (confidential), as a search of
    unpublished material is audited; lists of published learning alone are not. Filter names
    only, never their values."""
    from reviewhub.audit.choices import AuditAction
    from reviewhub.audit.services import audit_event_record

    if points.filter(published=False).exists():
        audit_event_record(
            action=AuditAction.SEARCH,
            object_type="learning.learningpoint",
            detail=detail,
            changed_fields=sorted(filters),
        )


@dataclass(frozen=True)
class CountRow:
    value: str
    label: str
    count: int
    axis: str = ""


def learning_counts_by(
    *, user, by: str, partnership=None, filters: dict | None = None
) -> list[CountRow]:
    """Count the points the user may see by theme, year, review type, agency or polarity.

    Only confirmed codes count towards themes. Rows come biggest first (years newest first).
    """
    if by not in COUNT_DIMENSIONS:
        raise ValueError(f"Cannot count learning by {by!r}.")
    points = learning_point_list(user=user, partnership=partnership, filters=filters)
    ids = points.values("pk")
    if by == "theme":
        rows = (
            Code.objects.filter(point__in=ids, exercise__isnull=True, source__in=CONFIRMED_SOURCES)
            .values("theme__theme_id", "theme__label", "theme__axis")
            .annotate(n=Count("point", distinct=True))
            .order_by("-n", "theme__axis", "theme__theme_id")
        )
        merged: dict[str, CountRow] = {}
        for r in rows:
            # Several partnerships (national analysts) may label one id differently: sum by id.
            key = r["theme__theme_id"]
            old = merged.get(key)
            merged[key] = CountRow(
                key, r["theme__label"], r["n"] + (old.count if old else 0), r["theme__axis"]
            )
        return sorted(merged.values(), key=lambda c: (-c.count, c.axis, c.value))
    if by == "agency":
        rows = (
            LearningPoint.objects.filter(pk__in=ids)
            .values("agencies__sector")
            .exclude(agencies__sector=None)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", "agencies__sector")
        )
        labels = dict(Sector.choices)
        return [
            CountRow(
                r["agencies__sector"],
                labels.get(r["agencies__sector"], r["agencies__sector"]),
                r["n"],
            )
            for r in rows
        ]
    field = {"year": "source__year", "review_type": "source__review_type", "polarity": "polarity"}[
        by
    ]
    rows = (
        LearningPoint.objects.filter(pk__in=ids)
        .values(field)
        .annotate(n=Count("pk", distinct=True))
        .order_by(field)
    )
    labels = {"review_type": dict(ReviewType.choices), "polarity": dict(Polarity.choices)}.get(
        by, {}
    )
    result = [
        CountRow(
            "none" if r[field] is None else str(r[field]),
            "Year not stated" if r[field] is None else str(labels.get(r[field], r[field])),
            r["n"],
        )
        for r in rows
    ]
    if by == "year":
        return sorted(
            result, key=lambda c: (c.value == "none", -int(c.value) if c.value.isdigit() else 0)
        )
    return sorted(result, key=lambda c: (-c.count, c.value))


def learning_point_get(*, user, pk, action: str = Action.VIEW) -> LearningPoint:
    """One point through the access rule (404 and an audited denial otherwise)."""
    return get_for_user(
        LearningPoint.objects.select_related("source", "partnership"), user, pk, action
    )


def taxonomy_for(partnership) -> Taxonomy | None:
    return Taxonomy.objects.filter(partnership=partnership).first()


def themes_for(partnership, *, include_retired: bool = True):
    qs = Theme.objects.filter(taxonomy__partnership=partnership)
    if not include_retired:
        qs = qs.filter(retired=False)
    return qs.order_by("axis", "display_order", "theme_id")


def open_exercises_for(user, point) -> list[CodingExercise]:
    """Unfinished exercises in which the user codes this point blind (so must not see codes)."""
    return list(
        CodingExercise.objects.filter(points=point)
        .filter(Q(coder_a=user) | Q(coder_b=user))
        .filter(Q(a_finished_at__isnull=True) | Q(b_finished_at__isnull=True))
    )


def blind_point_ids(user, partnership) -> set[int]:
    """Points the user is coding blind in an unfinished exercise."""
    return set(
        CodingExercise.objects.filter(partnership=partnership)
        .filter(Q(coder_a=user) | Q(coder_b=user))
        .filter(Q(a_finished_at__isnull=True) | Q(b_finished_at__isnull=True))
        .values_list("points", flat=True)
    )


def next_uncoded_point(*, user, partnership, after_pk: int | None = None) -> LearningPoint | None:
    """The next point (after ``after_pk``, wrapping round) whose coding is not complete."""
    qs = (
        LearningPoint.objects.restrict(user, Action.CHANGE)
        .filter(partnership=partnership, coding_complete=False)
        .exclude(pk__in=blind_point_ids(user, partnership))
        .order_by("pk")
    )
    if after_pk is not None:
        later = qs.filter(pk__gt=after_pk).first()
        if later is not None:
            return later
    return qs.exclude(pk=after_pk).first() if after_pk is not None else qs.first()


def uncoded_count(*, user, partnership) -> int:
    return (
        LearningPoint.objects.restrict(user, Action.CHANGE)
        .filter(partnership=partnership, coding_complete=False)
        .count()
    )


def coding_screen(point) -> dict:
    """What the coding screen shows: per axis, open suggestions, confirmed and rejected codes."""
    codes = list(
        Code.objects.filter(point=point, exercise__isnull=True)
        .select_related("theme", "decided_by")
        .order_by("-score", "rank", "pk")
    )
    axes = []
    shortcut = 0
    for axis in Axis:
        mine = [c for c in codes if c.theme.axis == axis.value]
        suggested = [c for c in mine if c.source == CodeSource.SUGGESTED]
        for code in suggested:
            shortcut += 1
            code.shortcut = shortcut if shortcut <= 9 else None
        confirmed = sorted(
            (c for c in mine if c.source in CONFIRMED_SOURCES),
            key=lambda c: (not c.primary, c.rank),
        )
        axes.append(
            {
                "axis": axis.value,
                "label": axis.label,
                "suggested": suggested,
                "confirmed": confirmed,
                "rejected": [c for c in mine if c.source == CodeSource.REJECTED],
            }
        )
    return {"axes": axes, "has_suggestions": any(c.from_engine for c in codes)}


def confirmed_codes(point):
    return (
        Code.objects.filter(point=point, exercise__isnull=True, source__in=CONFIRMED_SOURCES)
        .select_related("theme")
        .order_by("theme__axis", "-primary", "rank")
    )


def coding_exercise_list(*, user, partnership):
    return CodingExercise.objects.restrict(user).filter(partnership=partnership)


def coding_exercise_get(*, user, pk) -> CodingExercise:
    return get_for_user(CodingExercise, user, pk)


def exercise_codings(exercise) -> dict[int, dict[int, dict]]:
    """{coder id: {point id: {"themes": set, "primary": {axis: id}}}} of the exercise."""
    out: dict[int, dict[int, dict]] = {exercise.coder_a_id: {}, exercise.coder_b_id: {}}
    for code in Code.objects.filter(exercise=exercise).select_related("theme"):
        entry = out.setdefault(code.coder_id, {}).setdefault(
            code.point_id, {"themes": set(), "primary": {}}
        )
        entry["themes"].add(code.theme.theme_id)
        if code.primary:
            entry["primary"][code.theme.axis] = code.theme.theme_id
    return out


def exercise_agreement(exercise) -> tuple[Agreement, dict]:
    """Agreement figures over the themes either coder used, and each coder's coding."""
    codings = exercise_codings(exercise)
    a = {p: e["themes"] for p, e in codings.get(exercise.coder_a_id, {}).items()}
    b = {p: e["themes"] for p, e in codings.get(exercise.coder_b_id, {}).items()}
    used = sorted(set().union(*a.values(), *b.values()))
    items = list(exercise.points.order_by("pk").values_list("pk", flat=True))
    return agreement(items, a, b, used), codings
