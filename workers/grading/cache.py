"""Expected outputs of visible examples, cached per (question version, framework, hardware).

Visible examples have fixed inputs, so the reference's answer to them never changes for a
question version; caching it lets `run` mode skip the reference runner entirely. Entries age
out so a changed environment (a new framework build on the worker) is picked up. Hidden tests
and timed calls are never cached: their inputs are fresh every time.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from .client import CallReply


class ExpectedCache:
    def __init__(self, max_entries: int = 4096, ttl_s: float = 3600.0) -> None:
        self.max_entries, self.ttl_s = max_entries, ttl_s
        # Expected replies, and a visible example's inputs and whether a question has check().
        self._entries: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or time.monotonic() - entry[0] > self.ttl_s:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]

    def put(self, key: tuple[Any, ...], reply: CallReply | tuple[Any, ...] | bool) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), reply)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
