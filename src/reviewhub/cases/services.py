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
from .choices import AbuseCategory
from .models import STAFF_ROLES, Case, CaseAbuseCategory, CaseAgency

#: The basic details of a case that may be changed after it is opened (not its kind or
#: reference: the statutory route and the register number stay as opened).
EDITABLE_FIELDS = ("title", "nature", "incident_date", "awareness_date", "others_involved")


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


def _check_agencies(agencies, partnership) -> None:
    for agency in agencies:
        if not isinstance(agency, Agency) or agency.partnership_id != partnership.pk:
            raise ActionRefused(["An agency belongs to another partnership."])


def _check_categories(categories) -> list[str]:
    categories = list(dict.fromkeys(categories))
    for category in categories:
        if category not in AbuseCategory.values:
            raise ActionRefused([f"'{category}' is not an abuse category."])
    return categories


def case_create(*, partnership, user, agencies=(), abuse_categories=(), **fields) -> Case:
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
                _check_agencies(agencies, partnership)
                for agency in agencies:
                    CaseAgency.objects.create(case=case, agency=agency)
                categories = _check_categories(abuse_categories)
                for category in categories:
                    CaseAbuseCategory.objects.create(case=case, category=category)
                audit_event_record(
                    action=AuditAction.CREATE,
                    obj=case,
                    changed_fields=[
                        *fields,
                        "reference",
                        *(["agencies"] if agencies else []),
                        *(["abuse_categories"] if categories else []),
                    ],
                    user=user,
                )
                return case
        except IntegrityError:
            # Two people opened a case at once and took the same number: try the next one.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def case_update(*, case: Case, user, agencies=None, abuse_categories=None, **fields) -> list[str]:
    """Change a case's basic details (see EDITABLE_FIELDS), its agencies and abuse categories.

    Validated like a new case (and against its notification); audited with the changed field
    names only. Returns those names (empty when nothing changed: no event is written).
    """
    if not has_role(user, case.partnership_id, *STAFF_ROLES):
        raise ActionRefused(["Only the business unit or an administrator can change a case."])
    if case.closed_on:
        raise ActionRefused(["The case is closed: its details cannot be changed."])
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ActionRefused(
            ["These details cannot be changed here: " + ", ".join(sorted(unknown)) + "."]
        )
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        changed = [name for name, value in fields.items() if getattr(case, name) != value]
        for name in changed:
            setattr(case, name, fields[name])
        case.full_clean()
        if changed:
            case.save(update_fields=changed)
        if agencies is not None:
            _check_agencies(agencies, case.partnership)
            wanted = {a.pk for a in agencies}
            current = set(case.case_agencies.values_list("agency_id", flat=True))
            if wanted != current:
                case.case_agencies.exclude(agency_id__in=wanted).delete()
                for agency_id in wanted - current:
                    CaseAgency.objects.create(case=case, agency_id=agency_id)
                changed.append("agencies")
        if abuse_categories is not None:
            wanted_categories = set(_check_categories(abuse_categories))
            current_categories = set(case.abuse_categories.values_list("category", flat=True))
            if wanted_categories != current_categories:
                case.abuse_categories.exclude(category__in=wanted_categories).delete()
                for category in sorted(wanted_categories - current_categories):
                    CaseAbuseCategory.objects.create(case=case, category=category)
                changed.append("abuse_categories")
        if changed:
            audit_event_record(
                action=AuditAction.CHANGE,
                obj=case,
                changed_fields=changed,
                detail="case details",
                user=user,
            )
    return changed


def case_step(*, case: Case, user, code: str, record):
    """Run one statutory step (see actions.ACTIONS) on the case."""
    return ACTIONS[code](case, user).execute(record)
