"""Start-up checks that refuse an unsafe configuration."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def secret_key_check(app_configs, **kwargs):
    """reviewhub.E001: with DEBUG off, a real SECRET_KEY is required."""
    if settings.CONFIGURATION_REFUSAL:
        return [checks.Error(settings.CONFIGURATION_REFUSAL, id="reviewhub.E001")]
    return []


def require_safe_configuration() -> None:
    """Raise if the product must not start (used by `reviewhub serve` and the WSGI app)."""
    if settings.CONFIGURATION_REFUSAL:
        raise ImproperlyConfigured(settings.CONFIGURATION_REFUSAL)
