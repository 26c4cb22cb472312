"""Writes for briefings: versions, import, the personal-data gate, publication and dissemination."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from reviewhub.accounts.models import Membership
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record
from reviewhub.documents import pii

from .choices import BriefingKind, BriefingStatus
from .document import BriefingDocument, parse_bytes, parse_text, render_markdown
from .models import Briefing, BriefingDelivery, BriefingVersion


class PublicationRefused(Exception):
    """The briefing still holds undecided personal data (or nothing to publish)."""


def document_of(briefing: Briefing, version: BriefingVersion | None = None) -> BriefingDocument:
    """Return a version's document (the current one by default) with the partnership's name
    and logo applied, as every renderer should print it."""
    version = version or briefing.current
    doc = BriefingDocument.from_dict(version.content)
    doc.partnership_name = briefing.partnership.name
    logo = getattr(settings, "REVIEWHUB_LOGO", "")
    doc.logo = logo or None
    return doc


@transaction.atomic
def briefing_create(*, partnership, doc: BriefingDocument, user=None, note="") -> Briefing:
    """Create a draft briefing with ``doc`` as its first version."""
    briefing = Briefing.objects.create(
        partnership=partnership,
        kind=BriefingKind.SEVEN_MINUTE if doc.kind == "seven_minute" else BriefingKind.THEMATIC,
        title=(doc.title or "Untitled briefing")[:300],
        created_by=user,
    )
    BriefingVersion.objects.create(
        briefing=briefing, number=1, content=doc.to_dict(), note=note[:300], created_by=user
    )
    audit_event_record(
        action=AuditAction.CREATE, obj=briefing, user=user, detail="briefing created"
    )
    return briefing


@transaction.atomic
def briefing_version_save(
    *, briefing: Briefing, doc: BriefingDocument, user, note=""
) -> BriefingVersion:
    """Save an edited document as the next version; published briefings are not edited."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.status == BriefingStatus.PUBLISHED:
        raise PublicationRefused("A published briefing cannot be edited: make a new one.")
    number = (briefing.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    doc.partnership_name = ""
    doc.logo = None
    version = BriefingVersion.objects.create(
        briefing=briefing, number=number, content=doc.to_dict(), note=note[:300], created_by=user
    )
    if doc.title and doc.title != briefing.title:
        briefing.title = doc.title[:300]
        briefing.save(update_fields=["title"])
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=briefing,
        user=user,
        changed_fields=["content"],
        detail=f"version {number} saved",
    )
    return version


@transaction.atomic
def briefing_import(
    *, partnership, data: bytes, user=None, source: str = "", learning_points: bool = True
) -> Briefing:
    """Parse a briefing file (TXT, DOCX or PDF, by content) into a new draft.

    Each theme also becomes a learning point of the briefing's source, with the theme engine's
    suggestions stored beside it for an analyst to confirm. Raises ``BriefingParseError`` naming
    the line for a malformed file; nothing is written then.
    """
    doc = parse_bytes(data, source=source)
    doc.partnership_name = ""
    doc.logo = None
    briefing = briefing_create(
        partnership=partnership, doc=doc, user=user, note=f"imported from {source}"[:300]
    )
    if learning_points and doc.themes:
        from reviewhub.learning.choices import ReviewType, SourceKind
        from reviewhub.learning.services import (
            learning_point_create,
            source_get_or_create,
            taxonomy_load_default,
        )

        from .document import iter_learning_points

        taxonomy_load_default(partnership=partnership)
        learning_source = source_get_or_create(
            partnership=partnership,
            kind=SourceKind.THEMATIC,
            title=doc.title[:200] or "Imported briefing",
            review_type=ReviewType.THEMATIC,
            publisher=partnership.name[:200],
            user=user,
        )
        for item in iter_learning_points(doc):
            learning_point_create(
                partnership=partnership,
                source=learning_source,
                heading=item["title"][:300],
                learned=item["learned"],
                action=item["actions"],
                user=user,
                suggest=True,
            )
    return briefing


def briefing_build_thematic(
    *,
    partnership,
    user=None,
    date_from,
    date_to,
    title="",
    review_types=(),
    theme_ids=(),
    source_ids=(),
) -> Briefing:
    """Draft a thematic briefing from the confirmed learning in scope (a draft: nothing is
    published until an analyst edits and approves it)."""
    from reviewhub.learning.models import LearningPoint
    from reviewhub.learning.selectors import learning_point_list

    from .builder import draft_thematic, points_in_scope

    if date_to < date_from:
        raise ValueError("The end of the period is before its start.")
    points = (
        learning_point_list(user=user, partnership=partnership)
        if user is not None
        else LearningPoint.objects.filter(partnership=partnership)
    )
    scoped = points_in_scope(points, date_from, date_to, review_types, theme_ids, source_ids)
    doc = draft_thematic(
        scoped,
        title=title or f"Learning from reviews: {date_from:%-d %B %Y} to {date_to:%-d %B %Y}",
        date_from=date_from,
        date_to=date_to,
        theme_ids=theme_ids,
    )
    return briefing_create(partnership=partnership, doc=doc, user=user, note="drafted from records")


def briefing_build_seven_minute(*, review, user=None) -> Briefing:
    """Draft a 7-minute briefing for one review from its records and learning points."""
    from reviewhub.learning.models import LearningPoint

    from .builder import draft_seven_minute

    points = LearningPoint.objects.filter(source__review=review).order_by("pk")
    doc = draft_seven_minute(review, points)
    return briefing_create(
        partnership=review.partnership, doc=doc, user=user, note="drafted from the review"
    )


def briefing_text(briefing: Briefing) -> str:
    """The briefing as Markdown: what the editor shows and the personal-data check reads."""
    doc = BriefingDocument.from_dict(briefing.current.content)
    return render_markdown(doc)


def briefing_pii_findings(briefing: Briefing) -> tuple[str, list]:
    """Return the briefing's text and its personal-data findings not yet kept with a reason."""
    text = briefing_text(briefing)
    overrides = [pii.Override(o["text"], o["kind"], o["reason"]) for o in briefing.pii_overrides]
    return text, pii.apply_overrides(pii.check_text(text), overrides)


@transaction.atomic
def briefing_pii_keep(*, briefing: Briefing, text: str, kind: str, reason: str, user) -> None:
    """Record why a flagged piece of text may be published."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Give a reason for keeping this text.")
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    briefing.pii_overrides = [
        *briefing.pii_overrides,
        {"text": text[:500], "kind": kind[:30], "reason": reason[:500], "by": user.username},
    ]
    briefing.save(update_fields=["pii_overrides"])
    audit_event_record(
        action=AuditAction.CHANGE, obj=briefing, user=user, changed_fields=["pii_overrides"]
    )


def briefing_pseudonymise(*, briefing: Briefing, user) -> int:
    """Replace every flagged item with a consistent pseudonym, as a new version."""
    text, findings = briefing_pii_findings(briefing)
    if not findings:
        return 0
    new_text, _ = pii.pseudonymise(text, findings)
    doc = parse_text(new_text)
    doc.kind = briefing.current.content.get("kind", doc.kind)
    briefing_version_save(briefing=briefing, doc=doc, user=user, note="personal data pseudonymised")
    return len(findings)


def briefing_publish(*, briefing: Briefing, user, agencies=(), teams=()) -> int:
    """Publish to the practitioners' library and send to the chosen agencies' and teams' people.

    Refused while the personal-data check has undecided findings. Returns how many people
    it was sent to.
    """
    _, findings = briefing_pii_findings(briefing)
    if findings:
        raise PublicationRefused(
            f"Publication refused: {len(findings)} possible item(s) of personal data need a "
            "decision. Replace them with pseudonyms, or keep each one with a reason."
        )
    with transaction.atomic():
        briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
        if briefing.status == BriefingStatus.PUBLISHED:
            raise PublicationRefused("This briefing is already published.")
        now = timezone.now()
        briefing.status = BriefingStatus.PUBLISHED
        briefing.published_at = now
        briefing.save(update_fields=["status", "published_at"])
        recipients = (
            Membership.objects.filter(
                partnership=briefing.partnership, agency__in=list(agencies), user__is_active=True
            )
            .select_related("user", "agency")
            .order_by("user_id")
        )
        from reviewhub.accounts.models import Team

        # Team members count only while they hold a role in the partnership.
        team_ids = [t.pk for t in teams if t.partnership_id == briefing.partnership_id]
        team_members = (
            Membership.objects.filter(
                partnership=briefing.partnership,
                user__teams__in=team_ids,
                user__is_active=True,
            )
            .select_related("user", "agency")
            .order_by("user_id")
        )
        recipients = list(recipients) + list(team_members)
        seen = set()
        messages = []
        link = reverse("briefings:detail", kwargs={"pk": briefing.pk})
        for m in recipients:
            if m.user_id in seen:
                continue
            seen.add(m.user_id)
            agency = m.agency or next(
                (t.agency for t in Team.objects.filter(pk__in=team_ids, members=m.user)), None
            )
            BriefingDelivery.objects.update_or_create(
                briefing=briefing, user=m.user, defaults={"agency": agency, "sent_at": now}
            )
            if m.user.email:
                messages.append(
                    (
                        f"New briefing: {briefing.title}",
                        f"{briefing.partnership} has published a briefing for you: "
                        f"{briefing.title}.\n\nRead it in ReviewHub: {link}\n\nPlease read and "
                        "discuss it with your team, then acknowledge it in ReviewHub.",
                        settings.DEFAULT_FROM_EMAIL,
                        [m.user.email],
                    )
                )
        audit_event_record(
            action=AuditAction.TRANSITION,
            obj=briefing,
            user=user,
            changed_fields=["status", "published_at"],
            detail=f"published and sent to {len(seen)} people",
        )
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(seen)


def briefing_opened(*, briefing: Briefing, user) -> None:
    """Note the first time a person opens a published briefing (reach: opened)."""
    if briefing.status != BriefingStatus.PUBLISHED:
        return
    agency = (
        Membership.objects.filter(partnership=briefing.partnership, user=user)
        .exclude(agency=None)
        .values_list("agency_id", flat=True)
        .first()
    )
    delivery, _ = BriefingDelivery.objects.get_or_create(
        briefing=briefing, user=user, defaults={"agency_id": agency}
    )
    if delivery.opened_at is None:
        BriefingDelivery.objects.filter(pk=delivery.pk).update(opened_at=timezone.now())


@transaction.atomic
def briefing_acknowledge(*, briefing: Briefing, user, answers: dict) -> BriefingDelivery:
    """Record "read and discussed with my team", with answers to the reflection questions."""
    if briefing.status != BriefingStatus.PUBLISHED:
        raise PublicationRefused("Only a published briefing can be acknowledged.")
    briefing_opened(briefing=briefing, user=user)
    delivery = BriefingDelivery.objects.select_for_update().get(briefing=briefing, user=user)
    delivery.acknowledged_at = delivery.acknowledged_at or timezone.now()
    delivery.reflection = {k: str(v)[:2000] for k, v in answers.items() if v}
    delivery.save(update_fields=["acknowledged_at", "reflection"])
    audit_event_record(
        action=AuditAction.CHANGE, obj=briefing, user=user, detail="briefing acknowledged"
    )
    return delivery
