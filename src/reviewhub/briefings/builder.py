"""Draft briefings from the partnership's records.

A thematic briefing gathers the confirmed learning points in scope, groups them by theme (a
point goes under its primary circumstances theme, or its primary practice theme when the point
is about the system only), orders the themes by how many reviews raised them, and drafts each
theme's two sections from the points, keeping each point's review for traceability. The analyst
edits everything before anything is published.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from django.db.models import Q

from .document import (
    ACTION_HEADING,
    LEARNED_HEADING,
    BriefingDocument,
    BulletList,
    Paragraph,
    Theme,
    seven_minute_briefing,
)

NUMBER_WORDS = [
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]
TYPE_NAMES = {
    "rapid review": ("rapid review", "rapid reviews"),
    "LCSPR": (
        "local child safeguarding practice review",
        "local child safeguarding practice reviews",
    ),
    "SCR": ("earlier serious case review", "earlier serious case reviews"),
    "SAR": ("safeguarding adults review", "safeguarding adults reviews"),
    "national": ("national review", "national reviews"),
    "thematic": ("thematic review", "thematic reviews"),
    "audit": ("multi-agency audit", "multi-agency audits"),
}
_BULLET = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s+")


def _count(n: int, kind: str) -> str:
    one, many = TYPE_NAMES.get(kind, (f"{kind} review", f"{kind} reviews"))
    words = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return f"{words} {one if n == 1 else many}"


def _blocks(texts: list[str]) -> list:
    """Turn point texts into paragraphs, keeping bullet lines as one bullet list."""
    blocks, bullets, seen = [], [], set()
    for text in texts:
        for line in [t.strip() for t in text.splitlines() if t.strip()]:
            key = line.lower()
            if key in seen:
                continue  # the same sentence from two reviews is said once
            seen.add(key)
            if _BULLET.match(line):
                bullets.append(_BULLET.sub("", line))
                continue
            if bullets:
                blocks.append(BulletList(bullets))
                bullets = []
            blocks.append(Paragraph(line))
    if bullets:
        blocks.append(BulletList(bullets))
    return blocks


def points_in_scope(
    points, date_from: date, date_to: date, review_types=(), theme_ids=(), source_ids=()
):
    """Narrow a queryset of learning points to a briefing's scope.

    A point is in the period when its review was completed in it, or, for points without a
    review record, when its source's year falls in it.
    """
    from reviewhub.learning.choices import CONFIRMED_SOURCES

    qs = points.filter(
        Q(source__review__completed_on__range=(date_from, date_to))
        | Q(
            source__review__isnull=True,
            source__year__gte=date_from.year,
            source__year__lte=date_to.year,
        )
    )
    if review_types:
        qs = qs.filter(source__review_type__in=list(review_types))
    if source_ids:
        qs = qs.filter(source_id__in=list(source_ids))
    qs = qs.filter(codes__exercise__isnull=True, codes__source__in=CONFIRMED_SOURCES)
    if theme_ids:
        qs = qs.filter(codes__theme__theme_id__in=list(theme_ids))
    return qs.select_related("source").distinct()


def draft_thematic(
    points, *, title: str, date_from: date, date_to: date, theme_ids=()
) -> BriefingDocument:
    """Draft a thematic briefing from the given (already scoped) learning points."""
    from reviewhub.learning.choices import CONFIRMED_SOURCES
    from reviewhub.learning.models import Code

    points = list(points)
    codes = Code.objects.filter(
        point__in=points, exercise__isnull=True, source__in=CONFIRMED_SOURCES
    ).select_related("theme")
    primary: dict[int, dict[str, object]] = defaultdict(dict)
    for code in codes:
        # The primary code of an axis wins; otherwise the first confirmed one stands in.
        if code.primary or code.theme.axis not in primary[code.point_id]:
            primary[code.point_id][code.theme.axis] = code.theme
    groups: dict[str, dict] = {}
    for point in points:
        chosen = primary[point.pk].get("circumstances") or primary[point.pk].get("practice")
        if chosen is None or (theme_ids and chosen.theme_id not in theme_ids):
            continue
        group = groups.setdefault(
            chosen.theme_id, {"theme": chosen, "points": [], "sources": set()}
        )
        group["points"].append(point)
        group["sources"].add(point.source_id)
    ordered = sorted(
        groups.values(),
        key=lambda g: (-len(g["sources"]), g["theme"].display_order, g["theme"].label),
    )
    themes = []
    for number, group in enumerate(ordered, start=1):
        pts = sorted(group["points"], key=lambda p: (p.source.year or 0, p.pk))
        themes.append(
            Theme(
                number=number,
                title=group["theme"].label,
                learned=_blocks([p.learned for p in pts]),
                actions=_blocks([p.action for p in pts if p.action])
                or [
                    Paragraph(
                        "Discuss this learning with your team and agree what you will change."
                    )
                ],
                sources=[f"{p.source.title} (learning point {p.external_id or p.pk})" for p in pts],
                learned_heading=LEARNED_HEADING,
                action_heading=ACTION_HEADING,
            )
        )
    by_type: dict[str, set[int]] = defaultdict(set)
    for point in points:
        by_type[point.source.review_type].add(point.source_id)
    parts = [
        _count(len(ids), kind) for kind, ids in sorted(by_type.items(), key=lambda kv: -len(kv[1]))
    ]
    period = (
        str(date_from.year)
        if date_from.year == date_to.year
        and (date_from.month, date_from.day) == (1, 1)
        and (date_to.month, date_to.day) == (12, 31)
        else f"{date_from:%-d %B %Y} to {date_to:%-d %B %Y}"
    )
    if parts:
        sources_text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        background = [
            Paragraph(
                f"This briefing draws on {sources_text} completed in {period}. It sets out the "
                f"{len(themes)} theme{'s' if len(themes) != 1 else ''} that emerged, what we have "
                "learned and what practitioners should do, so that the learning informs practice "
                "across the partnership."
            )
        ]
    else:
        background = [Paragraph(f"No confirmed learning was found for {period}.")]
    return BriefingDocument(
        title=title,
        background=background,
        themes=themes,
        further_information=[
            Paragraph(
                "Each theme lists the reviews it draws on in ReviewHub; ask the business unit for the full reports."
            )
        ],
        sources=sorted({p.source.title for p in points}),
    )


REFLECTION = [
    "What are your key thoughts and reflections?",
    "How will the learning be embedded, and how will we know?",
    "How can it go into team or service plans?",
]


def draft_seven_minute(review, points) -> BriefingDocument:
    """Draft a 7-minute briefing for one review from its records and its learning points."""
    case = review.case
    points = list(points)
    learned = _blocks([p.learned for p in points]) or [Paragraph("Add what the review found.")]
    actions = _blocks([p.action for p in points if p.action]) or [
        Paragraph("Add what practitioners should do.")
    ]
    themes = sorted(
        {
            c.theme.label
            for p in points
            for c in p.codes.filter(
                exercise__isnull=True, source__in=("confirmed", "manual")
            ).select_related("theme")
        }
    )
    info = f"{review.get_review_type_display()}"
    if review.started_on:
        info += f", started {review.started_on:%-d %B %Y}"
    if review.completed_on:
        info += f", completed {review.completed_on:%-d %B %Y}"
    return seven_minute_briefing(
        f"7-minute briefing: {review.title}",
        background=[
            Paragraph(
                f"{case.title}: {case.reference}. This briefing summarises the {review.get_review_type_display().lower()} and what it means for practice."
            )
        ],
        why_it_matters=[
            Paragraph(
                "The review's learning concerns "
                + (", ".join(themes[:5]) if themes else "practice across the partnership")
                + "."
            )
        ],
        information=[Paragraph(info + ".")],
        findings=learned,
        actions=actions,
        reflection=[BulletList(REFLECTION)],
        further_reading=[
            Paragraph("The review report is in the ReviewHub document library once published.")
        ],
        sources=[review.title],
    )
