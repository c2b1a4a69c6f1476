"""A reference runner's JAX compile cache: reference runners only, and this JAX honours it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from workers.grading.runners import JAX_REFERENCE_CACHE_ENV, compile_cache_env

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
