"""Grading on a GPU, through the real sandbox: only on a machine with an NVIDIA GPU.

CI has no GPU, so these skip there (saying so); on a GPU node they check that the runners
compute on the device they were given, that it is the only GPU the sandbox can open, and that
verdicts and CUDA-event timings come back as on the CPU.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.support import require_bwrap
from workers.grading.bank import DEFAULT_BANK_DIR, load_question
from workers.grading.cache import ExpectedCache
from workers.grading.judge import GradeConfig, grade
from workers.grading.pool import PoolKey, RunnerPool
from workers.grading.runners import Hardware
from workers.grading.sandbox import default_launcher
from workers.grading.verdict import Status

GPU_NODE = os.environ.get("DOJO_GPU_DEVICE", "/dev/nvidia0")
pytestmark = pytest.mark.skipif(not os.path.exists(GPU_NODE), reason=f"no GPU here ({GPU_NODE} does not exist)")

SOFTMAX = load_question(DEFAULT_BANK_DIR / "softmax") if (DEFAULT_BANK_DIR / "softmax").is_dir() else None

# Reports, at import, what the candidate's process can see of the machine's GPUs.
PROBE = {
    "torch": """
import json, os, torch
print("PROBE" + json.dumps({"dev": sorted(n for n in os.listdir("/dev") if n.startswith("nvidia")),
                            "count": torch.cuda.device_count(), "cuda": torch.cuda.is_available()}))
def softmax(x):
    z = x - x.max(dim=-1, keepdim=True).values
    e = z.exp()
    return e / e.sum(dim=-1, keepdim=True)
""",
    "jax": """
import json, os, jax, jax.numpy as jnp
print("PROBE" + json.dumps({"dev": sorted(n for n in os.listdir("/dev") if n.startswith("nvidia")),
                            "count": len(jax.devices()), "cuda": jax.devices()[0].platform == "gpu"}))
def softmax(x):
    z = x - x.max(axis=-1, keepdims=True)
    e = jnp.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
""",
}


@pytest.fixture(scope="module")
def gpu_config() -> GradeConfig:
    require_bwrap()
    return GradeConfig(launcher=default_launcher(), hardware=Hardware.gpu(GPU_NODE))


def _probe(stdout: str) -> dict:
    line = next(line for line in stdout.splitlines() if line.startswith("PROBE"))
    return json.loads(line.removeprefix("PROBE"))


@pytest.mark.parametrize("framework", ["torch", "jax"])
def test_runner_sees_only_its_gpu(gpu_config: GradeConfig, framework: str) -> None:
    assert SOFTMAX is not None
    result = grade(SOFTMAX, framework, PROBE[framework], "run", config=gpu_config)
    assert result.accepted, (result.message, result.stderr[-2000:])
    seen = _probe(result.stdout)
    assert seen["cuda"] and seen["count"] == 1
    others = [n for n in seen["dev"] if n[6:].isdigit() and f"/dev/{n}" != GPU_NODE]
    assert others == [], f"other GPUs visible in the sandbox: {others}"
    assert os.path.basename(GPU_NODE) in seen["dev"]


@pytest.mark.parametrize("framework", ["torch", "jax"])
def test_submit_times_on_the_gpu(gpu_config: GradeConfig, framework: str) -> None:
    assert SOFTMAX is not None
    result = grade(SOFTMAX, framework, SOFTMAX.reference(framework), "submit", config=gpu_config)
    assert result.accepted, (result.message, result.stderr[-2000:])
    timing = result.timing
    assert timing.device and "cpu" not in timing.device.lower(), timing.device
    assert timing.submission_ms is not None and timing.submission_ms > 0
    assert timing.speed_verdict in ("faster", "slower", "tied")


def test_wrong_answer_is_caught_on_the_gpu(gpu_config: GradeConfig) -> None:
    assert SOFTMAX is not None
    naive = (DEFAULT_BANK_DIR / "softmax" / "solutions" / "naive_exp.torch.py").read_text()
    result = grade(SOFTMAX, "torch", naive, "submit", config=gpu_config)
    assert result.status is Status.WRONG_ANSWER, result.message


@pytest.mark.parametrize("framework", ["torch", "jax"])
def test_pooled_runners_warm_their_gpu_and_grade(gpu_config: GradeConfig, framework: str) -> None:
    """A pooled runner runs the device warm-up before "ready" (harness/device_warmup.py), within
    its budget, and still grades correctly after it."""
    assert SOFTMAX is not None
    limits = SOFTMAX.spec.limits
    key = PoolKey(framework, gpu_config.hardware.limits(limits.memory_limit_mb, limits.output_limit_kb))
    pool = RunnerPool(gpu_config.launcher, gpu_config.hardware, [key], size=1)
    try:
        assert pool.wait_until_full(300), pool.stats()
        warmup_ms = pool._ready[key][0].info.get("warmup_ms")
        assert isinstance(warmup_ms, int) and 0 < warmup_ms < 30_000, warmup_ms
        config = GradeConfig(launcher=gpu_config.launcher, hardware=gpu_config.hardware, runners=pool,
                             expected_cache=ExpectedCache())
        result = grade(SOFTMAX, framework, SOFTMAX.reference(framework), "run", config=config)
        assert result.accepted, (result.message, result.stderr[-2000:])
        assert pool.stats()["served_warm"] == 1 and pool.stats()["unhealthy"] == 0
    finally:
        pool.close()
