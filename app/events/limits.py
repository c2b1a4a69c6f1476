"""Caps on open event streams and sockets: per account, per candidate link, per process.

A stream costs little while it waits, but each one is a connection and a task; without caps one
account or one leaked link could hold the process's file descriptors. The per-account cap leaves
room to watch every submission an account may have waiting (DOJO_MAX_QUEUED_PER_USER) from a few
tabs. Counts are per API process (each process protects its own descriptors).
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from app.core.errors import TooManyRequests
from app.core.settings import Settings

KINDS = ("stream", "socket")


class Lease:
    """One open stream or socket; released exactly once."""

    def __init__(self, registry: StreamRegistry, kind: str, owner: str | None) -> None:
        self._registry, self.kind, self.owner = registry, kind, owner
        self._released = False

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._registry._release(self)


class StreamRegistry:
    def __init__(self, settings: Settings) -> None:
        self.total_cap = settings.max_streams_total
        self.account_cap = settings.max_streams_per_account
        self.link_cap = settings.max_streams_per_link
        self._lock = threading.Lock()
        self._open: Counter[str] = Counter()  # per kind
        self._owners: Counter[str] = Counter()  # per "account:<id>" / "link:<session id>"

    def _owner_cap(self, owner: str) -> int:
        return self.link_cap if owner.startswith("link:") else self.account_cap

    def acquire(self, kind: str, owner: str | None) -> Lease:
        """Count one more open stream or socket, or refuse it with 429."""
        with self._lock:
            if sum(self._open.values()) >= self.total_cap:
                raise TooManyRequests(
                    f"the server holds {self.total_cap} live connections already; try again shortly",
                    limit=self.total_cap,
                )
            if owner is not None and self._owners[owner] >= self._owner_cap(owner):
                cap = self._owner_cap(owner)
                raise TooManyRequests(
                    f"at most {cap} live streams may be open at once for one "
                    f"{'link' if owner.startswith('link:') else 'account'}; close some first",
                    limit=cap,
                )
            self._open[kind] += 1
            if owner is not None:
                self._owners[owner] += 1
        return Lease(self, kind, owner)

    def _release(self, lease: Lease) -> None:
        with self._lock:
            self._open[lease.kind] -= 1
            if lease.owner is not None:
                self._owners[lease.owner] -= 1
                if self._owners[lease.owner] <= 0:
                    del self._owners[lease.owner]

    def counts(self) -> dict[str, Any]:
        with self._lock:
            return {
                "streams": self._open["stream"],
                "sockets": self._open["socket"],
                "owners": len(self._owners),
                "cap_total": self.total_cap,
            }


_registries: dict[int, tuple[Settings, StreamRegistry]] = {}
_registries_lock = threading.Lock()


def registry_for(settings: Settings) -> StreamRegistry:
    """One registry per settings object (an app and its process)."""
    with _registries_lock:
        entry = _registries.get(id(settings))
        if entry is None or entry[0] is not settings:
            entry = (settings, StreamRegistry(settings))
            _registries[id(settings)] = entry
        return entry[1]


def account_owner(user_id: int) -> str:
    return f"account:{user_id}"


def link_owner(session_id: int) -> str:
    return f"link:{session_id}"
