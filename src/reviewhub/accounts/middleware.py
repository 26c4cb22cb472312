"""Per-request context for people: active partnership, session timeouts, security headers."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .access import role_map

SESSION_PARTNERSHIP_KEY = "reviewhub_partnership"
SESSION_STARTED_KEY = "reviewhub_started"
SESSION_SEEN_KEY = "reviewhub_seen"


class SessionTimeoutMiddleware:
    """End sessions on the server after an idle period and after an absolute lifetime (ASVS 7.3)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED_KEY, now)
            seen = request.session.get(SESSION_SEEN_KEY, now)
            if (
                now - seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
                return redirect(reverse(settings.LOGIN_URL) + "?expired=1")
            request.session[SESSION_STARTED_KEY] = started
            # Write at most once a minute, so reads do not all become session writes.
            if now - seen >= 60 or SESSION_SEEN_KEY not in request.session:
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


class ActivePartnershipMiddleware:
    """Set ``request.partnership`` and ``request.roles`` from the user's memberships.

    The active partnership is the one chosen in the session, or the user's first; a user never
    acts in a partnership where they hold no role.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .models import Partnership

        request.partnership = None
        request.roles = frozenset()
        roles = role_map(request.user)
        if roles:
            chosen = request.session.get(SESSION_PARTNERSHIP_KEY)
            pid = chosen if chosen in roles else min(roles)
            request.partnership = Partnership.objects.filter(pk=pid).first()
            request.roles = roles.get(pid, frozenset())
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Add the headers Django does not set itself: CSP, no-store on signed-in pages (ASVS 3.4, 14.3)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        user = getattr(request, "user", None)
        # Signed in by session, or by a credential in a header (API tokens): never cache.
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            response.headers["Cache-Control"] = "no-store"
        return response


class RejectNulMiddleware:
    """Refuse query strings holding NUL characters with 400 (PostgreSQL cannot store or compare
    them, and no legitimate address carries one), before any view can pass them to the database.
    """

    MESSAGE = "The address contains a character that is not allowed (NUL)."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            from django.http import HttpResponseBadRequest, JsonResponse

            if request.path.startswith("/api/"):
                return JsonResponse({"detail": self.MESSAGE}, status=400)
            return HttpResponseBadRequest(self.MESSAGE)
        return self.get_response(request)
