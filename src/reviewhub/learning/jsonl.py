"""Learning points as JSON lines: the format of corpus/learning.jsonl (and labels.jsonl).

Import is all or nothing: every line is checked first, and a malformed line stops the import with a
message naming the line. Each line's ``id`` is kept as the point's ``external_id``, so importing the
same file again adds nothing.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db import transaction

from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from . import services
from .choices import CONFIRMED_SOURCES, AgeBand, Axis, Polarity, ReviewType, Sector, SourceKind
from .engine import get_engine
from .models import Code, LearningPoint, Theme

MAX_LINE_CHARS = 100_000
TEXT_LIMITS = {"heading": 500, "learned": 20_000, "action": 20_000, "notes": 5_000}
REQUIRED = ("id", "heading", "learned", "review_type")
KIND_BY_REVIEW_TYPE = {
    ReviewType.NATIONAL: SourceKind.NATIONAL_REVIEW,
    ReviewType.THEMATIC: SourceKind.THEMATIC,
    ReviewType.AUDIT: SourceKind.AUDIT,
}


class LearningImportError(ValueError):
    """A line of the file cannot be imported; the message names it."""


def _load_lines(text: str, what: str) -> list[tuple[int, dict]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(line) > MAX_LINE_CHARS:
            raise LearningImportError(
                f"{what} line {number}: longer than {MAX_LINE_CHARS} characters."
            )
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LearningImportError(f"{what} line {number}: not valid JSON ({exc.msg}).")
        except RecursionError:
            raise LearningImportError(f"{what} line {number}: nested too deeply.")
        if not isinstance(row, dict):
            raise LearningImportError(f"{what} line {number}: expected a JSON object.")
        rows.append((number, row))
    return rows


def _text(row, key, number, required=False) -> str:
    value = row.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise LearningImportError(f"Line {number}: {key!r} must be text.")
    value = value.strip()
    if "\x00" in value:
        raise LearningImportError(f"Line {number}: {key!r} contains a NUL character.")
    if required and not value:
        raise LearningImportError(f"Line {number}: {key!r} is empty.")
    if len(value) > TEXT_LIMITS.get(key, 600):
        raise LearningImportError(f"Line {number}: {key!r} is too long.")
    return value


def _check_point(number: int, row: dict) -> dict:
    for key in REQUIRED:
        if key not in row:
            raise LearningImportError(f"Line {number}: the field {key!r} is missing.")
    ext = row["id"]
    if not isinstance(ext, str) or not ext.strip() or len(ext) > 100 or "\x00" in ext:
        raise LearningImportError(f"Line {number}: 'id' must be text of 1 to 100 characters.")
    review_type = row["review_type"]
    if review_type not in ReviewType.values:
        raise LearningImportError(
            f"Line {number}: review_type {str(review_type)[:40]!r} is not one of "
            f"{', '.join(ReviewType.values)}."
        )
    year = row.get("year")
    if year is not None and (
        not isinstance(year, int) or isinstance(year, bool) or not 1950 <= year <= 2100
    ):
        raise LearningImportError(f"Line {number}: year must be a year between 1950 and 2100.")
    url = _text(row, "source_url", number)
    if url and not url.startswith(("https://", "http://")):
        raise LearningImportError(f"Line {number}: source_url must be an http(s) address.")
    polarity = row.get("polarity") or Polarity.IMPROVEMENT
    if polarity not in Polarity.values:
        raise LearningImportError(
            f"Line {number}: polarity must be one of {', '.join(Polarity.values)}."
        )
    age_band = row.get("age_band") or ""
    if age_band and age_band not in AgeBand.values:
        raise LearningImportError(f"Line {number}: age_band {str(age_band)[:20]!r} is not known.")
    agencies = row.get("agencies") or []
    if not isinstance(agencies, list) or any(a not in Sector.values for a in agencies):
        raise LearningImportError(f"Line {number}: agencies must be a list of known sectors.")
    published = row.get("published", False)
    if not isinstance(published, bool):
        raise LearningImportError(f"Line {number}: published must be true or false.")
    publisher = _text(row, "publisher", number)
    heading = _text(row, "heading", number, required=True)
    return {
        "external_id": ext.strip(),
        "heading": heading,
        "learned": _text(row, "learned", number, required=True),
        "action": _text(row, "action", number),
        "notes": _text(row, "notes", number),
        "publisher": publisher,
        "url": url,
        "year": year,
        "review_type": review_type,
        "polarity": polarity,
        "age_band": age_band,
        "agencies": agencies,
        "published": published,
    }


def _check_labels(number: int, row: dict) -> dict:
    ext = row.get("id")
    if not isinstance(ext, str) or not ext.strip():
        raise LearningImportError(f"Labels line {number}: 'id' is missing.")
    out = {"id": ext.strip()}
    for key in ("circumstances", "practice"):
        value = row.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise LearningImportError(f"Labels line {number}: {key!r} must be a list of theme ids.")
        out[key] = value
    for key in ("primary_circumstance", "primary_practice"):
        value = row.get(key)
        if value is not None and not isinstance(value, str):
            raise LearningImportError(f"Labels line {number}: {key!r} must be a theme id or null.")
        out[key] = value
    return out


@transaction.atomic
def learning_import(*, partnership, text: str, labels_text: str | None = None, user=None) -> dict:
    """Import learning points (and their confirmed codes); all or nothing.

    The points are indexed for search in one batch at the end, inside the same transaction.
    """
    from reviewhub.audit.services import audit_batch

    from .search import deferred_indexing

    # The audit events are written last, so the audit chain's lock is held only briefly.
    with audit_batch(), deferred_indexing():
        return _learning_import(
            partnership=partnership, text=text, labels_text=labels_text, user=user
        )


def _learning_import(*, partnership, text: str, labels_text: str | None, user) -> dict:
    services.taxonomy_load_default(partnership=partnership, user=user)
    points = [(n, _check_point(n, row)) for n, row in _load_lines(text, "Learning")]
    seen = {}
    for number, data in points:
        if data["external_id"] in seen:
            raise LearningImportError(
                f"Line {number}: id {data['external_id']!r} was already used on line "
                f"{seen[data['external_id']]}."
            )
        seen[data["external_id"]] = number
    labels = {}
    if labels_text is not None:
        for number, row in _load_lines(labels_text, "Labels"):
            checked = _check_labels(number, row)
            if checked["id"] in labels:
                raise LearningImportError(f"Labels line {number}: id {checked['id']!r} repeated.")
            labels[checked["id"]] = (number, checked)
        unknown = sorted(set(labels) - set(seen))
        if unknown:
            number = labels[unknown[0]][0]
            raise LearningImportError(
                f"Labels line {number}: id {unknown[0]!r} is not in the learning file."
            )
    existing = set(
        LearningPoint.objects.filter(
            partnership=partnership, external_id__in=list(seen)
        ).values_list("external_id", flat=True)
    )
    added = skipped = coded = 0
    themes = {t.theme_id: t for t in Theme.objects.filter(taxonomy__partnership=partnership)}
    engine = get_engine(partnership)
    for number, data in points:
        if data["external_id"] in existing:
            skipped += 1
            continue
        try:
            source = services.source_get_or_create(
                partnership=partnership,
                kind=KIND_BY_REVIEW_TYPE.get(data["review_type"], SourceKind.OTHER_PARTNERSHIP),
                title=data["publisher"] or data["url"] or "Unnamed source",
                publisher=data["publisher"],
                url=data["url"],
                year=data["year"],
                review_type=data["review_type"],
                user=user,
            )
            label = labels.get(data["external_id"])
            point = services.learning_point_create(
                partnership=partnership,
                source=source,
                heading=data["heading"],
                learned=data["learned"],
                action=data["action"],
                notes=data["notes"],
                polarity=data["polarity"],
                age_band=data["age_band"],
                agencies=data["agencies"],
                published=data["published"],
                external_id=data["external_id"],
                user=user,
                suggest=label is None,
                engine=engine,
            )
            if label is not None:
                services.learning_point_codes_set(
                    point=point,
                    user=user,
                    circumstances=label[1]["circumstances"],
                    practice=label[1]["practice"],
                    primary_circumstance=label[1]["primary_circumstance"],
                    primary_practice=label[1]["primary_practice"],
                    detail="codes confirmed on import",
                    themes=themes,
                )
                coded += 1
        except ValidationError as exc:
            where = f"Labels line {label[0]}" if label is not None else f"Line {number}"
            raise LearningImportError(
                f"{where} (id {data['external_id']!r}): {'; '.join(exc.messages)}"
            )
        added += 1
    audit_event_record(
        action=AuditAction.CREATE,
        object_type="learning.learningpoint",
        user=user,
        partnership_id=partnership.pk,
        detail=f"import: {added} added, {skipped} already present, {coded} coded",
    )
    return {"added": added, "skipped": skipped, "coded": coded}


def export_rows(points) -> list[dict]:
    """Each point as a JSON object in the import format, with its confirmed codes."""
    points = list(points.select_related("source").prefetch_related("agencies"))
    codes: dict[int, list[Code]] = {}
    for code in (
        Code.objects.filter(point__in=points, exercise__isnull=True, source__in=CONFIRMED_SOURCES)
        .select_related("theme")
        .order_by("rank", "pk")
    ):
        codes.setdefault(code.point_id, []).append(code)
    rows = []
    for point in points:
        row = {
            "id": point.external_id,
            "source_url": point.source.url,
            "publisher": point.source.publisher,
            "year": point.source.year,
            "review_type": point.source.review_type,
            "heading": point.heading,
            "learned": point.learned,
            "action": point.action,
            "notes": point.notes,
            "polarity": point.polarity,
            "age_band": point.age_band,
            "agencies": point.agency_values(),
            "published": point.published,
        }
        for axis, key, primary_key in (
            (Axis.CIRCUMSTANCES, "circumstances", "primary_circumstance"),
            (Axis.PRACTICE, "practice", "primary_practice"),
        ):
            mine = [c for c in codes.get(point.pk, []) if c.theme.axis == axis]
            row[key] = [c.theme.theme_id for c in mine]
            row[primary_key] = next((c.theme.theme_id for c in mine if c.primary), None)
        rows.append(row)
    return rows


def export_jsonl(points) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in export_rows(points))
