"""Forms for signing in and for administrators managing people."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from .choices import Role
from .models import Agency, User


class LoginForm(AuthenticationForm):
    """Sign in. The same message answers an unknown user and a wrong password (ASVS 6.3.8)."""

    error_messages = {
        "invalid_login": "Enter a correct username and password.",
        "inactive": "Enter a correct username and password.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username."
        self.fields["password"].error_messages["required"] = "Enter your password."


class UserCreateForm(forms.Form):
    """Create a person in the administrator's partnership with their roles."""

    username = forms.RegexField(
        regex=r"^[A-Za-z0-9_.@+-]{3,150}$",
        max_length=150,
        error_messages={
            "invalid": "Use 3 to 150 letters, digits and the characters . _ @ + - only."
        },
    )
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField()
    roles = forms.MultipleChoiceField(
        choices=[(r.value, r.label) for r in Role if r != Role.NATIONAL_ANALYST],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one role."},
    )
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False)
    password = forms.CharField(widget=forms.PasswordInput, strip=False, max_length=4096)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken: choose another.")
        return username

    def clean(self):
        data = super().clean()
        if Role.PARTNER_LEAD in data.get("roles", []) and not data.get("agency"):
            self.add_error("agency", "A partner lead acts for an agency: choose one.")
        password = data.get("password")
        if password:
            probe = User(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                email=data.get("email", ""),
            )
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class TeamForm(forms.Form):
    """Make or change a team: a briefing distribution list within the partnership."""

    name = forms.CharField(max_length=200)
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False)
    members = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, partnership, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.team = team
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership)
        self.fields["members"].queryset = User.objects.filter(
            memberships__partnership=partnership, is_active=True
        ).distinct()

    def clean_name(self):
        from .models import Team

        name = " ".join(self.cleaned_data["name"].split())
        clash = Team.objects.filter(partnership=self.partnership, name__iexact=name)
        if self.team is not None:
            clash = clash.exclude(pk=self.team.pk)
        if clash.exists():
            raise forms.ValidationError("There is already a team with that name.")
        return name
