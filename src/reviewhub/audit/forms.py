from django import forms

from .choices import AuditAction


class AuditSearchForm(forms.Form):
    """Ask "who did what to record X" or "what did user Y do and see"."""

    object_type = forms.RegexField(
        regex=r"^[a-z_]+\.[a-z_]+$",
        required=False,
        max_length=100,
        label="Record type",
        help_text="For example cases.case",
        error_messages={"invalid": "Enter a record type like cases.case."},
    )
    object_id = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{1,64}$",
        required=False,
        label="Record id",
        error_messages={"invalid": "Enter a record id: letters, digits, - and _ only."},
    )
    username = forms.RegexField(
        regex=r"^[A-Za-z0-9_.@+-]{1,150}$",
        required=False,
        label="Username",
        error_messages={"invalid": "Enter a username."},
    )
    action = forms.ChoiceField(choices=[("", "Any")] + AuditAction.choices, required=False)

    def clean(self):
        data = super().clean()
        if data.get("object_id") and not data.get("object_type"):
            self.add_error("object_type", "Enter the record type as well as its id.")
        return data
