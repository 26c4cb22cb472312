"""Request ids, and refusing any request whose audit event cannot be written."""

import logging
import uuid

from django.shortcuts import render

from . import context
from .services import AuditUnavailable

logger = logging.getLogger("reviewhub.audit")


class RequestIdMiddleware:
    """Give each request an id, carried by audit events, log lines and the X-Request-ID header.

    The id is always generated here, never taken from the client, so it cannot be forged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = context.current.set(
            context.RequestContext(request_id=request.request_id, ip=_client_ip(request))
        )
        try:
            response = self.get_response(request)
        finally:
            context.current.reset(token)
        response.headers["X-Request-ID"] = request.request_id
        return response


def _client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it,
    # and gunicorn's forwarded_allow_ips sets REMOTE_ADDR when it does.
    return request.META.get("REMOTE_ADDR") or None


class AuditFailClosedMiddleware:
    """Bind the signed-in user to the audit context, and answer 503 when auditing fails."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = context.get()
        user = request.user if request.user.is_authenticated else None
        partnership = getattr(request, "partnership", None)
        token = context.current.set(
            context.RequestContext(
                request_id=ctx.request_id,
                ip=ctx.ip,
                user=user,
                partnership_id=partnership.pk if partnership else None,
                roles=getattr(request, "roles", frozenset()),
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.current.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, AuditUnavailable):
            logger.error("request refused: audit unavailable")
            return render(request, "503.html", status=503)
        return None
