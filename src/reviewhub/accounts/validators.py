"""Password rules beyond Django's own (reliability plan, ASVS 6.2)."""

from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Refuse passwords longer than a generous limit, so hashing cannot be used for denial of service.

    ASVS 6.2.9 asks that at least 64 characters be allowed; we allow 128.
    """

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long: use at most {self.max_length} characters.",
                code="password_too_long",
            )

    def get_help_text(self):
        return f"Your password can be up to {self.max_length} characters long."
