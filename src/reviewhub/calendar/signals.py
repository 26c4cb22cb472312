"""Drop the cached calendar whenever a holiday row changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import BankHoliday
from .selectors import invalidate


@receiver(post_save, sender=BankHoliday)
@receiver(post_delete, sender=BankHoliday)
def _holiday_changed(**kwargs):
    invalidate()
