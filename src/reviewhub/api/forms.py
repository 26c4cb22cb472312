from django import forms


class TokenCreateForm(forms.Form):
    """Name a new API token and choose how long it lasts."""

    name = forms.CharField(
        max_length=100, help_text="What the token is for, such as 'Quarterly figures script'."
    )
    days = forms.TypedChoiceField(
        coerce=int,
        choices=[(30, "30 days"), (90, "90 days"), (180, "180 days"), (365, "1 year")],
        initial=90,
        label="Expires after",
    )
