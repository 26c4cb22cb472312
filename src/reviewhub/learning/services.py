"""Every write to learning points, the taxonomy and codes: atomic, and audited in the same transaction.

Audit events name fields and operations only, never the text of a learning point.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record, changed

from . import taxonomy as taxonomy_yaml
from .choices import AXIS_LIMITS, CONFIRMED_SOURCES, Axis, CodeSource
from .engine import get_engine
from .models import (
    Code,
    CodingExercise,
    LearningPoint,
    LearningPointAgency,
    LearningSource,
    Recommendation,
    Taxonomy,
    TaxonomyVersion,
    Theme,
)
from .search import deferred_indexing

# ---------------------------------------------------------------------------------------------
# Taxonomy


def _snapshot(taxonomy: Taxonomy) -> str:
    return taxonomy_yaml.dump(taxonomy.meta, list(taxonomy.themes.all()))


def _record_version(
    taxonomy: Taxonomy, *, user, note: str, snapshot: str | None = None, retrain: bool = True
) -> TaxonomyVersion:
    """Bump the taxonomy's version and keep a YAML snapshot of it, audited.

    A changed taxonomy has no theme model until one is trained for it (the coding screen falls
    back to keywords meanwhile), so a retraining is queued for after the commit; not for the
    packaged default, which the packaged model already covers.
    """
    last = taxonomy.versions.aggregate(n=Max("number"))["n"] or 0
    taxonomy.version = last + 1
    taxonomy.save(update_fields=["version"])
    version = TaxonomyVersion.objects.create(
        taxonomy=taxonomy,
        number=taxonomy.version,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        note=note[:300],
        snapshot=snapshot if snapshot is not None else _snapshot(taxonomy),
    )
    audit_event_record(
        action=AuditAction.CREATE,
        obj=version,
        user=user,
        partnership_id=taxonomy.partnership_id,
        detail="taxonomy version recorded",
    )
    if retrain:
        from reviewhub.themes.services import model_retrain_queue

        model_retrain_queue(partnership=taxonomy.partnership)
    return version


def _theme_from_parsed(taxonomy: Taxonomy, parsed) -> Theme:
    theme = Theme(
        taxonomy=taxonomy,
        theme_id=parsed.theme_id,
        axis=parsed.axis,
        label=parsed.label,
        definition=parsed.definition,
        keywords=parsed.keywords,
        overlaps=parsed.overlaps,
        extra=parsed.extra,
        display_order=parsed.display_order,
        retired=parsed.retired,
    )
    theme.full_clean(exclude=["taxonomy"])
    return theme


@transaction.atomic
def taxonomy_load_default(*, partnership, user=None) -> Taxonomy:
    """Return the partnership's taxonomy, loading the packaged themes.yaml the first time."""
    existing = Taxonomy.objects.filter(partnership=partnership).first()
    if existing is not None:
        return existing
    text = taxonomy_yaml.default_yaml()
    parsed = taxonomy_yaml.parse(text)
    taxonomy = Taxonomy.objects.create(partnership=partnership, meta=parsed.meta, version=0)
    Theme.objects.bulk_create([_theme_from_parsed(taxonomy, t) for t in parsed.themes])
    audit_event_record(
        action=AuditAction.CREATE, obj=taxonomy, user=user, detail="default taxonomy loaded"
    )
    _record_version(
        taxonomy, user=user, note="Default taxonomy loaded", snapshot=text, retrain=False
    )
    return taxonomy


@transaction.atomic
def taxonomy_import(*, partnership, text: str, user=None, note: str = "") -> dict:
    """Merge a taxonomy YAML into the partnership's: add new themes, update existing ones by id.

    Themes absent from the file are left as they are (never deleted). A theme's axis never changes,
    because codes already given under it would change meaning.
    """
    parsed = taxonomy_yaml.parse(text)
    taxonomy = taxonomy_load_default(partnership=partnership, user=user)
    current = {t.theme_id: t for t in taxonomy.themes.all()}
    added = updated = 0
    for item in parsed.themes:
        theme = current.get(item.theme_id)
        if theme is None:
            _theme_from_parsed(taxonomy, item).save()
            added += 1
            continue
        if theme.axis != item.axis:
            raise taxonomy_yaml.TaxonomyFormatError(
                f"Theme {item.theme_id} is on the {theme.axis} axis here and on {item.axis} in "
                "the file; a theme cannot change axis."
            )
        before = _theme_state(theme)
        for name in ("label", "definition", "keywords", "overlaps", "extra", "display_order"):
            setattr(theme, name, getattr(item, name))
        if item.retired:
            theme.retired = True
        if _theme_state(theme) != before:
            theme.full_clean()
            theme.save()
            updated += 1
    meta_changed = parsed.meta != taxonomy.meta
    if meta_changed:
        taxonomy.meta = parsed.meta
        taxonomy.save(update_fields=["meta"])
    if added or updated or meta_changed:
        _record_version(
            taxonomy,
            user=user,
            note=note or f"Imported: {added} themes added, {updated} changed",
        )
    return {"added": added, "updated": updated, "version": taxonomy.version}


def _theme_state(theme: Theme) -> dict:
    return {
        "label": theme.label,
        "definition": theme.definition,
        "keywords": list(theme.keywords),
        "overlaps": theme.overlaps,
        "extra": theme.extra,
        "display_order": theme.display_order,
        "retired": theme.retired,
    }


@transaction.atomic
def theme_create(
    *,
    taxonomy: Taxonomy,
    user,
    theme_id: str,
    axis: str,
    label: str,
    definition: str = "",
    keywords=(),
    display_order: int = 0,
    note: str = "",
) -> Theme:
    """Add a theme to the taxonomy and record a new version."""
    if taxonomy.themes.filter(theme_id=theme_id).exists():
        raise ValidationError({"theme_id": "A theme with this id already exists."})
    theme = Theme(
        taxonomy=taxonomy,
        theme_id=theme_id,
        axis=axis,
        label=label,
        definition=definition,
        keywords=list(keywords),
        display_order=display_order,
    )
    theme.full_clean()
    theme.save()
    audit_event_record(action=AuditAction.CREATE, obj=theme, user=user)
    _record_version(taxonomy, user=user, note=note or f"Theme {theme_id} added")
    return theme


@transaction.atomic
def theme_update(*, theme: Theme, user, note: str = "", **fields) -> Theme:
    """Edit a theme's label, definition, keywords or order; the id and axis never change."""
    allowed = {"label", "definition", "keywords", "display_order"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} of a theme.")
    before = _theme_state(theme)
    for name, value in fields.items():
        setattr(theme, name, value)
    theme.full_clean()
    names = changed(before, _theme_state(theme))
    if not names:
        return theme
    theme.save()
    audit_event_record(action=AuditAction.CHANGE, obj=theme, user=user, changed_fields=names)
    _record_version(theme.taxonomy, user=user, note=note or f"Theme {theme.theme_id} edited")
    return theme


@transaction.atomic
def theme_keywords_add(*, theme: Theme, user, keywords: list[str], note: str = "") -> list[str]:
    """Add words to a theme's keywords (folding an emerging theme into it); return those added.

    Keywords the theme already has (in any case) are not added twice; when none is new, or the
    theme is retired, nothing changes and the caller is told why.
    """
    if theme.retired:
        raise ValidationError({"theme": "That theme is retired; choose a theme in use."})
    have = {k.casefold() for k in theme.keywords}
    new = []
    for k in keywords:
        if k.casefold() not in have:
            have.add(k.casefold())
            new.append(k)
    if not new:
        raise ValidationError({"keywords": f"{theme.label} already has all these keywords."})
    theme_update(
        theme=theme,
        user=user,
        keywords=[*theme.keywords, *new],
        note=note or f"Emerging theme folded into {theme.theme_id}: {', '.join(new)}"[:300],
    )
    return new


@transaction.atomic
def theme_retire(*, theme: Theme, user, retired: bool = True, note: str = "") -> Theme:
    """Retire a theme (no new codes use it; old codes keep it) or bring it back."""
    if theme.retired == retired:
        return theme
    theme.retired = retired
    theme.save(update_fields=["retired"])
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=theme,
        user=user,
        changed_fields=["retired"],
        detail="theme retired" if retired else "theme restored",
    )
    verb = "retired" if retired else "restored"
    _record_version(theme.taxonomy, user=user, note=note or f"Theme {theme.theme_id} {verb}")
    return theme


@transaction.atomic
def theme_delete(*, theme: Theme, user) -> None:
    """Delete a theme that was never used; a used theme can only be retired."""
    if Code.objects.filter(theme=theme).exists():
        raise ValidationError(
            "This theme has been used to code learning points, so it cannot be deleted. "
            "Retire it instead: old codes keep it and no new ones can use it."
        )
    taxonomy = theme.taxonomy
    audit_event_record(
        action=AuditAction.DELETE,
        object_type="learning.theme",
        object_id=str(theme.pk),
        user=user,
        partnership_id=taxonomy.partnership_id,
        detail="unused theme deleted",
    )
    theme_id = theme.theme_id
    theme.delete()
    _record_version(taxonomy, user=user, note=f"Unused theme {theme_id} deleted")


# ---------------------------------------------------------------------------------------------
# Sources and points


@transaction.atomic
def source_get_or_create(
    *,
    partnership,
    kind,
    title,
    review_type,
    publisher="",
    year=None,
    url="",
    user=None,
    review=None,
) -> LearningSource:
    """Find the partnership's source with this publisher, address, year and type, or create it.

    One published page may list several reviews (of different years or types), so the year and
    review type are part of what identifies a source.
    """
    found = LearningSource.objects.filter(
        partnership=partnership,
        publisher=publisher,
        url=url,
        title=title,
        year=year,
        review_type=review_type,
        review=review,
    ).first()
    if found is not None:
        return found
    if review is not None and review.partnership_id != partnership.pk:
        raise ValueError("The review belongs to another partnership.")
    source = LearningSource(
        partnership=partnership,
        kind=kind,
        title=title,
        publisher=publisher,
        year=year,
        review_type=review_type,
        url=url,
        review=review,
    )
    source.full_clean()
    source.save()
    audit_event_record(action=AuditAction.CREATE, obj=source, user=user)
    return source


@transaction.atomic
@deferred_indexing()  # one re-index (and embedding) per call, not one per code
def learning_point_create(
    *,
    partnership,
    source,
    heading,
    learned,
    action="",
    notes="",
    polarity=None,
    age_band="",
    agencies=(),
    published=False,
    external_id="",
    user=None,
    suggest: bool = True,
    engine=None,
) -> LearningPoint:
    """Add a learning point; the engine's suggestions are stored alongside (never confirmed)."""
    point = LearningPoint(
        partnership=partnership,
        source=source,
        heading=heading,
        learned=learned,
        action=action,
        notes=notes,
        age_band=age_band,
        published=published,
        external_id=external_id,
    )
    if polarity:
        point.polarity = polarity
    point.full_clean()
    point.save()
    if not point.external_id:
        # A stable id for export, so re-importing an export adds nothing either.
        point.external_id = f"reviewhub-{partnership.slug}-{point.pk}"
        point.save(update_fields=["external_id"])
    for sector in sorted(set(agencies)):
        agency = LearningPointAgency(point=point, sector=sector)
        agency.full_clean(exclude=["point"])
        agency.save()
    audit_event_record(action=AuditAction.CREATE, obj=point, user=user)
    if suggest:
        learning_point_suggest(point=point, user=user, engine=engine)
    return point


@transaction.atomic
def learning_point_update(*, point: LearningPoint, user, **fields) -> LearningPoint:
    """Change a point's fields (heading, text, polarity, age band, published ...)."""
    allowed = {"heading", "learned", "action", "notes", "polarity", "age_band", "published"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} of a learning point.")
    before = {name: getattr(point, name) for name in fields}
    for name, value in fields.items():
        setattr(point, name, value)
    point.full_clean()
    names = changed(before, {name: getattr(point, name) for name in fields})
    if names:
        point.save()
        audit_event_record(action=AuditAction.CHANGE, obj=point, user=user, changed_fields=names)
    return point


@transaction.atomic
def recommendation_create(
    *, partnership, source, text, reference="", points=(), user=None, scope="local"
):
    """Record a recommendation, its scope and the learning points it answers."""
    rec = Recommendation(
        partnership=partnership, source=source, text=text, reference=reference, scope=scope
    )
    rec.full_clean()
    rec.save()
    for point in points:
        if point.partnership_id != partnership.pk:
            raise ValidationError("A recommendation can only answer points of its partnership.")
    rec.learning_points.set(points)
    audit_event_record(action=AuditAction.CREATE, obj=rec, user=user)
    return rec


# ---------------------------------------------------------------------------------------------
# Coding (the point's own codes: exercise is empty)


def _live_codes(point):
    return Code.objects.filter(point=point, exercise__isnull=True).select_related("theme")


def _audit_code(code: Code, user, names, detail: str):
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=code,
        user=user,
        partnership_id=code.point.partnership_id,
        changed_fields=names,
        detail=detail,
    )


def _reopen(point: LearningPoint, user) -> None:
    """A change to the codes of a finished point makes it uncoded again until re-checked."""
    if point.coding_complete:
        point.coding_complete = False
        point.save(update_fields=["coding_complete", "updated_at"])
        audit_event_record(
            action=AuditAction.CHANGE, obj=point, user=user, changed_fields=["coding_complete"]
        )


@transaction.atomic
@deferred_indexing()  # one re-index (and embedding) per call, not one per code
def learning_point_suggest(*, point: LearningPoint, user=None, engine=None) -> int:
    """Ask the engine for themes; store its ranking as suggested codes (undecided ones replaced)."""
    engine = engine or get_engine(point.partnership)
    answer = engine.suggest(point.heading, point.learned, point.action)
    themes = {
        t.theme_id: t
        for t in Theme.objects.filter(taxonomy__partnership_id=point.partnership_id, retired=False)
    }
    existing = {c.theme.theme_id: c for c in _live_codes(point)}
    stale = [c.pk for c in existing.values() if c.source == CodeSource.SUGGESTED]
    Code.objects.filter(pk__in=stale).delete()
    made = 0
    for axis in Axis.values:
        for rank, s in enumerate(answer.get(axis, [])):
            theme = themes.get(s.theme_id)
            if theme is None or theme.axis != axis:
                continue
            decided = existing.get(s.theme_id)
            if decided is not None and decided.source != CodeSource.SUGGESTED:
                continue  # an analyst already decided about this theme
            Code.objects.create(
                point=point,
                theme=theme,
                source=CodeSource.SUGGESTED,
                from_engine=True,
                score=s.score,
                reason=s.reason[:500],
                rank=rank,
            )
            made += 1
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=point,
        user=user,
        changed_fields=["codes"],
        detail=f"engine suggestions stored ({made})",
    )
    return made


def _next_rank(point, axis) -> int:
    top = (
        _live_codes(point)
        .filter(theme__axis=axis, source__in=CONFIRMED_SOURCES)
        .aggregate(r=Max("rank"))["r"]
    )
    return 0 if top is None else top + 1


def _ensure_primary(point, axis) -> None:
    confirmed = list(
        _live_codes(point)
        .filter(theme__axis=axis, source__in=CONFIRMED_SOURCES)
        .order_by("rank", "pk")
    )
    if confirmed and not any(c.primary for c in confirmed):
        confirmed[0].primary = True
        confirmed[0].save(update_fields=["primary"])


def _usable_theme(point, theme: Theme) -> None:
    if theme.taxonomy.partnership_id != point.partnership_id:
        raise ValidationError("That theme is not in this partnership's taxonomy.")


@transaction.atomic
@deferred_indexing()  # one re-index (and embedding) per call, not one per code
def code_confirm(*, point: LearningPoint, theme: Theme, user) -> Code:
    """Confirm a theme on the point: an engine suggestion becomes confirmed; otherwise added by hand."""
    _usable_theme(point, theme)
    code = _live_codes(point).filter(theme=theme).first()
    if code is None:
        if theme.retired:
            raise ValidationError("That theme is retired: choose a current one.")
        code = Code(point=point, theme=theme, source=CodeSource.MANUAL)
        names = ["theme", "source"]
        detail = "code added by hand"
    elif code.is_confirmed:
        return code
    else:
        code.source = CodeSource.CONFIRMED if code.from_engine else CodeSource.MANUAL
        names = ["source"]
        detail = "code confirmed"
    code.rank = _next_rank(point, theme.axis)
    code.decided_by = user
    code.decided_at = timezone.now()
    code.save()
    _ensure_primary(point, theme.axis)
    code.refresh_from_db()
    _audit_code(code, user, names + ["decided_by", "decided_at"], detail)
    _reopen(point, user)
    return code


@transaction.atomic
@deferred_indexing()  # one re-index (and embedding) per call, not one per code
def code_reject(*, point: LearningPoint, theme: Theme, user) -> Code:
    """Reject a suggestion, or take back a confirmed code; the record of the decision stays."""
    _usable_theme(point, theme)
    code = _live_codes(point).filter(theme=theme).first()
    if code is None:
        code = Code(point=point, theme=theme)
    if code.source == CodeSource.REJECTED:
        return code
    was_primary = code.primary
    code.source = CodeSource.REJECTED
    code.primary = False
    code.decided_by = user
    code.decided_at = timezone.now()
    code.save()
    if was_primary:
        _ensure_primary(point, theme.axis)
    _audit_code(code, user, ["source", "primary", "decided_by", "decided_at"], "code rejected")
    _reopen(point, user)
    return code


@transaction.atomic
def code_make_primary(*, point: LearningPoint, theme: Theme, user) -> Code:
    """Make a confirmed code the primary one of its axis."""
    code = _live_codes(point).filter(theme=theme, source__in=CONFIRMED_SOURCES).first()
    if code is None:
        raise ValidationError("Only a confirmed code can be the primary theme.")
    if code.primary:
        return code
    _live_codes(point).filter(theme__axis=theme.axis, primary=True).update(primary=False)
    code.primary = True
    code.decided_by = user
    code.decided_at = timezone.now()
    code.save()
    _audit_code(code, user, ["primary", "decided_by", "decided_at"], "primary theme set")
    _reopen(point, user)
    return code


def coding_problems(codes_by_axis: dict[str, list], primaries: dict[str, str | None]) -> list[str]:
    """Say what stops a coding being complete: 0-3 circumstances, 1-3 practice, one primary each."""
    problems = []
    for axis in Axis.values:
        least, most = AXIS_LIMITS[axis]
        count = len(codes_by_axis.get(axis, []))
        name = Axis(axis).label.lower()
        if count < least:
            problems.append(f"Choose at least {least} {name} theme.")
        if count > most:
            problems.append(f"Choose at most {most} {name} themes (you have {count}).")
        primary = primaries.get(axis)
        if count and not primary:
            problems.append(f"Mark one {name} theme as primary.")
        if primary and primary not in codes_by_axis.get(axis, []):
            problems.append(f"The primary {name} theme must be one of the themes chosen.")
    return problems


def live_coding(point) -> tuple[dict[str, list[str]], dict[str, str | None]]:
    """The point's confirmed codes per axis (in order) and its primary theme per axis."""
    by_axis: dict[str, list[str]] = {a: [] for a in Axis.values}
    primaries: dict[str, str | None] = dict.fromkeys(Axis.values)
    for code in _live_codes(point).filter(source__in=CONFIRMED_SOURCES).order_by("rank", "pk"):
        by_axis[code.theme.axis].append(code.theme.theme_id)
        if code.primary:
            primaries[code.theme.axis] = code.theme.theme_id
    return by_axis, primaries


@transaction.atomic
def learning_point_coding_complete(*, point: LearningPoint, user) -> LearningPoint:
    """Mark the point coded, after checking the coding rules."""
    problems = coding_problems(*live_coding(point))
    if problems:
        raise ValidationError(problems)
    point.coding_complete = True
    point.coded_by = user
    point.coded_at = timezone.now()
    point.save(update_fields=["coding_complete", "coded_by", "coded_at", "updated_at"])
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=point,
        user=user,
        changed_fields=["coding_complete", "coded_by", "coded_at"],
        detail="coding complete",
    )
    from reviewhub.themes.services import model_retrain_if_due

    # Confirmed codes teach the engine: retrain in the background once enough have built up.
    model_retrain_if_due(partnership=point.partnership)
    return point


def _check_coding(
    point,
    circumstances,
    practice,
    primary_circumstance,
    primary_practice,
    *,
    themes: dict[str, Theme],
    allow_retired: bool = False,
) -> dict[str, list[Theme]]:
    chosen = {Axis.CIRCUMSTANCES: list(circumstances), Axis.PRACTICE: list(practice)}
    problems = coding_problems(
        chosen, {Axis.CIRCUMSTANCES: primary_circumstance, Axis.PRACTICE: primary_practice}
    )
    resolved: dict[str, list[Theme]] = {}
    for axis, ids in chosen.items():
        if len(set(ids)) != len(ids):
            problems.append(f"A {axis} theme is listed twice.")
        resolved[axis] = []
        for theme_id in ids:
            theme = themes.get(theme_id)
            if theme is None:
                problems.append(f"Unknown theme {theme_id!r}.")
            elif theme.axis != axis:
                problems.append(f"Theme {theme_id!r} is not on the {axis} axis.")
            elif theme.retired and not allow_retired:
                problems.append(f"Theme {theme_id!r} is retired.")
            else:
                resolved[axis].append(theme)
    if problems:
        raise ValidationError(problems)
    return resolved


@transaction.atomic
@deferred_indexing()  # one re-index (and embedding) per call, not one per code
def learning_point_codes_set(
    *,
    point: LearningPoint,
    user,
    circumstances,
    practice,
    primary_circumstance=None,
    primary_practice=None,
    detail: str = "coding set",
    allow_retired: bool = False,
    themes: dict | None = None,
) -> None:
    """Replace the point's codes by a complete, checked coding (import, settling an exercise)."""
    if themes is None:
        themes = {
            t.theme_id: t
            for t in Theme.objects.filter(taxonomy__partnership_id=point.partnership_id)
        }
    resolved = _check_coding(
        point,
        circumstances,
        practice,
        primary_circumstance,
        primary_practice,
        themes=themes,
        allow_retired=allow_retired,
    )
    now = timezone.now()
    existing = {c.theme_id: c for c in _live_codes(point)}
    keep = set()
    primaries = {Axis.CIRCUMSTANCES: primary_circumstance, Axis.PRACTICE: primary_practice}
    for axis, chosen in resolved.items():
        for rank, theme in enumerate(chosen):
            code = existing.get(theme.pk) or Code(point=point, theme=theme, from_engine=False)
            code.source = CodeSource.CONFIRMED if code.from_engine else CodeSource.MANUAL
            code.primary = theme.theme_id == primaries[axis]
            code.rank = rank
            code.decided_by = user if getattr(user, "is_authenticated", False) else None
            code.decided_at = now
            code.save()
            keep.add(theme.pk)
    for theme_pk, code in existing.items():
        if theme_pk not in keep and code.source in CONFIRMED_SOURCES:
            code.source = CodeSource.REJECTED
            code.primary = False
            code.decided_by = user if getattr(user, "is_authenticated", False) else None
            code.decided_at = now
            code.save()
    point.coding_complete = True
    point.coded_by = user if getattr(user, "is_authenticated", False) else None
    point.coded_at = now
    point.save(update_fields=["coding_complete", "coded_by", "coded_at", "updated_at"])
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=point,
        user=user,
        changed_fields=["codes", "coding_complete", "coded_by", "coded_at"],
        detail=detail,
    )


# ---------------------------------------------------------------------------------------------
# Double coding


@transaction.atomic
def coding_exercise_create(*, partnership, name, coder_a, coder_b, points, user) -> CodingExercise:
    """Set two analysts to code the same points blind."""
    exercise = CodingExercise(
        partnership=partnership, name=name, coder_a=coder_a, coder_b=coder_b, created_by=user
    )
    exercise.full_clean()
    points = list(points)
    if not points:
        raise ValidationError({"points": "Choose at least one learning point."})
    if any(p.partnership_id != partnership.pk for p in points):
        raise ValidationError({"points": "Every point must belong to this partnership."})
    exercise.save()
    exercise.points.set(points)
    audit_event_record(
        action=AuditAction.CREATE, obj=exercise, user=user, changed_fields=["points", "coders"]
    )
    return exercise


@transaction.atomic
def coding_exercise_code(
    *,
    exercise: CodingExercise,
    point: LearningPoint,
    coder,
    circumstances,
    practice,
    primary_circumstance=None,
    primary_practice=None,
) -> None:
    """Save one coder's blind coding of one point of the exercise."""
    if not exercise.is_coder(coder):
        raise ValidationError("Only the two coders of this exercise can code in it.")
    if exercise.finished_at_for(coder) is not None:
        raise ValidationError("You have finished this exercise; your codes can no longer change.")
    if not exercise.points.filter(pk=point.pk).exists():
        raise ValidationError("That point is not part of this exercise.")
    themes = {
        t.theme_id: t for t in Theme.objects.filter(taxonomy__partnership_id=point.partnership_id)
    }
    resolved = _check_coding(
        point, circumstances, practice, primary_circumstance, primary_practice, themes=themes
    )
    Code.objects.filter(exercise=exercise, coder=coder, point=point).delete()
    now = timezone.now()
    primaries = {Axis.CIRCUMSTANCES: primary_circumstance, Axis.PRACTICE: primary_practice}
    for axis, chosen in resolved.items():
        for rank, theme in enumerate(chosen):
            Code.objects.create(
                point=point,
                theme=theme,
                exercise=exercise,
                coder=coder,
                source=CodeSource.MANUAL,
                primary=theme.theme_id == primaries[axis],
                rank=rank,
                decided_by=coder,
                decided_at=now,
            )
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=exercise,
        user=coder,
        changed_fields=["codes"],
        detail=f"blind coding saved for point {point.pk}",
    )


@transaction.atomic
def coding_exercise_finish(*, exercise: CodingExercise, coder) -> CodingExercise:
    """A coder says they have finished; every point must carry their coding first."""
    if not exercise.is_coder(coder):
        raise ValidationError("Only the two coders of this exercise can finish it.")
    coded = set(
        Code.objects.filter(exercise=exercise, coder=coder).values_list("point_id", flat=True)
    )
    missing = exercise.points.exclude(pk__in=coded).count()
    if missing:
        raise ValidationError(f"Code every point first: {missing} still to do.")
    field = "a_finished_at" if coder.pk == exercise.coder_a_id else "b_finished_at"
    if getattr(exercise, field) is None:
        setattr(exercise, field, timezone.now())
        exercise.save(update_fields=[field])
        audit_event_record(
            action=AuditAction.CHANGE, obj=exercise, user=coder, changed_fields=[field]
        )
    return exercise


@transaction.atomic
def coding_exercise_settle(
    *,
    exercise: CodingExercise,
    point: LearningPoint,
    user,
    circumstances,
    practice,
    primary_circumstance=None,
    primary_practice=None,
) -> None:
    """Write the agreed final coding of one point as its confirmed codes."""
    if not exercise.both_finished:
        raise ValidationError("Both coders must finish before the coding can be settled.")
    if not exercise.points.filter(pk=point.pk).exists():
        raise ValidationError("That point is not part of this exercise.")
    learning_point_codes_set(
        point=point,
        user=user,
        circumstances=circumstances,
        practice=practice,
        primary_circumstance=primary_circumstance,
        primary_practice=primary_practice,
        detail=f"coding settled in exercise {exercise.pk}",
    )


@transaction.atomic
def coding_exercise_settle_agreed(*, exercise: CodingExercise, user) -> int:
    """Settle every point of the exercise that both coders coded identically and is still open."""
    if not exercise.both_finished:
        raise ValidationError("Both coders must finish before the coding can be settled.")
    codings: dict[int, dict[int, list[Code]]] = {}
    for code in Code.objects.filter(exercise=exercise).select_related("theme").order_by("rank"):
        codings.setdefault(code.coder_id, {}).setdefault(code.point_id, []).append(code)
    mine = codings.get(exercise.coder_a_id, {})
    theirs = codings.get(exercise.coder_b_id, {})

    def summary(codes):
        return {(c.theme.theme_id, c.primary) for c in codes}

    settled = 0
    for point in exercise.points.filter(coding_complete=False).order_by("pk"):
        a, b = mine.get(point.pk, []), theirs.get(point.pk, [])
        if not a or summary(a) != summary(b):
            continue
        picked = {axis: [c for c in a if c.theme.axis == axis] for axis in Axis.values}
        primary = {
            axis: next((c.theme.theme_id for c in codes if c.primary), None)
            for axis, codes in picked.items()
        }
        learning_point_codes_set(
            point=point,
            user=user,
            circumstances=[c.theme.theme_id for c in picked[Axis.CIRCUMSTANCES]],
            practice=[c.theme.theme_id for c in picked[Axis.PRACTICE]],
            primary_circumstance=primary[Axis.CIRCUMSTANCES],
            primary_practice=primary[Axis.PRACTICE],
            detail=f"agreed coding settled in exercise {exercise.pk}",
        )
        settled += 1
    return settled
