"""The GPU warm-up of pooled runners (harness/device_warmup.py), on the CPU: when it runs, that
its ops execute and leave no tensor or random state behind, and that a failure or a stall
makes the runner report itself unhealthy. tests/grading/test_gpu.py runs it on a real GPU."""

from __future__ import annotations

import gc
import time
from typing import Any

import pytest

from tests.support import require_bwrap
from workers.grading.harness import device_warmup, main
from workers.grading.harness.device_warmup import WARM_DEVICE_ENV, WarmupFailed, should_warm, timed_warmup
from workers.grading.pool import PoolKey
from workers.grading.runners import Hardware, start_runner


@pytest.mark.parametrize(
    ("device_type", "requested", "expected"),
    [("cuda", True, True), ("gpu", True, True), ("cpu", True, False), ("cuda", False, False), ("gpu", False, False)],
)
def test_only_a_pooled_runner_on_a_gpu_warms(device_type: str, requested: bool, expected: bool) -> None:
    assert should_warm(device_type, requested) is expected


def _live_tensors(torch: Any) -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if issubclass(type(obj), torch.Tensor))


def test_the_torch_warm_up_runs_and_keeps_nothing() -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(1234)
    before_rng = torch.get_rng_state()
    before = _live_tensors(torch)
    device_warmup.warm_torch(torch, torch.device("cpu"))
    assert _live_tensors(torch) == before
    assert torch.equal(torch.get_rng_state(), before_rng)  # a candidate's unseeded draws are unchanged


def test_the_torch_warm_up_executes_its_ops(monkeypatch: pytest.MonkeyPatch) -> None:
    torch = pytest.importorskip("torch")
    calls: list[str] = []
    real_softmax, real_backward = torch.softmax, torch.Tensor.backward
    monkeypatch.setattr(torch, "softmax", lambda *a, **k: calls.append("softmax") or real_softmax(*a, **k))
    monkeypatch.setattr(torch.Tensor, "backward", lambda self, *a, **k: calls.append("backward") or
                        real_backward(self, *a, **k))
    device_warmup.warm_torch(torch, torch.device("cpu"))
    assert calls == ["softmax", "backward"]


def test_the_jax_warm_up_runs_on_the_cpu_device() -> None:
    jax = pytest.importorskip("jax")
    device_warmup.warm_jax(jax, jax.devices("cpu")[0])


def test_a_failing_warm_up_is_reported_as_such() -> None:
    def broken() -> None:
        raise RuntimeError("CUDA error: an illegal memory access was encountered")

    with pytest.raises(WarmupFailed, match="illegal memory access"):
        timed_warmup(broken)


def test_a_warm_up_over_its_budget_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device_warmup, "WARMUP_BUDGET_S", 0.01)
    with pytest.raises(WarmupFailed, match="budget"):
        timed_warmup(time.sleep, 0.05)
    monkeypatch.setattr(device_warmup, "WARMUP_BUDGET_S", 30.0)
    assert timed_warmup(time.sleep, 0.05) >= 50


class FakeAdapter:
    def __init__(self, device_type: str, fail: bool = False) -> None:
        self._type, self.fail, self.warmed = device_type, fail, 0

    def device_type(self) -> str:
        return self._type

    def warm_device(self) -> None:
        self.warmed += 1
        if self.fail:
            raise RuntimeError("no kernel image is available for execution on the device")


def test_the_runner_warms_a_gpu_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    cpu, gpu = FakeAdapter("cpu"), FakeAdapter("cuda")
    monkeypatch.setenv(WARM_DEVICE_ENV, "1")
    assert main._warm_device(cpu) == {} and cpu.warmed == 0  # type: ignore[arg-type]
    assert "warmup_ms" in main._warm_device(gpu) and gpu.warmed == 1  # type: ignore[arg-type]
    monkeypatch.delenv(WARM_DEVICE_ENV)
    assert main._warm_device(gpu) == {} and gpu.warmed == 1  # type: ignore[arg-type]
    monkeypatch.setenv(WARM_DEVICE_ENV, "1")
    with pytest.raises(WarmupFailed):
        main._warm_device(FakeAdapter("gpu", fail=True))  # type: ignore[arg-type]


def test_a_pooled_cpu_runner_skips_the_warm_up() -> None:
    """A real sandboxed torch runner asked to warm, on the CPU: ready without a warm-up."""
    require_bwrap()
    from workers.grading.sandbox import BwrapLauncher

    key = PoolKey("torch", Hardware().limits(memory_limit_mb=1024, output_limit_kb=16))
    client = start_runner(BwrapLauncher(), key.framework, Hardware(), key.limits, "pooled", warm_device=True)
    try:
        info = client.wait_ready(120)
        assert info["framework"] == "torch" and "warmup_ms" not in info
    finally:
        client.close()
