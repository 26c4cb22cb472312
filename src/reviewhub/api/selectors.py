from .models import ApiToken


def api_token_list(*, user):
    """Return the user's own tokens (never anyone else's)."""
    return ApiToken.objects.filter(user=user)
