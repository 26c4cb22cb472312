"""Put the request id on every log line."""

import logging

from . import context


class RequestIdFilter(logging.Filter):
    """Add ``request_id`` to log records so errors can be matched to audit events."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.get().request_id or "-"
        return True
