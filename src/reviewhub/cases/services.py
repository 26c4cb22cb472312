"""Writes to the case register. Statutory steps go through the action objects in actions.py."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from reviewhub.accounts.access import has_role
from reviewhub.accounts.models import Agency
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from .actions import ACTIONS, ActionRefused
from .models import STAFF_ROLES, Case, CaseAgency


def reference_prefix(partnership) -> str:
    """Return the partnership's initials, e.g. 'NSCP' for Northshire Safeguarding Children
    Partnership."""
    words = re.findall(r"[A-Za-z]+", partnership.name)
    initials = "".join(w[0] for w in words if w.lower() not in {"and", "of", "the"}).upper()
    return (initials or "CASE")[:8]


def next_reference(partnership, year: int) -> str:
    prefix = f"{reference_prefix(partnership)}-{year}-"
    taken = Case.objects.filter(partnership=partnership, reference__startswith=prefix).count()
    n = taken + 1
    while Case.objects.filter(partnership=partnership, reference=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


def case_create(*, partnership, user, agencies=(), **fields) -> Case:
    """Open a case with a new reference (e.g. NSCP-2024-003), validated, audited."""
    if not has_role(user, partnership.pk, *STAFF_ROLES):
        raise ActionRefused(["Only the business unit or an administrator can open a case."])
    for attempt in range(3):
        try:
            with transaction.atomic():
                case = Case(partnership=partnership, **fields)
                year = (case.awareness_date or case.incident_date or timezone.localdate()).year
                case.reference = next_reference(partnership, year)
                case.full_clean()
                case.save()
                for agency in agencies:
                    if not isinstance(agency, Agency) or agency.partnership_id != partnership.pk:
                        raise ActionRefused(["An agency belongs to another partnership."])
                    CaseAgency.objects.create(case=case, agency=agency)
                audit_event_record(
                    action=AuditAction.CREATE,
                    obj=case,
                    changed_fields=[*fields, "reference", *(["agencies"] if agencies else [])],
                    user=user,
                )
                return case
        except IntegrityError:
            # Two people opened a case at once and took the same number: try the next one.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def case_step(*, case: Case, user, code: str, record):
    """Run one statutory step (see actions.ACTIONS) on the case."""
    return ACTIONS[code](case, user).execute(record)
