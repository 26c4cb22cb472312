"""Writes for partnerships, people and roles, each audited in its own transaction."""

import re
import unicodedata

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from .choices import PartnershipKind
from .models import Membership, Partnership, User

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@transaction.atomic
def partnership_create(
    *, name: str, slug: str = "", kind: str = PartnershipKind.CHILDREN, user=None
) -> Partnership:
    """Create a partnership (a tenant); the slug defaults to one made from the name.

    Names and slugs are unique; the message says which is taken. Audited.
    """
    name = " ".join(str(name or "").split())
    if not name or not any(c.isalnum() for c in name):
        raise ValidationError("A partnership needs a name with letters or digits.")
    if len(name) > 200:
        raise ValidationError("A partnership's name is at most 200 characters.")
    # Control and format characters (NUL, DEL, a right-to-left override, zero-width space) have
    # no place in a name shown on every page and in the audit trail: they can disguise it.
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise ValidationError(
            "A partnership's name may not contain control or invisible formatting characters."
        )
    if slug:
        if len(slug) > 60 or not _SLUG.match(slug):
            raise ValidationError(
                f"The slug {slug[:60]!r} must be at most 60 lower-case letters and digits "
                "joined by hyphens."
            )
    else:
        slug = slugify(name)[:60].strip("-")
        if not slug:
            raise ValidationError(
                "No slug can be made from this name (it needs Latin letters or digits): give "
                "one with --slug."
            )
    if kind not in PartnershipKind.values:
        raise ValidationError(f"Kind must be one of: {', '.join(PartnershipKind.values)}.")
    if Partnership.objects.filter(name__iexact=name).exists():
        raise ValidationError(f"A partnership named {name!r} exists already.")
    if Partnership.objects.filter(slug=slug).exists():
        raise ValidationError(f"The slug {slug!r} is taken: choose another with --slug.")
    try:
        with transaction.atomic():
            partnership = Partnership.objects.create(name=name, slug=slug, kind=kind)
    except IntegrityError:  # created by someone else between the check and the insert
        raise ValidationError(f"A partnership named {name!r} or with the slug {slug!r} exists.")
    audit_event_record(
        action=AuditAction.CREATE,
        obj=partnership,
        user=user,
        partnership_id=partnership.pk,
        detail="partnership created",
    )
    return partnership


@transaction.atomic
def user_create(
    *,
    partnership: Partnership,
    username: str,
    password: str,
    roles,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    agency=None,
) -> User:
    """Create a user holding ``roles`` in ``partnership``; the role grant is audited."""
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    for role in sorted(set(roles)):
        membership = Membership(user=user, partnership=partnership, role=role, agency=agency)
        membership.full_clean()
        membership.save()
    audit_event_record(
        action=AuditAction.CREATE, obj=user, partnership_id=partnership.pk, detail="user created"
    )
    audit_event_record(
        action=AuditAction.ROLE_CHANGE,
        obj=user,
        partnership_id=partnership.pk,
        detail="roles granted: " + ",".join(sorted(set(roles))),
    )
    return user


@transaction.atomic
def user_deactivate(*, user: User, partnership: Partnership) -> User:
    """Disable an account and end its sessions on the server (ASVS 7.4.2)."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    user_sessions_end(user=user)
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=user,
        partnership_id=partnership.pk,
        changed_fields=["is_active"],
        detail="account deactivated",
    )
    return user


def user_sessions_end(*, user: User) -> int:
    """Delete every live session of ``user``; return how many ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def team_save(*, partnership, user, name, agency=None, members=(), team=None):
    """Create or change a team (a briefing distribution list); audited with field names."""
    from .models import Team

    creating = team is None
    team = team or Team(partnership=partnership)
    team.name = name
    team.agency = agency
    team.full_clean()
    team.save()
    team.members.set(list(members))
    audit_event_record(
        action=AuditAction.CREATE if creating else AuditAction.CHANGE,
        obj=team,
        user=user,
        changed_fields=["name", "agency", "members"],
    )
    return team
