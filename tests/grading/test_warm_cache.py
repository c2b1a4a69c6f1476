"""The shared JAX compile cache, with the real sandbox and real JAX: the pool's warm-up runner
fills it for example shapes, submission runners read it (hits, no compilation) and cannot
write it, and the warm-up program refuses malformed requests."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.support import require_bwrap
from workers.grading.client import CONTROL_REPLY_BYTES, RunnerClient, RunnerFailure
from workers.grading.judge import GradeConfig, grade
from workers.grading.pool import FreshRunners, PoolKey, RunnerPool, sandbox_owner
from workers.grading.runners import Hardware, start_warmup_runner
from workers.grading.sandbox.base import Bind, ExitInfo, Launcher
from workers.grading.sandbox.bwrap import _directory_binds
from workers.grading.spec import Question
from workers.grading.warmcache import WarmCache, signatures_of

HARDWARE = Hardware()
KEY = PoolKey("jax", HARDWARE.limits(memory_limit_mb=2048, output_limit_kb=16))
EXAMPLES = [((2, 4), "float32"), ((1, 5), "float32")]  # softmax's visible examples
WARM_TIMEOUT_S = 240

# Not the bank's solution: another shape of code, which reaches the same lowered programs.
COUNTING_SOFTMAX = """
import json
import jax
import jax.numpy as jnp

_events = []
jax.monitoring.register_event_listener(lambda name, **_: _events.append(name))

def softmax(logits):
    _events.clear()
    shifted = jnp.subtract(logits, jnp.max(logits, axis=1, keepdims=True))
    weights = jnp.exp(shifted)
    out = jnp.true_divide(weights, jnp.sum(weights, axis=1, keepdims=True))
    if not isinstance(logits, jax.core.Tracer):  # the judge also traces it, to see its ops
        print(json.dumps({"hits": _events.count("/jax/compilation_cache/cache_hits"),
                          "misses": _events.count("/jax/compilation_cache/cache_misses")}))
    return out
"""

TAMPERING_SOFTMAX = """
import os
import jax.numpy as jnp

def attempt(name, action):
    try:
        action()
        print(name, "succeeded")
    except OSError as exc:
        print(name, "failed", exc.errno)

entry = sorted(n for n in os.listdir("/jax-cache") if n.endswith("-cache"))[0]
attempt("create", lambda: open("/jax-cache/jit_exp-0000-cache", "wb").write(b"poison"))
attempt("overwrite", lambda: open("/jax-cache/" + entry, "r+b").write(b"poison"))
attempt("remove", lambda: os.unlink("/jax-cache/" + entry))
attempt("rename", lambda: os.rename("/jax-cache/" + entry, "/jax-cache/" + entry + ".old"))
attempt("chmod", lambda: os.chmod("/jax-cache", 0o777))
attempt("mkdir", lambda: os.mkdir("/jax-cache/sub"))
jnp.cos(jnp.ones(3)).block_until_ready()  # not in the cache: JAX compiles it and cannot store it

def softmax(x):
    e = jnp.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""


@dataclass
class Warmed:
    launcher: Launcher
    cache: WarmCache
    stats: dict[str, object]


@pytest.fixture(scope="module")
def warmed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warmed]:
    """One real warm-up through the pool, shared by the tests that read its result."""
    require_bwrap()
    from workers.grading.sandbox import BwrapLauncher

    launcher = BwrapLauncher()
    cache = WarmCache(tmp_path_factory.mktemp("jax-cache") / "cpu")
    pool = RunnerPool(launcher, HARDWARE, keys=[], warm_cache=cache)
    try:
        assert cache.want(KEY, EXAMPLES) == 2
        assert cache.wait_idle(WARM_TIMEOUT_S), pool.stats()
        stats = pool.stats()
        yield Warmed(launcher, cache, stats)
    finally:
        pool.close()


def _snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in directory.iterdir()}


def _grade(question: Question, warmed: Warmed, code: str) -> tuple[str, str]:
    config = GradeConfig(launcher=warmed.launcher, runners=FreshRunners(warmed.launcher, HARDWARE, warmed.cache))
    result = grade(question, "jax", code, "run", config=config)
    assert result.accepted, (result.message, result.stderr)
    return result.stdout, result.stderr


def test_the_pool_warms_example_signatures_once(warmed: Warmed) -> None:
    assert warmed.stats["warm_jobs"] == 1 and warmed.stats["warm_failures"] == 0, warmed.stats
    entries = warmed.cache.readable_dir()
    assert entries is not None
    names = [p.name for p in entries.iterdir()]
    assert any(n.startswith("jit_exp-") for n in names) and any(n.startswith("jit__reduce_max-") for n in names)
    assert not any(n.endswith(".tmp") for n in names)  # published whole, by rename
    assert all(warmed.cache.is_warmed(KEY, s) for s in EXAMPLES)
    assert warmed.cache.want(KEY, EXAMPLES) == 0  # nothing new: no warm-up starts
    assert warmed.cache.pending() is None
    restarted = WarmCache(warmed.cache.directory)  # a restarted worker reads what was warmed
    assert restarted.want(KEY, EXAMPLES) == 0
    assert restarted.want(KEY, [((3, 7), "float32")]) == 1


def test_a_submission_runner_finds_the_examples_compiled(softmax: Question, warmed: Warmed) -> None:
    entries = warmed.cache.readable_dir()
    assert entries is not None
    before = _snapshot(entries)
    stdout, stderr = _grade(softmax, warmed, COUNTING_SOFTMAX)
    calls = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    assert len(calls) == 2, stdout  # one call per visible example
    for call in calls:
        assert call == {"hits": 5, "misses": 0}, calls  # max, subtract, exp, sum, divide: none compiled
    assert _snapshot(entries) == before
    assert "persistent compilation cache" not in stderr


# The usual spelling (axis=-1, array methods); prints the compile-cache lookups of each call.
USUAL_SOFTMAX = COUNTING_SOFTMAX.replace(
    "jnp.subtract(logits, jnp.max(logits, axis=1, keepdims=True))", "logits - logits.max(axis=-1, keepdims=True)"
).replace("jnp.true_divide(weights, jnp.sum(weights, axis=1, keepdims=True))",
          "weights / weights.sum(axis=-1, keepdims=True)")


def test_a_pooled_runner_holds_the_recent_programs_in_memory(softmax: Question, warmed: Warmed) -> None:
    """A pooled JAX runner runs the warm-up programs of recent example shapes before it is
    served, so the candidate's ops need no lookup at all; a fresh runner looks each one up."""
    assert "logits.max(axis=-1" in USUAL_SOFTMAX and "weights.sum(axis=-1" in USUAL_SOFTMAX
    assert warmed.cache.recent_warmed(KEY, 4) == [((1, 5), "float32"), ((2, 4), "float32")]
    fresh_stdout, _ = _grade(softmax, warmed, USUAL_SOFTMAX)
    fresh = [json.loads(line) for line in fresh_stdout.splitlines()]
    assert len(fresh) == 2 and all(calls["hits"] > 0 for calls in fresh), fresh  # looked up
    pool = RunnerPool(warmed.launcher, HARDWARE, keys=[KEY], size=1, warm_cache=warmed.cache)
    try:
        assert pool.wait_until_full(WARM_TIMEOUT_S), pool.stats()
        config = GradeConfig(launcher=warmed.launcher, runners=pool)
        result = grade(softmax, "jax", USUAL_SOFTMAX, "run", config=config)
        assert result.accepted, (result.message, result.stderr)
        assert pool.stats()["served_warm"] == 1
    finally:
        pool.close()
    pooled = [json.loads(line) for line in result.stdout.splitlines()]
    assert pooled == [{"hits": 0, "misses": 0}] * 2, pooled  # dispatched from memory


def test_candidate_code_cannot_write_into_the_cache(softmax: Question, warmed: Warmed) -> None:
    entries = warmed.cache.readable_dir()
    assert entries is not None
    before = _snapshot(entries)
    stdout, stderr = _grade(softmax, warmed, TAMPERING_SOFTMAX)
    for action in ("create", "overwrite", "remove", "rename", "chmod", "mkdir"):
        assert f"{action} failed 30" in stdout, stdout  # EROFS: a read-only bind
    assert _snapshot(entries) == before
    assert "persistent compilation cache" not in stderr  # JAX's warning for it is silenced
    assert oct(entries.stat().st_mode & 0o777) == "0o755"


def exit_unhurried(client: RunnerClient, timeout_s: float) -> ExitInfo:
    """Ask the runner to exit and wait until it has, so its exit status is its own.

    close() kills a runner still there 50 ms after asking it to exit (grades do not wait on
    teardown); on a loaded machine a clean exit can take longer than that, and then reads as
    the kill's -9."""
    client.request_exit()
    client.process.proc.wait(timeout_s)  # type: ignore[attr-defined]
    return client.close()


def test_the_warm_up_refuses_malformed_requests(tmp_path: Path) -> None:
    require_bwrap()
    from workers.grading.sandbox import BwrapLauncher

    launcher = BwrapLauncher()
    entries = WarmCache(tmp_path / "cpu").prepare(sandbox_owner(launcher))
    client = start_warmup_runner(launcher, HARDWARE, KEY.limits, entries)
    bad_requests: list[dict[str, Any]] = [
        {"op": "warm", "signatures": [{"shape": [100_000], "dtype": "float32"}]},  # a dimension over 4096
        {"op": "warm", "signatures": [{"shape": [4096, 4096], "dtype": "float32"}]},  # 16M elements
        {"op": "warm", "signatures": [{"shape": [2, 2, 2, 2, 2], "dtype": "float32"}]},  # rank 5
        {"op": "warm", "signatures": [{"shape": [2, 4], "dtype": "object"}]},
        {"op": "warm", "signatures": [{"shape": "2,4", "dtype": "float32"}]},
        {"op": "warm", "signatures": [{"shape": [2.5, 4], "dtype": "float32"}]},
        {"op": "warm", "signatures": [{"shape": [True, 4], "dtype": "float32"}]},
        {"op": "warm", "signatures": [{"shape": [2, 4], "dtype": "float32", "code": "import os"}]},
        {"op": "warm", "signatures": "everything"},
        {"op": "warm", "signatures": [{"shape": [2, 4], "dtype": "float32"}] * 9},
        {"op": "compile", "source": "import os"},
    ]
    try:
        client.wait_ready(120)
        for request in bad_requests:
            with pytest.raises(RunnerFailure) as failure:
                client.ask(request, 30, CONTROL_REPLY_BYTES)
            assert failure.value.kind == "error", (request, failure.value.detail)
        client.sync(30)  # still alive and in step
        info = exit_unhurried(client, 60)
    finally:
        client.close()
    assert info.returncode == 0, info.stderr
    assert list(entries.iterdir()) == []  # nothing was compiled


def test_signatures_are_what_a_jax_runner_compiles() -> None:
    args = (np.zeros((2, 4)), {"w": np.ones((4, 3), np.float32), "n": 3}, [np.zeros((2, 4), np.float32)])
    assert signatures_of(args) == [((2, 4), "float32"), ((4, 3), "float32")]  # float64 runs as float32
    assert signatures_of((np.zeros((5000,), np.float32), np.zeros(3, np.int64))) == []  # refused by the warm-up


def _wait_for(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_grade_that_starts_timing_stops_a_warm_up(tmp_path: Path) -> None:
    require_bwrap()
    from workers.grading.sandbox import BwrapLauncher

    cache = WarmCache(tmp_path / "cpu")
    pool = RunnerPool(BwrapLauncher(), HARDWARE, keys=[], warm_cache=cache)
    signature = ((3,), "float32")
    try:
        cache.want(KEY, [signature])
        assert _wait_for(lambda: pool._warming is not None, 60)
        with pool.quiet():
            assert _wait_for(lambda: pool.stats()["warm_interrupted"] == 1, 30), pool.stats()
            assert cache.pending() == (KEY, [signature])  # kept for later, not given up
        assert cache.wait_idle(WARM_TIMEOUT_S)
        assert pool.stats()["warm_jobs"] == 1 and cache.is_warmed(KEY, signature)
    finally:
        pool.close()


def test_only_the_warm_up_gets_a_writable_bind(tmp_path: Path) -> None:
    read_only = _directory_binds([Bind(tmp_path, "/jax-cache")])
    writable = _directory_binds([Bind(tmp_path, "/jax-cache", writable=True)])
    assert read_only == ["--ro-bind", str(tmp_path), "/jax-cache"]
    assert writable == ["--bind", str(tmp_path), "/jax-cache"]
    with pytest.raises(ValueError):
        _directory_binds([Bind(tmp_path, "jax-cache")])
