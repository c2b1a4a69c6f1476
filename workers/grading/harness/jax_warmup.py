"""The JAX warm-up runner: our own fixed program of common jnp operations, compiled for the
array signatures (shape, dtype) of public examples into the shared compile cache.

An un-jitted JAX answer compiles each eager op for each new shape (about 30 ms an op on a
CPU), which was most of a warm `run` grade. JAX's persistent compilation cache is keyed by the
lowered program, not by the source that asked for it, so a candidate's `jnp.exp(x - x.max(-1,
keepdims=True))` finds what this program compiled for the same shapes. Only this file's code
runs here: never a question's, a reference's or a candidate's, whose compiled programs could
reveal them to candidates who read the cache. Requests: warm {signatures} | sync, until exit.

The programs are compiled into a private directory of this sandbox and then published into
the shared one file by file (a temporary name, then an atomic rename), so a submission runner
reading the cache at the same time never sees half an entry.
"""

from __future__ import annotations

import operator
import os
import secrets
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from . import wire

# What a warm request may ask for: public example shapes are small, and each signature costs
# about a hundred compilations.
MAX_SIGNATURES = 8
MAX_RANK = 4
MAX_DIM = 4096
MAX_ELEMENTS = 1 << 22  # per signature
MAX_TOTAL_ELEMENTS = 1 << 24
WARM_DTYPES = ("float32", "float16", "bfloat16")
# A matmul is executed to be compiled: skip those that would take long to run on a CPU.
MAX_MATMUL_FLOPS = 1 << 28
SHARED_CACHE_ENV = "DOJO_JAX_SHARED_CACHE"  # where to publish; JAX itself compiles into STAGING
STAGING_DIR = "/tmp/dojo-jax-warmup"
CACHE_SUFFIX = "-cache"

Signature = tuple[tuple[int, ...], str]


class WarmupError(ValueError):
    """A warm request this program refuses."""


def parse_signatures(raw: Any) -> list[Signature]:
    """The request's signatures, checked strictly: the judge is trusted, but the shapes come
    from a question's cases.py, which an admin token can post."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_SIGNATURES:
        raise WarmupError(f"signatures must be a list of 1 to {MAX_SIGNATURES} items")
    parsed = [parse_signature(item) for item in raw]
    if sum(element_count(shape) for shape, _ in parsed) > MAX_TOTAL_ELEMENTS:
        raise WarmupError(f"more than {MAX_TOTAL_ELEMENTS} elements in all")
    return list(dict.fromkeys(parsed))


def parse_signature(item: Any) -> Signature:
    if not isinstance(item, dict) or set(item) != {"shape", "dtype"}:
        raise WarmupError("a signature is {'shape': [...], 'dtype': ...}")
    shape, dtype = item["shape"], item["dtype"]
    if not isinstance(shape, list) or len(shape) > MAX_RANK:
        raise WarmupError(f"a shape is a list of at most {MAX_RANK} dimensions")
    if not all(type(dim) is int and 1 <= dim <= MAX_DIM for dim in shape):
        raise WarmupError(f"dimensions are integers from 1 to {MAX_DIM}")
    if element_count(shape) > MAX_ELEMENTS:
        raise WarmupError(f"more than {MAX_ELEMENTS} elements")
    if dtype not in WARM_DTYPES:
        raise WarmupError(f"dtype must be one of {', '.join(WARM_DTYPES)}")
    return tuple(shape), dtype


def element_count(shape: Any) -> int:
    count = 1
    for dim in shape:
        count *= dim
    return count


def run(requests: BinaryIO, responses: BinaryIO) -> None:
    staging = Path(STAGING_DIR)
    os.environ["JAX_COMPILATION_CACHE_DIR"] = str(staging)
    os.environ["JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"] = "0"
    os.environ["JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES"] = "-1"
    # As in the runners that read the cache (runners.shared_cache_env): with JAX's XLA caches
    # on, every program's key would hold the cache directory's path, so none would match.
    os.environ["JAX_PERSISTENT_CACHE_ENABLE_XLA_CACHES"] = "none"
    warmer = Warmer(staging, Path(os.environ[SHARED_CACHE_ENV]))
    wire.write_message(responses, {"ready": True, "seq": 0, "framework": "jax-warmup"})
    while True:
        try:
            request = wire.read_message(requests)
        except EOFError:
            break
        if request.get("op") == "exit":
            break
        wire.write_message(responses, {**warmer.handle(request), "seq": request.get("seq")})


class Warmer:
    def __init__(self, staging: Path, shared: Path) -> None:
        import jax  # after the cache settings above: JAX reads them once, at its first compile

        self.jax = jax
        self.device = jax.devices()[0]
        self.staging, self.shared = staging, shared

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op == "sync":
            return {"ok": True}
        if op != "warm":
            return _error("protocol", f"unknown op {op!r}")
        try:
            signatures = parse_signatures(request.get("signatures"))
        except WarmupError as exc:
            return _error("request", str(exc))
        try:
            return {"ok": True, **self.warm(signatures)}
        except Exception as exc:  # our own program failing on some shape: say so, do not crash
            return _error("warm", f"{type(exc).__name__}: {str(exc)[:2000]}")

    def warm(self, signatures: list[Signature]) -> dict[str, int]:
        """Run every program once for each signature (and matmuls for each fitting pair), then
        publish what was compiled. Returns how many programs were compiled and published."""
        before = set(self.staging.glob(f"*{CACHE_SUFFIX}"))
        arrays = [self._zeros(shape, dtype) for shape, dtype in signatures]
        for x in arrays:
            for op in programs_for(x):
                self.jax.block_until_ready(op())
        for a in arrays:
            for b in arrays:
                for op in matmuls_for(a, b):
                    self.jax.block_until_ready(op())
        compiled = sorted(set(self.staging.glob(f"*{CACHE_SUFFIX}")) - before)
        return {"compiled": len(compiled), "published": publish(compiled, self.shared)}

    def _zeros(self, shape: tuple[int, ...], dtype: str) -> Any:
        """An input made as the submission runner makes one (device_put of a host array), so
        its committed placement, and therefore the compiled program, is the same."""
        import jax.numpy as jnp
        import numpy as np

        return self.jax.device_put(np.zeros(shape, jnp.dtype(dtype)), self.device)


Program = Callable[[], Any]
REDUCTIONS = ("max", "min", "sum", "mean")
SCALE, ONE = 0.5, 1  # a Python float and a Python int: weakly typed, each its own program


def programs_for(x: Any) -> list[Program]:
    """The eager ops that common answers (softmax, layer norm, activations, log-sum-exp) run
    on an array `x` and on its reductions, each called the way an answer calls it: the cache
    key is the lowered program, which depends on the operands' shapes, dtypes and weak types
    (`x + 1` and `x + 1.0` are two programs). A negative axis lowers to the same program as
    its positive index, so each axis is compiled once."""
    import jax
    import jax.numpy as jnp

    unary: list[Callable[[Any], Any]] = [
        jnp.exp, jnp.log, jnp.tanh, jnp.sqrt, jax.lax.rsqrt, jnp.abs, jnp.negative, jnp.square,
        jax.nn.sigmoid, _relu_int, _relu_float, _square_by_pow, _cube_by_pow,
    ]
    programs: list[Program] = [partial(fn, x) for fn in unary]
    for axis in [*range(x.ndim), None]:
        for keepdims in (True, False):
            programs += [partial(getattr(x, name), axis=axis, keepdims=keepdims) for name in REDUCTIONS]
    reduced = [x.sum(axis=axis, keepdims=True) for axis in range(x.ndim)]  # made as an answer makes them
    for axis, r in enumerate(reduced):
        programs.append(partial(jnp.var, x, axis=axis, keepdims=True))
        programs += [partial(fn, r) for fn in (jnp.log, jnp.sqrt, jax.lax.rsqrt, _plus_epsilon)]  # norms, log-sums
    for fn in (jnp.add, jnp.subtract, jnp.multiply, jnp.true_divide):
        programs += [partial(fn, x, x), partial(fn, x, SCALE), partial(fn, SCALE, x), partial(fn, ONE, x)]
        for r in reduced:
            programs += [partial(fn, x, r), partial(fn, r, x), partial(fn, r, r)]
    return programs


def warm_in_process(raw_signatures: Any) -> int:
    """Run the same programs in this (pooled, not yet loaded) JAX runner, found in the shared
    cache, so that JAX's in-memory caches hold them: a candidate's eager op on these shapes
    then dispatches at once instead of tracing and lowering it to look it up (about 11 ms an
    op). Axes are called in both forms here, since those caches key on the argument as given.
    Returns how many programs ran."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    device = jax.devices()[0]
    count = 0
    for shape, dtype in parse_signatures(raw_signatures):
        x = jax.device_put(np.zeros(shape, jnp.dtype(dtype)), device)  # as the runner puts inputs
        for program in [*programs_for(x), *negative_axis_programs(x)]:
            jax.block_until_ready(program())
            count += 1
    return count


def negative_axis_programs(x: Any) -> list[Program]:
    """The reductions of `programs_for` with each axis counted from the end, as answers
    usually write it (`x.max(axis=-1, keepdims=True)`)."""
    import jax.numpy as jnp

    programs: list[Program] = []
    for axis in range(-x.ndim, 0):
        for keepdims in (True, False):
            programs += [partial(getattr(x, name), axis=axis, keepdims=keepdims) for name in REDUCTIONS]
        programs.append(partial(jnp.var, x, axis=axis, keepdims=True))
    return programs


def _relu_int(v: Any) -> Any:
    import jax.numpy as jnp

    return jnp.maximum(v, 0)


def _relu_float(v: Any) -> Any:
    import jax.numpy as jnp

    return jnp.maximum(v, 0.0)


def _square_by_pow(v: Any) -> Any:
    return v**2


def _cube_by_pow(v: Any) -> Any:
    return v**3


def _plus_epsilon(v: Any) -> Any:
    return v + 1e-5


def matmuls_for(a: Any, b: Any) -> list[Program]:
    """`a @ b` and `a @ b.T` where the shapes allow them (b a matrix, a of rank 1 or more)."""
    if b.ndim != 2 or a.ndim < 1 or a.dtype != b.dtype:
        return []
    rows = element_count(a.shape[:-1])
    return [partial(operator.matmul, a, other) for other in (b, b.T)
            if a.shape[-1] == other.shape[0] and 2 * rows * other.shape[0] * other.shape[1] <= MAX_MATMUL_FLOPS]


def publish(files: list[Path], shared: Path) -> int:
    """Copy compiled entries the shared cache lacks into it, each under a temporary name and
    then renamed, so a reader sees a whole entry or none. Returns how many were new."""
    added = 0
    for source in files:
        target = shared / source.name
        if target.exists():
            continue
        # Several workers may publish at once, and every sandbox's pids look alike.
        temporary = shared / f".{source.name}.{secrets.token_hex(8)}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as out:
            out.write(source.read_bytes())
        os.replace(temporary, target)
        added += 1
    return added


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"error": {"kind": kind, "type": "WarmupError", "message": message}}
