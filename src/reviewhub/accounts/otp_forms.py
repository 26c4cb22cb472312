"""Forms for two-factor sign-in: one field, a code, checked for shape before any device sees it."""

from django import forms

from .otp import RECOVERY_PATTERN, TOTP_PATTERN, normalise_code

CODE_ATTRS = {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}


class OTPVerifyForm(forms.Form):
    """A code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label="Code",
        max_length=64,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs=CODE_ATTRS),
        error_messages={"required": "Enter the code from your authenticator app."},
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not (TOTP_PATTERN.match(code) or RECOVERY_PATTERN.match(code)):
            raise forms.ValidationError(
                "Enter the 6-digit code from your authenticator app, or an 8-character "
                "recovery code."
            )
        return code


class OTPSetupForm(forms.Form):
    """The first code from a newly added authenticator, proving it was set up correctly."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=64,
        help_text="Enter the 6-digit code the app shows for ReviewHub.",
        widget=forms.TextInput(attrs=CODE_ATTRS),
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not TOTP_PATTERN.match(code):
            raise forms.ValidationError("Enter the 6 digits the app shows, for example 123456.")
        return code
