"""Sign in and out, choose a partnership, and (administrators) manage people."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import selectors, services
from .access import role_map, role_required
from .choices import Role
from .forms import LoginForm, TeamForm, UserCreateForm
from .middleware import SESSION_PARTNERSHIP_KEY


class LoginView(auth_views.LoginView):
    """Sign in; Django rotates the session key at login (ASVS 7.2.4)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.GET.get("expired") == "1"
        return context


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only), ending the session on the server."""

    http_method_names = ["post", "options"]


@require_POST
def partnership_switch(request):
    """Make another of the user's partnerships the active one."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    try:
        pid = int(request.POST.get("partnership", ""))
    except ValueError:
        pid = None
    if pid not in role_map(request.user):
        raise Http404("No such partnership.")
    request.session[SESSION_PARTNERSHIP_KEY] = pid
    return redirect("home")


@require_GET
@role_required(Role.ADMINISTRATOR)
def user_list(request):
    """List the people of the administrator's partnership."""
    users = selectors.user_list(partnership=request.partnership)
    otp_user_ids = set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )
    return render(
        request, "accounts/user_list.html", {"users": users, "otp_user_ids": otp_user_ids}
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def user_create(request):
    """Add a person with their roles."""
    form = UserCreateForm(request.POST or None, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            partnership=request.partnership,
            username=data["username"],
            password=data["password"],
            roles=data["roles"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            agency=data["agency"],
        )
        messages.success(request, f"{user} can now sign in.")
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


@require_POST
@role_required(Role.ADMINISTRATOR)
def user_deactivate(request, pk: int):
    """Disable an account and end its sessions."""
    user = selectors.user_get(partnership=request.partnership, pk=pk)
    if user is None:
        raise Http404("No such user.")
    if user == request.user:
        messages.error(request, "You cannot deactivate your own account.")
    else:
        services.user_deactivate(user=user, partnership=request.partnership)
        messages.success(request, f"{user}'s account is disabled and their sessions ended.")
    return redirect("accounts:user_list")


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def team_list(request):
    """List the partnership's teams and add one."""
    form = TeamForm(request.POST or None, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        team = services.team_save(
            partnership=request.partnership, user=request.user, **form.cleaned_data
        )
        messages.success(request, f"Team “{team}” saved.")
        return redirect("accounts:team_list")
    return render(
        request,
        "accounts/team_list.html",
        {"teams": selectors.team_list(partnership=request.partnership), "form": form},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def team_edit(request, pk: int):
    """Change a team's name, agency and members."""
    team = selectors.team_list(partnership=request.partnership).filter(pk=pk).first()
    if team is None:
        raise Http404("No such team.")
    initial = {"name": team.name, "agency": team.agency, "members": list(team.members.all())}
    form = TeamForm(
        request.POST or None, partnership=request.partnership, team=team, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.team_save(
            partnership=request.partnership, user=request.user, team=team, **form.cleaned_data
        )
        messages.success(request, f"Team “{team}” saved.")
        return redirect("accounts:team_list")
    return render(request, "accounts/team_form.html", {"team": team, "form": form})
