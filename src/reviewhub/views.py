"""Project-wide pages: home, health check and the error pages."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_required
def home(request):
    """Show the signed-in user's start page: what their roles let them do."""
    return render(request, "home.html", {})


@require_GET
def health(request):
    """Answer load balancers: is the database reachable? No data, no login."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request, template: str, status: int):
    return render(
        request, template, {"request_id": getattr(request, "request_id", "")}, status=status
    )


def bad_request(request, exception=None):
    return _error(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _error(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _error(request, "404.html", 404)


def server_error(request):
    return _error(request, "500.html", 500)
