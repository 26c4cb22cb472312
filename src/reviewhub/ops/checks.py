"""Start-up check of the retention settings: a mistyped period must stop, not be ignored."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register()
def retention_settings_check(app_configs, **kwargs):
    """reviewhub.E010: every REVIEWHUB_RETENTION entry names a known period and a whole number."""
    from .retention import schedule

    try:
        schedule()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="reviewhub.E010")]
    return []
