"""Link tokens (candidate links, invites) never reach the access log.

The candidate's API (`/api/interview/<token>/...`) carries the link token in the path, and the
pages exchange `/interview/<token>` for a cookie on first open. uvicorn's access logger receives
the path as an argument; this filter replaces the token with a marker before any handler sees
the record. Invite links (`/invite/<token>`, `/api/invites/<token>`) get the same treatment.
"""

from __future__ import annotations

import logging
import re

ACCESS_LOGGER = "uvicorn.access"
# A link token is 43 URL-safe characters; anything after /interview/ that is not a plain word
# of the pages' own routes (start, status, ...) is treated as one.
_TOKEN_IN_PATH = re.compile(r"(/interview/|/invites?/)([A-Za-z0-9_-]{20,})")
REDACTED = "[link]"


def redact(path: str) -> str:
    return _TOKEN_IN_PATH.sub(lambda m: m.group(1) + REDACTED, path)


class RedactLinkTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install() -> None:
    """Idempotent: one filter on the access logger however many apps a process builds."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactLinkTokens) for f in logger.filters):
        logger.addFilter(RedactLinkTokens())
