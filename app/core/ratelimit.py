"""Rate limits on the costly or guessable endpoints, with the `limits` library.

One `RateLimiter` per app (`app.state.rate_limiter`). Counters live in process memory in the
embedded default and in Redis when the broker is Redis, so that several API processes share them.
A moving window is used: a burst cannot be doubled across a window boundary, and the time until
the oldest hit leaves the window is exactly the Retry-After a refusal carries.

Identifiers that are secrets (candidate link tokens) are hashed before they become keys.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from fastapi import Request
from limits import RateLimitItem, RateLimitItemPerHour, parse_many
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.concurrency import run_in_threadpool

from .errors import ServiceUnavailable, TooManyRequests
from .settings import Settings

KEY_PREFIX = "dojo-rl"
STORAGE_TIMEOUTS = {"socket_connect_timeout": 2.0, "socket_timeout": 2.0}  # Redis; ignored by memory://
UNAVAILABLE_RETRY_S = 5

log = logging.getLogger(__name__)


class RateLimitUnavailable(ServiceUnavailable):
    """503 while the counter store (Redis) cannot be reached; Retry-After says when to retry."""


class RateLimited(TooManyRequests):
    """429 with the seconds until a retry can succeed (sent as Retry-After)."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message, retry_after_s=retry_after_s)
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Rule:
    name: str  # part of the storage key: one counter per rule and identifier
    items: tuple[RateLimitItem, ...]
    message: str  # what the refused caller reads, before "try again in ..."


def _rules(settings: Settings) -> dict[str, Rule]:
    def rule(name: str, spec: str, message: str) -> Rule:
        return Rule(name, tuple(parse_many(spec)), message)

    return {
        "login_account": rule(
            "login-account", settings.rate_login_per_account, "too many login attempts for this account"
        ),
        "login_address": rule(
            "login-address", settings.rate_login_per_address, "too many login attempts from your address"
        ),
        "signup_address": rule(
            "signup-address", settings.rate_signup_per_address, "too many sign-ups from your address"
        ),
        "submissions": Rule(
            "submissions",
            (RateLimitItemPerHour(settings.rate_submissions_per_hour),),
            f"you reached {settings.rate_submissions_per_hour} runs and submits in an hour",
        ),
        "link": rule("link", settings.rate_link_per_token, "too many requests with this interview link"),
    }


def secret_key(value: str) -> str:
    """A storage key for a secret identifier: the counter never holds the secret itself."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def wait_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.rate_limits
        self.rules = _rules(settings)
        # Storage failures arrive as one StorageError; a Redis that hangs fails after the timeouts.
        storage = storage_from_string(settings.rate_limit_storage, key_prefix=KEY_PREFIX, wrap_exceptions=True,
                                      **STORAGE_TIMEOUTS)
        if not isinstance(storage, Storage):
            raise ValueError(f"DOJO_RATE_LIMIT_STORAGE must be a synchronous storage: {settings.rate_limit_storage}")
        self.storage = storage
        self.strategy = MovingWindowRateLimiter(self.storage)

    def hit(self, rule_name: str, identifier: str) -> None:
        """Count one request; raise RateLimited (nothing counted) when any window is full, and
        RateLimitUnavailable when the counters cannot be reached. The limited endpoints (logins,
        sign-ups, submissions, candidate links) then refuse with a 503 rather than go unlimited:
        a brute-force guard that lapses whenever Redis does would be no guard."""
        if not self.enabled:
            return
        try:
            self._count(self.rules[rule_name], identifier)
        except StorageError as exc:
            # The identifier is an account's email or a hashed link: kept out of the log.
            log.error("rate limit %s could not be checked: %s: %s", rule_name, type(exc.storage_error).__name__,
                      exc.storage_error)
            raise RateLimitUnavailable(
                "this request could not be checked against its rate limit (the server's counter store is "
                f"unreachable): try again in {UNAVAILABLE_RETRY_S} seconds", retry_after_s=UNAVAILABLE_RETRY_S,
            ) from None

    def _count(self, rule: Rule, identifier: str) -> None:
        for item in rule.items:
            if not self.strategy.test(item, rule.name, identifier):
                self._refuse(rule, item, identifier)
        for item in rule.items:
            if not self.strategy.hit(item, rule.name, identifier):
                self._refuse(rule, item, identifier)  # lost a race with a concurrent request

    def _refuse(self, rule: Rule, item: RateLimitItem, identifier: str) -> None:
        stats = self.strategy.get_window_stats(item, rule.name, identifier)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        raise RateLimited(f"{rule.message}: try again in {wait_words(retry_after)}", retry_after)

    def reset(self) -> None:
        """Forget every counter (tests, and an operator unlocking after an incident)."""
        self.storage.reset()


def client_address(request: Request) -> str:
    """The caller's address: the peer, or what a trusted proxy said it is (see ProxyHeaders)."""
    return request.client.host if request.client is not None else "unknown"


def limiter_of(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


def count_link_request(request: Request, token: str) -> None:
    """Every request made with a candidate link counts against that link (DOJO_RATE_LINK_PER_TOKEN)."""
    limiter_of(request).hit("link", secret_key(token))


async def hit(request: Request, rule_name: str, identifier: str) -> None:
    """`RateLimiter.hit` from async code: a Redis round trip stays off the event loop."""
    await run_in_threadpool(limiter_of(request).hit, rule_name, identifier)
