"""Checking a question against itself: references pass, solutions/ get their expected verdicts.

Used by `dojo questions check`, by CI, and by the admin API before a question is published.

A check grades many files against the same trusted reference, so the reference runners of a
question are shared across its grades (`SharedReferences`): each one is started once per
concurrent grade and framework instead of once per file. Submission runners stay single-use.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .client import RunnerClient
from .judge import GradeConfig, grade
from .pool import FreshRunners, PoolKey, sandbox_owner
from .runners import start_runner
from .sandbox.base import ExitInfo
from .spec import Question
from .verdict import Status


@dataclass(frozen=True)
class CheckItem:
    slug: str
    file: str
    framework: str
    expect: Status


@dataclass(frozen=True)
class CheckOutcome:
    item: CheckItem
    got: Status
    message: str

    @property
    def ok(self) -> bool:
        return self.got == self.item.expect

    def describe(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        text = f"{mark} {self.item.slug}: {self.item.file} [{self.item.framework}] expected {self.item.expect.value}"
        return text if self.ok else f"{text}, got {self.got.value}: {self.message}"


def check_items(question: Question) -> Iterator[CheckItem]:
    if question.spec.kind != "coding":
        return
    for framework in question.spec.frameworks:
        yield CheckItem(question.slug, f"{framework}/reference.py", framework, Status.ACCEPTED)
    for solution in question.spec.solutions:
        yield CheckItem(question.slug, solution.file, solution.framework, solution.expect)


def check_question(question: Question, config: GradeConfig | None = None, parallel: int = 2) -> list[CheckOutcome]:
    return check_questions([question], config, parallel)


def check_questions(
    questions: list[Question], config: GradeConfig | None = None, parallel: int = 2,
    share_jax_compiles: bool = False,
) -> list[CheckOutcome]:
    """Grade every reference and solution in submit mode, `parallel` grades at a time. A check
    needs verdicts only, so each grade stops at its first failing test.

    `share_jax_compiles`: a question's JAX submission runners share one compile cache for the
    check (see `SharedReferences`). Only for files that are trusted alike, such as the bank's
    own (`dojo questions check`, CI): one solution's runner writes programs the next loads."""
    base = config or GradeConfig()
    by_slug = {q.slug: q for q in questions}
    items = [item for q in questions for item in check_items(q)]
    left = Counter(item.slug for item in items)
    shared: dict[str, SharedReferences] = {}
    lock = threading.Lock()

    def runners_for(slug: str) -> SharedReferences:
        with lock:
            if slug not in shared:
                shared[slug] = SharedReferences(_base_runners(base), share_jax_compiles)
            return shared[slug]

    def run(item: CheckItem) -> CheckOutcome:
        question = by_slug[item.slug]
        source = runners_for(item.slug)
        try:
            result = grade(question, item.framework, question.files[item.file], "submit",
                           config=replace(base, runners=source, stop_at_first_failure=True))
        finally:
            with lock:
                left[item.slug] -= 1
                done = left[item.slug] == 0
            if done:  # the question's last grade: its kept reference runners can go
                source.close()
        return CheckOutcome(item, result.status, result.message)

    try:
        with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
            return list(pool.map(run, items))
    finally:
        for source in shared.values():
            source.close()


def _base_runners(config: GradeConfig) -> FreshRunners:
    if config.runners is not None:
        return config.runners
    launcher = config.launcher
    if launcher is None:
        from .sandbox import default_launcher

        launcher = default_launcher()
    return FreshRunners(launcher, config.hardware)


# Runners that only ever run the question's own trusted code: its references and its cases.py.
KEPT_ROLES = ("reference", "cases")


class SharedReferences(FreshRunners):
    """Runners for one question's check. A reference runner only ever loads that question's
    trusted reference, so instead of ending with its grade it waits for the next grade of the
    same framework, which loads the reference again and skips the start and framework import;
    a case runner (cases.py) is handed on the same way and loads cases.py again. Submission
    runners come from `base` and serve one grade each, as always. A kept runner that failed a
    request is never reused.

    With `share_jax_compiles`, JAX runners (submissions and references) get a compile cache of
    this check's own (a private directory, bound writable, removed with the check): an
    un-jitted JAX answer compiles every op for every shape, most of its grade, a question's
    solutions share most of their ops and all of their shapes, and the reference file graded
    as a submission compiles exactly what the reference runner did. A cache hit is the same program, so verdicts do not
    change; what is shared is the right to write programs the next solution runs, which is why
    it is only for files trusted alike. Workers never do this: their cache is written by our
    own warm-up program only (warmcache.py)."""

    def __init__(self, base: FreshRunners, share_jax_compiles: bool = False) -> None:
        super().__init__(base.launcher, base.hardware)
        self.base = base
        self.started = 0  # reference runners started, for the tests and the figures
        self._idle: dict[PoolKey, list[_KeptReference]] = {}
        self._every: list[_KeptReference] = []
        self._lock = threading.Lock()
        self._closed = False
        self.compile_dir = _sandbox_owned_dir(base) if share_jax_compiles else None

    def get(self, key: PoolKey, role: str) -> RunnerClient:
        if role not in KEPT_ROLES:
            return self._start(key, role)
        with self._lock:
            idle = self._idle.get(key)
            if idle:
                return idle.pop()
            self.started += 1
        kept = _KeptReference.adopt(self._start(key, role), self, key)
        with self._lock:
            self._every.append(kept)
        return kept

    def _start(self, key: PoolKey, role: str) -> RunnerClient:
        if key.framework == "jax" and self.compile_dir is not None:  # references too: the
            # bank's reference graded as a submission then finds the reference's programs
            return start_runner(self.launcher, key.framework, self.hardware, key.limits, role,
                                allow_tf32=key.allow_tf32, host_devices=key.host_devices,
                                jax_cache=self.compile_dir, jax_cache_writable=True)
        return self.base.get(key, role)

    def give_back(self, client: _KeptReference) -> None:
        with self._lock:
            if client.healthy and client.key is not None and not self._closed:
                self._idle.setdefault(client.key, []).append(client)
                return
        client.shut()

    def quiet(self) -> contextlib.AbstractContextManager[None]:
        return self.base.quiet()

    def stats(self) -> dict[str, Any]:
        return self.base.stats()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            every, self._every, self._idle = self._every, [], {}
        for client in every:
            client.shut()
        if self.compile_dir is not None:
            shutil.rmtree(self.compile_dir, ignore_errors=True)


def _sandbox_owned_dir(base: FreshRunners) -> Path:
    """A new private directory that the sandbox's user may write (bwrap started as root drops
    to its own uid)."""
    directory = Path(tempfile.mkdtemp(prefix="dojo-check-jax-"))
    owner = sandbox_owner(base.launcher)
    if owner is not None:
        os.chown(directory, *owner)
    return directory


@dataclass
class _KeptReference(RunnerClient):
    """A reference runner whose end of grade hands it back to its `SharedReferences`."""

    owner: SharedReferences | None = None
    key: PoolKey | None = None
    healthy: bool = True
    ended: bool = False

    @classmethod
    def adopt(cls, client: RunnerClient, owner: SharedReferences, key: PoolKey) -> _KeptReference:
        state = {f.name: getattr(client, f.name) for f in fields(client)}
        return cls(**state, owner=owner, key=key)

    def _exchange_sized(self, request: dict[str, Any], timeout_s: float, cap: int) -> tuple[dict[str, Any], int]:
        # A request that failed (timeout, death, a malformed reply, an error) may leave the
        # pipe out of step, so the runner is ended with this grade instead of being handed on.
        try:
            return super()._exchange_sized(request, timeout_s, cap)
        except BaseException:
            self.healthy = False
            raise

    def request_exit(self) -> None:
        if not self.healthy or self.owner is None:
            super().request_exit()

    def close(self) -> ExitInfo:
        if self.owner is None:
            return self.shut()
        self.owner.give_back(self)
        return ExitInfo(returncode=None)

    def shut(self) -> ExitInfo:
        """End the process for real (once)."""
        if self.ended:
            return ExitInfo(returncode=None)
        self.ended = True
        return super().close()
