"""JAX compile caches: a reference runner's own, this JAX honours it, and a question check's
shared one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from tests.support import require_bwrap
from workers.grading.checks import SharedReferences
from workers.grading.pool import FreshRunners, PoolKey
from workers.grading.runners import JAX_REFERENCE_CACHE_ENV, Hardware, compile_cache_env

RELOAD_TWICE = """
import json, types
import jax, jax.numpy as jnp
events = []
jax.monitoring.register_event_listener(lambda name, **_: events.append(name))
source = '''
import jax
@jax.jit
def f(x):
    return jax.lax.associative_scan(jax.numpy.logaddexp, x, axis=-1)
'''
for load in range(2):
    module = types.ModuleType("solution")
    exec(source, module.__dict__)  # a fresh jit-wrapped function, as a reload of the reference
    module.f(jnp.ones((4, 300))).block_until_ready()
    hits = events.count("/jax/compilation_cache/cache_hits")
    misses = events.count("/jax/compilation_cache/cache_misses")
    print(json.dumps({"hits": hits, "misses": misses}))
    events.clear()
"""


def test_only_jax_reference_runners_get_the_cache() -> None:
    assert compile_cache_env("jax", "reference") == JAX_REFERENCE_CACHE_ENV
    assert compile_cache_env("jax", "submission") == {}
    assert compile_cache_env("torch", "reference") == {}
    assert JAX_REFERENCE_CACHE_ENV["JAX_COMPILATION_CACHE_DIR"].startswith("/tmp/")  # the sandbox's own tmpfs


def test_a_reloaded_reference_finds_its_programs_compiled(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    env = {**os.environ, **JAX_REFERENCE_CACHE_ENV, "JAX_COMPILATION_CACHE_DIR": str(cache), "JAX_PLATFORMS": "cpu"}
    out = subprocess.run([sys.executable, "-c", RELOAD_TWICE, str(cache)], env=env, capture_output=True,
                         text=True, timeout=120, check=True)
    first, reload = (json.loads(line) for line in out.stdout.splitlines())
    assert first["misses"] >= 1 and first["hits"] == 0, first
    assert reload["misses"] == 0 and reload["hits"] >= 1, reload  # found compiled, nothing compiled again
    assert any(cache.iterdir())


EAGER_SOLUTION = """
import jax
import jax.numpy as jnp

events = []
jax.monitoring.register_event_listener(lambda name, **_: events.append(name))


def solve(x):
    jnp.exp(x - x.max(axis=-1, keepdims=True)).sum(axis=-1).block_until_ready()  # op by op
    return jnp.asarray([events.count("/jax/compilation_cache/cache_hits"),
                        events.count("/jax/compilation_cache/cache_misses")])
"""


def _hits_and_misses(shared: SharedReferences, key: PoolKey, role: str) -> tuple[int, int]:
    client = shared.get(key, role)
    try:
        client.wait_ready(120)
        client.load(EAGER_SOLUTION, "solve", [], 60)
        hits, misses = np.asarray(client.call((np.ones((3, 7), dtype=np.float32),), 60).result).tolist()
        return hits, misses
    finally:
        client.request_exit()
        client.close()


def test_a_checks_jax_runners_share_their_compiles_and_the_cache_goes_with_the_check() -> None:
    require_bwrap()
    from workers.grading.sandbox import BwrapLauncher

    shared = SharedReferences(FreshRunners(BwrapLauncher(), Hardware()), share_jax_compiles=True)
    directory = shared.compile_dir
    assert directory is not None
    key = PoolKey("jax", Hardware().limits(1024, 64))
    try:
        hits, misses = _hits_and_misses(shared, key, "submission")
        assert misses >= 1 and hits == 0 and any(directory.iterdir())
        hits, misses = _hits_and_misses(shared, key, "submission")  # the next file: found compiled
        assert hits >= 1 and misses == 0
        hits, misses = _hits_and_misses(shared, key, "reference")
        assert hits >= 1 and misses == 0
    finally:
        shared.close()
    assert not directory.exists()


def test_a_check_shares_no_compiles_unless_asked() -> None:
    assert SharedReferences(FreshRunners(None, Hardware())).compile_dir is None  # type: ignore[arg-type]
