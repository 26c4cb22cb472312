"""The request context that audit events and log lines carry (request id, user, address)."""

from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestContext:
    """Who is acting, from where, in which request."""

    request_id: str = ""
    ip: str | None = None
    user: object | None = None
    partnership_id: int | None = None
    roles: frozenset = field(default_factory=frozenset)


EMPTY = RequestContext()
current: ContextVar[RequestContext] = ContextVar("reviewhub_request", default=EMPTY)  # noqa: B039


def get() -> RequestContext:
    """Return the context of the running request (an empty one outside requests)."""
    return current.get()
