"""The one access rule: every read of partnership data goes through here.

Each restricted model defines ``access_rule(user, action) -> Q | None`` and uses
``RestrictedQuerySet`` as its manager, so views, the API, search and exports all call
``Model.objects.restrict(user, action)``. Rules scope by partnership first, then by role and object
(DESIGN.md; NetBox ``RestrictedQuerySet``). ``get_for_user`` fetches one object through the rule and
audits the view or the refusal.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import wraps

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from .choices import Role


class Action(models.TextChoices):
    """What a user wants to do with a record."""

    VIEW = "view", "view"
    CHANGE = "change", "change"
    CREATE = "create", "create"
    DELETE = "delete", "delete"
    EXPORT = "export", "export"


def role_map(user) -> dict[int, frozenset[str]]:
    """Return {partnership id: roles} for the user, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_reviewhub_role_map", None)
    if cached is None:
        found: dict[int, set[str]] = {}
        for partnership_id, role in user.memberships.values_list("partnership_id", "role"):
            found.setdefault(partnership_id, set()).add(role)
        cached = {pid: frozenset(roles) for pid, roles in found.items()}
        user._reviewhub_role_map = cached
    return cached


def agency_ids(user, partnership_id: int | None = None) -> set[int]:
    """Return the agencies the user acts for (in one partnership, or in all)."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_reviewhub_agencies", None)
    if cached is None:
        cached = list(
            user.memberships.exclude(agency=None).values_list("partnership_id", "agency_id")
        )
        user._reviewhub_agencies = cached
    return {a for p, a in cached if partnership_id is None or p == partnership_id}


def partnerships_with(user, roles: Iterable[str]) -> list[int]:
    """Return the ids of partnerships where the user holds any of ``roles``."""
    wanted = set(roles)
    return sorted(pid for pid, held in role_map(user).items() if held & wanted)


def has_role(user, partnership_id: int | None, *roles: str) -> bool:
    """Tell whether the user holds any of ``roles`` in the partnership."""
    if partnership_id is None:
        return False
    return bool(role_map(user).get(partnership_id, frozenset()) & set(roles))


def in_partnerships(user, roles: Iterable[str], field: str = "partnership") -> Q | None:
    """Build the partnership-first part of a rule: records of partnerships where a role is held."""
    ids = partnerships_with(user, roles)
    if not ids:
        return None
    return Q(**{f"{field}__in": ids})


def any_of(*parts: Q | None) -> Q | None:
    """OR together the parts of a rule that grant something; None when none grants anything."""
    granted = [p for p in parts if p is not None]
    if not granted:
        return None
    combined = granted[0]
    for part in granted[1:]:
        combined |= part
    return combined


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what one user may do."""

    def restrict(self, user, action: str = Action.VIEW):
        """Return only the rows ``user`` may ``action``; nothing for anonymous or inactive users."""
        rule = getattr(self.model, "access_rule", None)
        if rule is None:
            raise ImproperlyConfigured(f"{self.model.__name__} has no access_rule().")
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        q = rule(user, action)
        if q is None:
            return self.none()
        return self.filter(q)


def get_for_user(queryset_or_model, user, pk, action: str = Action.VIEW, *, audit: bool = True):
    """Fetch one object through the access rule, auditing the view or the refusal.

    An object the user may not see is indistinguishable from one that does not exist (404), so ids
    cannot be probed; the attempt is still recorded as a denial.
    """
    from reviewhub.audit.choices import AuditAction, Outcome
    from reviewhub.audit.services import audit_event_record

    qs = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    model = qs.model
    try:
        obj = qs.restrict(user, action).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        audit_event_record(
            action=AuditAction.DENIED,
            object_type=model._meta.label_lower,
            object_id=str(pk)[:64],
            outcome=Outcome.DENIED,
            detail=f"{action} refused or not found",
        )
        raise Http404(f"No {model._meta.verbose_name} found.")
    if audit:
        # Fetching is a read whatever the user goes on to do; the change itself is audited by
        # its service, so recording "change" here would claim a change that may never happen.
        detail = "" if action == Action.VIEW else f"opened to {action}"
        audit_event_record(action=AuditAction.VIEW, obj=obj, detail=detail)
    return obj


def role_required(*roles: str):
    """Let a view through only for users holding one of ``roles`` in their active partnership.

    A refusal is audited and answered with 403; anonymous users are sent to the login page.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            from django.contrib.auth.views import redirect_to_login

            from reviewhub.audit.choices import AuditAction, Outcome
            from reviewhub.audit.services import audit_event_record

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (set(roles) & set(getattr(request, "roles", ()))):
                audit_event_record(
                    action=AuditAction.DENIED,
                    object_type="view",
                    object_id=request.resolver_match.view_name if request.resolver_match else "",
                    outcome=Outcome.DENIED,
                    # A read and a change can share an address (GET and PATCH /actions/{id}):
                    # the method says which was refused.
                    detail=f"{request.method} refused: role",
                )
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


ALL_ROLES = frozenset(Role.values)
