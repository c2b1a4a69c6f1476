"""Warm, single-use runners: sandboxed, framework imported, waiting for one job.

Starting a runner costs a framework import (torch ~1.4 s, jax ~0.6 s), which used to sit on
every grade's critical path. A pool keeps `size` ready runners per framework; each serves one
job (so no state leaks between candidates) and is replaced in the background. Forking a warm
parent instead would share its memory with the candidate and deadlocks after JAX is used, so
the pool only ever starts fresh processes ahead of time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .client import CONTROL_REPLY_BYTES, RunnerClient, RunnerFailure
from .runners import CASES_FRAMEWORK, Hardware, start_runner, start_warmup_runner
from .sandbox.base import Launcher, Limits
from .sandbox.bwrap import BwrapLauncher
from .spec import Question
from .warmcache import Signature, WarmCache, to_wire

log = logging.getLogger(__name__)

# A pooled JAX runner runs the warm-up for this many recent example shapes (about 1.5 s each
# on a CPU, programs loaded from the shared cache) before it joins the pool.
IN_RUNNER_SIGNATURES = 4
WARM_TIMEOUT_S = 300.0  # one warm-up request: up to 8 signatures of about a hundred programs each
CORES_PER_START = 4  # the pool starts one runner at a time per this many cores (refill_parallelism)
START_FAILURE_PAUSE_S = 1.0  # after a failed start: do not spin when the sandbox is broken


def refill_parallelism(setting: int = 0, cores: int | None = None) -> int:
    """How many runners a pool starts at once: `setting` where it is above 0, else one per
    CORES_PER_START cores this process may use, at least one. A start is mostly one core
    importing a framework (on a GPU also the driver's set-up, about 4 s in all), so a
    many-core GPU node refills several at once (a 16-core node four). A 2-core machine starts
    one at a time: with two at once, both cores went to imports that were still running when
    the next grade timed its runners, and submit-to-verdict rose from a median of 1025 ms to
    2411 ms (bench_latency, docs/PERFORMANCE.md)."""
    if setting > 0:
        return setting
    if cores is None:
        cores = len(os.sched_getaffinity(0))
    return max(1, cores // CORES_PER_START)


@dataclass(frozen=True)
class PoolKey:
    framework: str
    limits: Limits
    allow_tf32: bool = False
    host_devices: int = 1


def sandbox_owner(launcher: Launcher) -> tuple[int, int] | None:
    """The host uid and gid a sandboxed runner's files belong to, where they are not this
    process's: bwrap started as root drops to its sandbox uid; a rootless one maps it to ours."""
    if isinstance(launcher, BwrapLauncher) and launcher.as_root:
        return launcher.uid, launcher.gid
    return None


def case_runner_key(question: Question) -> PoolKey:
    """A question's cases.py runs in a sandbox of its own, on the CPU, with the question's limits."""
    limits = Hardware().limits(question.spec.limits.memory_limit_mb, question.spec.limits.output_limit_kb)
    return PoolKey(CASES_FRAMEWORK, limits)


@dataclass
class PoolStats:
    ready: dict[str, int] = field(default_factory=dict)
    served_warm: int = 0
    served_cold: int = 0
    died_waiting: int = 0
    started: int = 0
    start_failures: int = 0
    unhealthy: int = 0  # of the failures: runners that reported their device warm-up failed
    warm_jobs: int = 0
    warm_failures: int = 0
    warm_interrupted: int = 0


class FreshRunners:
    """No pool: every runner is started on demand (the fallback, and the behaviour in tests)."""

    def __init__(self, launcher: Launcher, hardware: Hardware, warm_cache: WarmCache | None = None) -> None:
        """`warm_cache`: the shared JAX compile cache, bound read-only into JAX submission
        runners once it exists (only a pool fills it)."""
        self.launcher, self.hardware = launcher, hardware
        self.warm_cache = warm_cache

    def get(self, key: PoolKey, role: str) -> RunnerClient:
        return self.start_fresh(key, role)

    def start_fresh(self, key: PoolKey, role: str, warm_device: bool = False) -> RunnerClient:
        """A runner started now, never one a pool keeps for grades."""
        jax_cache = self.warm_cache.readable_dir() if self.warm_cache is not None else None
        return start_runner(self.launcher, key.framework, self.hardware, key.limits, role,
                            allow_tf32=key.allow_tf32, host_devices=key.host_devices, jax_cache=jax_cache,
                            warm_device=warm_device)

    def stats(self) -> dict[str, Any]:
        return {"enabled": False}

    def quiet(self) -> contextlib.AbstractContextManager[None]:
        """While a grade times its runners, nothing else of ours should compete for the CPU."""
        return contextlib.nullcontext()

    def timing(self) -> bool:
        """Whether a grade is timing its runners now (only a pool knows)."""
        return False

    def on_timing_done(self, listener: Callable[[], None]) -> None:
        """Call `listener` whenever the last grade timing its runners finishes (only a pool times)."""

    def close(self) -> None:
        pass


class RunnerPool(FreshRunners):
    """Keeps `size` warm runners for each pooled key; other keys fall back to a fresh start."""

    def __init__(self, launcher: Launcher, hardware: Hardware, keys: list[PoolKey], size: int = 2,
                 startup_timeout_s: float = 120.0, learn_keys: int = 0, warm_cache: WarmCache | None = None,
                 refill_parallel: int = 0, warm_device: bool = True) -> None:
        """`learn_keys` > 0: also start pooling each new key a job asks for, up to that many
        keys in all (each keeps `size` processes with a framework imported). `warm_cache`: the
        background thread also runs its warm jobs, after refills and never while a grade times.
        `refill_parallel`: runners started at once (0: refill_parallelism's choice for this
        node). `warm_device`: runners bound to a GPU warm it before they join the pool
        (harness/device_warmup.py); off only to measure what that saves."""
        super().__init__(launcher, hardware, warm_cache)
        self.size = size
        self.learn_keys = learn_keys
        self.startup_timeout_s = startup_timeout_s
        self.refill_parallel = refill_parallelism(refill_parallel)
        self.warm_device = warm_device
        self._ready: dict[PoolKey, deque[RunnerClient]] = {k: deque() for k in keys}
        self._starting: dict[PoolKey, int] = {}  # starts under way, each in a thread of its own
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)  # the refill thread's
        self._filled = threading.Condition(self._lock)  # wait_until_full()'s
        self._closed = False
        self._quiet = 0  # grades timing right now: no new runner starts until they finish
        self._stats = PoolStats()
        self._warming: RunnerClient | None = None  # the warm-up runner at work, if any
        self._warm_interrupted = False
        self._timing_done: list[Callable[[], None]] = []
        if warm_cache is not None:
            warm_cache.listener = self._notify
        self._thread = threading.Thread(target=self._refill_loop, name="runner-pool", daemon=True)
        self._thread.start()

    def get(self, key: PoolKey, role: str) -> RunnerClient:
        with self._lock:
            if key not in self._ready and len(self._ready) < self.learn_keys:
                self._ready[key] = deque()  # cold this time, warm from the next job on
                self._wake.notify_all()
            queue = self._ready.get(key)
            client = self._pop_alive(queue) if queue is not None else None
            if client is not None:
                self._stats.served_warm += 1
                self._wake.notify_all()
            else:
                self._stats.served_cold += 1
        if client is None:
            return self.start_fresh(key, role)
        client.role = role
        return client

    def _pop_alive(self, queue: deque[RunnerClient]) -> RunnerClient | None:
        """A pooled runner that died while waiting (OOM killer, a stray signal) is dropped."""
        while queue:
            client = queue.popleft()
            if client.process.poll_limits() is None:
                return client
            self._stats.died_waiting += 1
            log.warning("a pooled %s runner died while waiting", client.info.get("framework"))
        return None

    def _missing(self) -> PoolKey | None:
        """A key short of `size` runners, counting the starts under way as there."""
        for key, queue in self._ready.items():
            if len(queue) + self._starting.get(key, 0) < self.size:
                return key
        return None

    def _next_start(self) -> PoolKey | None:
        """Called with the lock held: the key to start a runner for now, if any."""
        if self._quiet or sum(self._starting.values()) >= self.refill_parallel:
            return None
        return self._missing()

    def _nothing_to_do(self) -> bool:
        """Called with the lock held: nothing to start, and no warm job to run (a warm job
        waits for a quiet moment with every start finished and the pool full)."""
        if self._quiet:
            return True
        if self._next_start() is not None:
            return False
        return bool(self._starting) or self._missing() is not None or self._warm_job() is None

    def _full(self) -> bool:
        """Every key holds `size` ready runners (starts under way do not count)."""
        return all(len(queue) >= self.size for queue in self._ready.values())

    def _notify(self) -> None:
        with self._lock:
            self._wake.notify_all()

    def _warm_job(self) -> tuple[PoolKey, list[Signature]] | None:
        job = self.warm_cache.pending() if self.warm_cache is not None else None
        if job is None:
            return None
        key, signatures = job
        assert isinstance(key, PoolKey)
        return key, signatures

    def _refill_loop(self) -> None:
        """Starts missing runners, up to `refill_parallel` under way at once (a start is mostly
        waiting for the runner's import); runs warm jobs when all is full."""
        while True:
            with self._lock:
                while not self._closed and self._nothing_to_do():
                    self._wake.wait(timeout=5.0)
                    self._drop_dead()
                if self._closed:
                    return
                key = self._next_start()
                if key is not None:
                    self._starting[key] = self._starting.get(key, 0) + 1
                job = self._warm_job() if key is None else None
            if key is not None:
                self._launch(key)
            elif job is not None:
                self._run_warm_job(*job)

    def _drop_dead(self) -> None:
        for queue in self._ready.values():
            alive = [c for c in queue if c.process.poll_limits() is None]
            self._stats.died_waiting += len(queue) - len(alive)
            queue.clear()
            queue.extend(alive)

    def _launch(self, key: PoolKey) -> None:
        """Starts a runner's process here, in the refill thread, and waits for it to be ready in
        a thread of its own. The process must come from a thread that lives as long as the pool:
        the sandbox ends a runner when the thread that started it exits (bwrap's
        --die-with-parent is a parent-death signal, which follows the thread, not the process)."""
        try:
            client = self.start_fresh(key, "pooled", warm_device=self.warm_device)
        except (RunnerFailure, OSError) as exc:
            self._start_failed(key, exc)
            self._start_finished(key, None)
            return
        except BaseException:
            self._start_finished(key, None)
            raise
        threading.Thread(target=self._await_ready, args=(key, client), name="runner-pool-start", daemon=True).start()

    def _await_ready(self, key: PoolKey, client: RunnerClient) -> None:
        """One start's wait: a failure costs only this runner, and the refill loop starts
        another for its place."""
        ready: RunnerClient | None = None
        try:
            client.wait_ready(self.startup_timeout_s)
            self._warm_in_runner(key, client)
            ready = client
        except (RunnerFailure, OSError) as exc:
            client.close()  # one that timed out or answered wrongly is still running
            self._start_failed(key, exc)
        except BaseException:
            client.close()
            raise
        finally:
            self._start_finished(key, ready)

    def _start_failed(self, key: PoolKey, exc: Exception) -> None:
        with self._lock:
            if self._closed:
                return  # its process may have ended with the pool's owner: nothing to report
            self._stats.start_failures += 1
            if isinstance(exc, RunnerFailure) and exc.kind == "unhealthy":
                self._stats.unhealthy += 1
        log.error("could not start a pooled %s runner: %s", key.framework, exc)
        time.sleep(START_FAILURE_PAUSE_S)  # do not spin when the sandbox is broken

    def _start_finished(self, key: PoolKey, client: RunnerClient | None) -> None:
        with self._lock:
            self._starting[key] -= 1
            if not self._starting[key]:
                del self._starting[key]
            if client is not None:
                self._stats.started += 1
                if not self._closed:
                    self._ready[key].append(client)
                    client = None
                    self._filled.notify_all()
            self._wake.notify_all()
        if client is not None:
            client.close()  # the pool closed while it started

    def _warm_in_runner(self, key: PoolKey, client: RunnerClient) -> None:
        """A new JAX runner runs the warm-up programs of the most recent example shapes that the
        shared cache holds, so a candidate's first eager ops on them cost nothing (our own
        programs, before any candidate code; a start already under way finishes while a grade
        times, like the framework import before it)."""
        if key.framework != "jax" or self.warm_cache is None or client.process.poll_limits() is not None:
            return
        signatures = self.warm_cache.recent_warmed(key, IN_RUNNER_SIGNATURES)
        if not signatures:
            return
        try:
            client.ask({"op": "warm", "signatures": to_wire(signatures)}, WARM_TIMEOUT_S, CONTROL_REPLY_BYTES)
        except RunnerFailure as failure:
            if failure.kind != "error":
                client.close()
                raise  # the runner itself failed: not served
            log.warning("a pooled JAX runner could not warm up: %s", failure.detail)

    def _run_warm_job(self, key: PoolKey, signatures: list[Signature]) -> None:
        assert self.warm_cache is not None
        try:
            warmed = self._warm(key, signatures)
        except Exception as exc:  # the refill thread must outlive any warm-up
            log.exception("warming the JAX compile cache failed")
            warmed = exc
        with self._lock:
            interrupted, self._warm_interrupted = self._warm_interrupted, False
            if interrupted:
                self._stats.warm_interrupted += 1
            elif isinstance(warmed, Exception):
                self._stats.warm_failures += 1
            else:
                self._stats.warm_jobs += 1
        if interrupted:
            return  # still pending: warmed once no grade is timing
        if isinstance(warmed, Exception):
            log.warning("could not warm the JAX compile cache for %s: %s", signatures, warmed)
            self.warm_cache.failed(key, signatures)
        else:
            self.warm_cache.done(key, signatures)

    def _warm(self, key: PoolKey, signatures: list[Signature]) -> dict[str, Any] | Exception:
        """One warm-up runner of `key`'s kind: started, asked to compile, closed."""
        assert self.warm_cache is not None
        entries = self.warm_cache.prepare(sandbox_owner(self.launcher))
        client = start_warmup_runner(self.launcher, self.hardware, key.limits, entries,
                                     allow_tf32=key.allow_tf32, host_devices=key.host_devices)
        with self._lock:
            self._warming = client
            if self._quiet or self._closed:
                self._interrupt_warmup()
        try:
            client.wait_ready(self.startup_timeout_s)
            return client.ask({"op": "warm", "signatures": to_wire(signatures)}, WARM_TIMEOUT_S, CONTROL_REPLY_BYTES)
        except RunnerFailure as failure:
            return failure
        finally:
            with self._lock:
                self._warming = None  # before it is reaped: its pid is never signalled after
            client.close()

    def _interrupt_warmup(self) -> None:
        """Called with the lock held. A warm-up compiles for seconds on the cores a grade is
        about to time: it is stopped, and its signatures stay pending."""
        if self._warming is not None and not self._warm_interrupted:
            self._warm_interrupted = True
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._warming.process.pid, signal.SIGKILL)

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """No new runner starts while this is held (starts already under way, up to
        refill_parallel of them, finish; a warm-up is stopped): a framework import or a
        compilation beside a timed call would compete with it for the same cores."""
        with self._lock:
            self._quiet += 1
            self._interrupt_warmup()
        try:
            yield
        finally:
            with self._lock:
                self._quiet -= 1
                self._wake.notify_all()
                listeners = list(self._timing_done) if not self._quiet else []
            for listener in listeners:  # outside the lock: a listener may ask timing()
                listener()

    def timing(self) -> bool:
        with self._lock:
            return self._quiet > 0

    def on_timing_done(self, listener: Callable[[], None]) -> None:
        with self._lock:
            self._timing_done.append(listener)

    def wait_until_full(self, timeout_s: float = 120.0) -> bool:
        with self._lock:
            return self._filled.wait_for(self._full, timeout_s)

    def stats(self) -> dict[str, Any]:
        with self._lock:
            ready = {f"{k.framework}:{k.limits.memory_limit_mb}MB": len(q) for k, q in self._ready.items()}
            s = self._stats
            return {"enabled": True, "size": self.size, "ready": ready, "served_warm": s.served_warm,
                    "served_cold": s.served_cold, "died_waiting": s.died_waiting, "started": s.started,
                    "starting": sum(self._starting.values()), "refill_parallel": self.refill_parallel,
                    "start_failures": s.start_failures, "unhealthy": s.unhealthy, "warm_jobs": s.warm_jobs,
                    "warm_failures": s.warm_failures, "warm_interrupted": s.warm_interrupted}

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._interrupt_warmup()
            self._wake.notify_all()
            clients = [c for q in self._ready.values() for c in q]
            for queue in self._ready.values():
                queue.clear()
        for client in clients:
            client.close()
