"""Retrain a partnership's theme model from the codes its analysts confirmed and rejected."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from .models import ModelVersion

# Retrain once this many more points have confirmed codes than the last version learned from.
RETRAIN_EVERY = 10


def training_examples(partnership) -> list[dict]:
    """Confirmed and rejected codes of the partnership's points, as engine training examples."""
    from reviewhub.learning.choices import CodeSource
    from reviewhub.learning.models import Code, LearningPoint

    codes = (
        Code.objects.filter(point__partnership=partnership, exercise__isnull=True)
        .exclude(source=CodeSource.SUGGESTED)
        .values_list("point_id", "theme__theme_id", "theme__axis", "source")
    )
    by_point: dict[int, dict] = {}
    for point_id, theme_id, axis, source in codes:
        entry = by_point.setdefault(point_id, {"circumstances": [], "practice": [], "rejected": []})
        if source == CodeSource.REJECTED:
            entry["rejected"].append(theme_id)
        else:
            entry[axis].append(theme_id)
    points = LearningPoint.objects.filter(pk__in=list(by_point)).values(
        "pk", "heading", "learned", "action", "source__publisher"
    )
    examples = []
    for p in points:
        entry = by_point[p["pk"]]
        if not (entry["circumstances"] or entry["practice"]):
            continue  # only rejections: nothing to learn a positive from
        examples.append(
            {
                "heading": p["heading"],
                "learned": p["learned"],
                "action": p["action"],
                "group": p["source__publisher"] or f"point-{p['pk']}",
                "display": p["heading"][:80],
                **entry,
            }
        )
    return examples


def model_version_train(*, partnership, user=None) -> ModelVersion:
    """Train a new model version from the partnership's own codes plus the shipped codebook."""
    from .engine import train
    from .selectors import partnership_taxonomy

    taxonomy = partnership_taxonomy(partnership)
    examples = training_examples(partnership)
    state = train(taxonomy, examples)
    with transaction.atomic():
        version = ModelVersion.objects.create(
            partnership=partnership,
            version=state.version,
            state=state.to_bytes(),
            figures=state.figures,
            taxonomy_fingerprint=taxonomy.fingerprint(),
            examples=len(examples),
        )
        audit_event_record(
            action=AuditAction.CREATE,
            obj=version,
            user=user,
            partnership_id=partnership.pk,
            detail=f"theme model {state.version} trained on {len(examples)} coded points",
        )
    return version


def model_retrain_if_due(*, partnership) -> bool:
    """Queue a retraining when enough newly coded points have accumulated; True if queued."""
    from reviewhub.learning.models import LearningPoint

    coded = LearningPoint.objects.filter(partnership=partnership, coding_complete=True).count()
    learned = (
        ModelVersion.objects.filter(partnership=partnership).aggregate(n=Max("examples"))["n"] or 0
    )
    if coded - learned < RETRAIN_EVERY:
        return False
    model_retrain_queue(partnership=partnership)
    return True


def model_retrain_queue(*, partnership) -> None:
    """Queue a new model version after the commit (enough new codes, or the taxonomy changed:
    see ``learning.services._record_version``)."""
    from .tasks import retrain_theme_model

    transaction.on_commit(lambda: retrain_theme_model.enqueue(partnership.pk))
