"""Start-up checks that refuse an unsafe configuration."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def secret_key_check(app_configs, **kwargs):
    """reviewhub.E001: with DEBUG off, a real SECRET_KEY is required."""
    if settings.SECRET_KEY_PROBLEM:
        return [checks.Error(settings.SECRET_KEY_PROBLEM, id="reviewhub.E001")]
    return []


def require_safe_configuration() -> None:
    """Raise if the product must not start (used by `reviewhub serve` and the WSGI app)."""
    if settings.SECRET_KEY_PROBLEM:
        raise ImproperlyConfigured(settings.SECRET_KEY_PROBLEM)
