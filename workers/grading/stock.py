"""Speed-benchmark inputs made ahead of the grades that use them, each used by one grade only.

Every timed call gets a fresh input from the question's cases.py, and making one is often
slower than the call it feeds (2M normal floats for softmax: about 22 ms in the case runner
and its transfer, against 5 ms for the softmax), so a submit grade used to spend more time
making inputs than timing. A worker sees the same few questions many times, so between grades
a background thread makes the next grade's inputs, from secret seeds, in a sandboxed case
runner, while no grade is timing. A grade takes them before making any itself.

What keeps the benchmark honest is unchanged: an input is handed out once and then dropped,
so no runner ever sees an input twice, in one grade or across grades; inputs never leave the
worker's memory; and every timed output is still checked against the reference's. Questions
whose cases.py has check() keep a case's context in the case runner that made it, so they do
not use the stock.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .casebox import SandboxedCases
from .casekit import Case
from .client import RunnerClient
from .spec import Question

log = logging.getLogger(__name__)

# One grade rarely needs more pairs than this; it makes the rest itself.
INPUTS_PER_QUESTION = 32
# The stock's memory across questions (softmax's benchmark input is 8 MiB).
STOCK_BYTES = 256 << 20
STARTUP_TIMEOUT_S = 90.0


@dataclass(frozen=True)
class StockKey:
    slug: str
    version: int
    cases_digest: str  # a version posted again with other cases.py must not get old inputs
    family: str
    size: tuple[tuple[str, Any], ...]


def stock_key(question: Question) -> StockKey | None:
    bench = question.spec.benchmark
    if bench is None:
        return None
    digest = hashlib.sha256(question.cases_source.encode()).hexdigest()[:16]
    return StockKey(question.slug, question.spec.version, digest, bench.family, tuple(sorted(bench.size.items())))


def case_bytes(case: Case) -> int:
    total = 0

    def visit(node: Any) -> None:
        nonlocal total
        if isinstance(node, np.ndarray):
            total += node.nbytes
        elif isinstance(node, dict):
            for value in node.values():
                visit(value)
        elif isinstance(node, list | tuple):
            for value in node:
                visit(value)

    visit(case.args)
    return total


@dataclass
class _Shelf:
    question: Question
    cases: deque[Case] = field(default_factory=deque)
    case_bytes: int = 0  # of one case: inputs of one benchmark size weigh the same

    def space(self, target: int) -> int:
        return max(target - len(self.cases), 0)


class InputStock:
    """Benchmark inputs per question version, made by a background thread while no grade is
    timing (`busy()` is True while one is; `nudge()` when that ends) and taken one at a time
    by grades."""

    def __init__(self, start_case_runner: Callable[[Question], RunnerClient], busy: Callable[[], bool],
                 per_question: int = INPUTS_PER_QUESTION, max_bytes: int = STOCK_BYTES) -> None:
        self._start_case_runner, self._busy = start_case_runner, busy
        self.per_question, self.max_bytes = per_question, max_bytes
        self._shelves: OrderedDict[StockKey, _Shelf] = OrderedDict()
        self._unstockable: set[StockKey] = set()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._closed = False
        self.taken = self.made = 0
        self._thread = threading.Thread(target=self._fill_loop, name="input-stock", daemon=True)
        self._thread.start()

    # -- the grades' side -----------------------------------------------------------------

    def take(self, key: StockKey) -> Case | None:
        """An input no runner has seen, or None; it leaves the stock for good."""
        with self._lock:
            shelf = self._shelves.get(key)
            if shelf is None or not shelf.cases:
                return None
            self.taken += 1
            return shelf.cases.popleft()

    def want(self, question: Question) -> None:
        """Keep inputs for this question's benchmark from now on (the most recent first)."""
        key = stock_key(question)
        if key is None:
            return
        with self._lock:
            if key in self._unstockable:
                return
            if key not in self._shelves:
                self._shelves[key] = _Shelf(question)
            self._shelves.move_to_end(key)
            self._wake.notify()

    def nudge(self) -> None:
        """The grade that was timing has finished: look for work again (busy() changed)."""
        with self._lock:
            self._wake.notify()

    def ready(self, key: StockKey) -> int:
        with self._lock:
            shelf = self._shelves.get(key)
            return len(shelf.cases) if shelf else 0

    def stats(self) -> dict[str, Any]:
        with self._lock:
            held = sum(len(s.cases) * s.case_bytes for s in self._shelves.values())
            return {"questions": len(self._shelves), "inputs": sum(len(s.cases) for s in self._shelves.values()),
                    "bytes": held, "made": self.made, "taken": self.taken}

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._shelves.clear()
            self._wake.notify_all()

    # -- the background thread ------------------------------------------------------------

    def _fill_loop(self) -> None:
        while True:
            with self._lock:
                while not self._closed and self._next_shelf() is None:
                    self._wake.wait()  # woken by want(), nudge() when a grade stops timing, close()
                if self._closed:
                    return
                key = self._next_shelf()
            if key is not None:
                self._fill(key)

    def _next_shelf(self) -> StockKey | None:
        """The most recently wanted question with room on its shelf, while no grade is timing."""
        if self._busy():
            return None
        for key in reversed(self._shelves):
            shelf = self._shelves[key]
            if shelf.space(self._target(shelf)):
                return key
        return None

    def _target(self, shelf: _Shelf) -> int:
        if not shelf.case_bytes:
            return self.per_question
        return min(self.per_question, self.max_bytes // max(len(self._shelves), 1) // shelf.case_bytes)

    def _fill(self, key: StockKey) -> None:
        with self._lock:
            question = self._shelves[key].question
        client = None
        try:
            client = self._start_case_runner(question)
            cases = SandboxedCases.open(client, question, STARTUP_TIMEOUT_S)
            if cases.check is not None:
                self._drop(key)  # its cases need their case runner: never stocked
                return
            rng = np.random.default_rng(secrets.randbits(63))
            while self._room(key) and not self._busy():
                self._add(key, cases.make_inputs(key.family, dict(key.size), rng))
        except Exception as exc:  # a broken cases.py or sandbox: grades make their own inputs
            log.warning("no stock of benchmark inputs for %s: %s", key.slug, exc)
            self._drop(key)
        finally:
            if client is not None:
                client.close()

    def _room(self, key: StockKey) -> bool:
        with self._lock:
            shelf = self._shelves.get(key)
            return not self._closed and shelf is not None and shelf.space(self._target(shelf)) > 0

    def _add(self, key: StockKey, case: Case) -> None:
        with self._lock:
            shelf = self._shelves.get(key)
            if shelf is None:
                return
            shelf.case_bytes = case_bytes(case)
            shelf.cases.append(case)
            self.made += 1
            self._evict()

    def _evict(self) -> None:
        """Past the byte budget, the least recently wanted questions lose their inputs."""
        total = sum(len(s.cases) * s.case_bytes for s in self._shelves.values())
        for shelf in self._shelves.values():  # oldest first
            while total > self.max_bytes and shelf.cases:
                shelf.cases.pop()
                total -= shelf.case_bytes

    def _drop(self, key: StockKey) -> None:
        with self._lock:
            self._shelves.pop(key, None)
            self._unstockable.add(key)
