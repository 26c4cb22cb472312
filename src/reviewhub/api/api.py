"""The versioned REST API (django-ninja): the same services and access rule as the pages.

Authentication is by personal token (``Authorization: Bearer rh_...``); there is no session or
cookie authentication, so the API needs no CSRF token. Errors have one shape:
``{"detail": "..."}`` (plus ``"errors"`` for invalid input).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from reviewhub.accounts.access import role_map
from reviewhub.audit import context

from .services import api_token_authenticate


class TokenAuth(HttpBearer):
    """Find the user by their token and act as them for this request."""

    def authenticate(self, request, token):
        found = api_token_authenticate(token)
        if found is None:
            return None
        user = found.user
        request.user = user
        roles = role_map(user)
        pid = min(roles) if roles else None
        request.partnership_id = pid
        request.roles = roles.get(pid, frozenset()) if pid else frozenset()
        ctx = context.get()
        context.current.set(
            context.RequestContext(
                request_id=ctx.request_id,
                ip=ctx.ip,
                user=user,
                partnership_id=pid,
                roles=request.roles,
            )
        )
        return user


api = NinjaAPI(
    title="ReviewHub API",
    version="1",
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url=None,
    # Served by views.openapi_schema instead, which answers GET only.
    openapi_url=None,
)


class ErrorOut(Schema):
    detail: str


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    # Raised by role_required (which audits the refusal) and by services' own role checks.
    message = str(exc) or "Your role does not allow this."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request,
        {"detail": "A valid API token is required (Authorization: Bearer ...)."},
        status=401,
    )


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(
        request, {"detail": "The request is not valid.", "errors": exc.errors}, status=422
    )


class MeOut(Schema):
    username: str
    name: str
    partnership_id: int | None
    roles: list[str]


@api.get(
    "/me", response={200: MeOut, 401: ErrorOut, 422: ErrorOut}, summary="Who the token acts as"
)
def me(request):
    """Return the token's user, their active partnership and their roles there."""
    return {
        "username": request.user.username,
        "name": str(request.user),
        "partnership_id": request.partnership_id,
        "roles": sorted(request.roles),
    }


from .action_routes import router as action_router  # noqa: E402
from .routers import router  # noqa: E402  (the routers use the api's authentication)
from .search_routes import router as search_router  # noqa: E402

api.add_router("/", router)
api.add_router("/", action_router)
api.add_router("/", search_router)
