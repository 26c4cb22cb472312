"""The signed-in user's API tokens: list, create (shown once) and revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import TokenCreateForm


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """List the user's tokens and make a new one; the new token's text is shown once."""
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        _, created = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = TokenCreateForm()
    return render(
        request,
        "api/token_list.html",
        {"form": form, "tokens": selectors.api_token_list(user=request.user), "created": created},
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    """Revoke one of the user's tokens at once."""
    if services.api_token_revoke(user=request.user, token_id=pk) is None:
        raise Http404("No such token.")
    messages.success(request, "The token is revoked: it no longer works.")
    return redirect("api_tokens:list")


@require_GET
def openapi_schema(request):
    """Publish the OpenAPI schema (no data, no login needed)."""
    from .api import api

    return JsonResponse(api.get_openapi_schema(path_prefix="/api/v1/"))
