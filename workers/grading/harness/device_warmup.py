"""Our own short warm-up of a pooled runner's GPU, run before it reports ready.

CUDA loads each kernel on its first launch, cuBLAS makes its handle and workspace on the first
matmul, autograd starts its device thread on the first backward, and XLA sets up its GPU
compiler on the first program. A fresh runner paid all of that inside the candidate's first
example (a warm torch softmax grade took 164 ms on an H200 against 28 ms on the CPU). A pooled
runner pays it here instead, while the pool refills, after the framework is imported and the
device bound and before any candidate code is loaded.

What it may leave behind: the libraries' own handles, loaded kernels and compiled programs of
our fixed inputs. No tensor outlives a warm-up function, the allocator's cache is emptied, and
the default random generator is put back as it was, so a candidate's unseeded draws are the
same as in a runner that was never warmed. On the CPU nothing runs: there is no lazy loading to
pay for, and CPU latency stays as it was.
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

# Set by the judge for pooled runners only: a runner started for a waiting grade would pay the
# warm-up on the grade's own clock, and for kernels the candidate may never launch.
WARM_DEVICE_ENV = "DOJO_WARM_DEVICE"
# A warm-up of these few tiny ops takes well under a second on a healthy GPU; one that takes
# longer than this marks a GPU not fit to time candidates, and the runner is discarded. (A
# warm-up stuck inside the driver never returns here: the judge's start deadline kills it.)
WARMUP_BUDGET_S = 30.0
SIDE = 64  # small enough to cost nothing, large enough for the usual kernel choices


class WarmupFailed(Exception):
    """The runner's GPU failed or stalled its warm-up: it must not be handed out."""


def should_warm(device_type: str, requested: bool) -> bool:
    """Only a pooled runner ("requested") bound to a GPU: torch names it "cuda", JAX "gpu"."""
    return requested and device_type in ("cuda", "gpu")


def requested() -> bool:
    return os.environ.get(WARM_DEVICE_ENV) == "1"


def timed_warmup(warm: Any, *args: Any) -> int:
    """Runs `warm(*args)`; its duration in ms. Any failure, or a run over budget, is WarmupFailed."""
    started = time.monotonic()
    try:
        warm(*args)
    except Exception as exc:
        raise WarmupFailed(f"{type(exc).__name__}: {str(exc)[:500]}") from exc
    elapsed = time.monotonic() - started
    if elapsed > WARMUP_BUDGET_S:
        raise WarmupFailed(f"the warm-up took {elapsed:.1f} s (budget {WARMUP_BUDGET_S:.0f} s)")
    return round(elapsed * 1000)


def warm_torch(torch: Any, device: Any) -> None:
    """The kernels and libraries most answers reach first, on `device`; nothing kept."""
    cuda = device.type == "cuda"
    rng = torch.cuda.get_rng_state(device) if cuda else torch.get_rng_state()
    try:
        _torch_ops(torch, device)
    finally:
        if cuda:
            torch.cuda.set_rng_state(rng, device)
        else:
            torch.set_rng_state(rng)
    if cuda:
        torch.cuda.synchronize(device)
        torch.cuda.empty_cache()  # our blocks go back to the driver
        torch.cuda.reset_peak_memory_stats(device)  # the candidate's peak starts from its own data


def _torch_ops(torch: Any, device: Any) -> None:
    # Host to device and back: every call's inputs arrive and its outputs leave this way.
    x = torch.from_numpy(np.linspace(-1, 1, SIDE * SIDE, dtype=np.float32).reshape(SIDE, SIDE)).to(device)
    x.cpu()
    # randn: the Philox random kernels, used by inits, dropout and noise.
    noise = torch.randn(SIDE, SIDE, device=device)
    # matmul: cuBLAS creates its handle and workspace on the first one (the largest single cost).
    scores = x @ noise.T
    # amax / exp / sum / divide: the reduction and elementwise kernels of a hand-written softmax.
    shifted = torch.exp(scores - scores.amax(dim=-1, keepdim=True))
    y = shifted / shifted.sum(dim=-1, keepdim=True)
    # softmax, layer_norm, relu, tanh, mean, sqrt: library forms of the same, and common layers.
    y = torch.softmax(y, dim=-1) + torch.nn.functional.layer_norm(y, (SIDE,))
    y = torch.tanh(torch.relu(y)).mean() + x.square().mean().sqrt()
    # backward: autograd starts its thread for the device on the first one.
    w = noise.clone().requires_grad_(True)
    (x @ w).square().sum().backward()
    # item: one device-to-host read that waits for everything above.
    (y + w.grad.sum()).item()


def warm_jax(jax: Any, device: Any) -> None:
    """The first programs compiled for `device`: XLA's GPU pipeline, cuBLAS and the random kernels."""
    import jax.numpy as jnp

    x = jax.device_put(np.linspace(-1, 1, SIDE * SIDE, dtype=np.float32).reshape(SIDE, SIDE), device)
    # A jitted matmul and softmax: the compiler's set-up and cuBLAS's handle, once.
    scores = jax.jit(lambda a: jax.nn.softmax(a @ a.T, axis=-1))(x)
    # Eager exp / max / sum / divide: each eager op is its own small program, as in an answer.
    shifted = jnp.exp(scores - scores.max(axis=-1, keepdims=True))
    y = shifted / shifted.sum(axis=-1, keepdims=True)
    # Random normals from an explicit key: JAX keeps no global generator to put back.
    noise = jax.random.normal(jax.random.key(0), (SIDE, SIDE), dtype=jnp.float32)
    # A gradient: the transposed programs of a backward pass.
    grad = jax.grad(lambda w: jnp.sum((x @ w) ** 2))(noise)
    # Back to the host: waits for everything above.
    np.asarray(y + grad)
