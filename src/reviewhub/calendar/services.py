"""Administrators add or remove bank holidays; each change is audited."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from .models import BankHoliday, HolidayKind


@transaction.atomic
def bank_holiday_set(*, day: date, name: str, kind: str = HolidayKind.ADDED, user=None):
    """Add (or re-mark) a proclaimed holiday or a removed one; validate first, audit in the same
    transaction."""
    holiday = BankHoliday.objects.filter(date=day).first() or BankHoliday(date=day)
    holiday.name = (name or "").strip()
    holiday.kind = kind
    holiday.changed_at = timezone.now()
    holiday.full_clean(validate_unique=False)
    created = holiday.pk is None
    holiday.save()
    audit_event_record(
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        obj=holiday,
        changed_fields=["date", "name", "kind"],
        user=user,
    )
    return holiday


@transaction.atomic
def bank_holiday_delete(*, day: date, user=None) -> None:
    """Undo an administrator change, restoring the package calendar for that date."""
    holiday = BankHoliday.objects.filter(date=day).first()
    if holiday is None:
        raise ValidationError(f"No administrator change is recorded for {day.isoformat()}.")
    audit_event_record(action=AuditAction.DELETE, obj=holiday, user=user)
    holiday.delete()
