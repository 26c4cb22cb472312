"""Administrator changes to the England-and-Wales bank-holiday calendar, stored as data."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from reviewhub.calendar.workdays import MAX_YEAR, MIN_YEAR


class HolidayKind(models.TextChoices):
    """Whether a row adds a non-working day or takes a listed holiday out."""

    ADDED = "added", "Added (proclaimed) holiday"
    REMOVED = "removed", "Removed (moved or cancelled) holiday"


class BankHoliday(models.Model):
    """One administrator change to the calendar, e.g. a newly proclaimed bank holiday.

    The package calendar (``holidays``, GB/ENG) is the base; these rows extend or correct it
    without a software release. Instance-wide: bank holidays are national, not per partnership.
    """

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=HolidayKind.choices, default=HolidayKind.ADDED)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name} ({self.get_kind_display()})"

    def clean(self) -> None:
        """Keep dates inside the calendar the working-day arithmetic supports, on weekdays."""
        if self.date and not MIN_YEAR <= self.date.year <= MAX_YEAR:
            raise ValidationError({"date": f"Enter a date between {MIN_YEAR} and {MAX_YEAR}."})
        if self.date and self.date.weekday() >= 5:
            raise ValidationError(
                {"date": "That date is a Saturday or Sunday, which is never a working day."}
            )
        if not (self.name or "").strip():
            raise ValidationError({"name": "Enter the holiday's name."})
