"""GPU runner settings that can be checked without a GPU: limits, environment and binds."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.grading.runners import (
    GPU_MEMORY_HEADROOM_MB,
    LIBDEVICE,
    Hardware,
    cuda_toolkit_dir,
    runner_env,
)
from workers.grading.sandbox.base import Limits


def _toolkit(root: Path) -> Path:
    (root / LIBDEVICE).parent.mkdir(parents=True)
    (root / LIBDEVICE).write_bytes(b"BC")
    return root


def test_cpu_limits_are_the_questions_own() -> None:
    limits = Hardware().limits(memory_limit_mb=640, output_limit_kb=16)
    assert limits.memory_limit_mb == 640
    assert limits.stdout_cap_bytes == 16 * 1024
    assert limits.pids_limit == Limits.pids_limit


def test_gpu_runners_get_room_for_the_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CUDA_ROOT", raising=False)
    limits = Hardware.gpu("/dev/nvidia0").limits(memory_limit_mb=640, output_limit_kb=16)
    assert limits.memory_limit_mb == 640 + GPU_MEMORY_HEADROOM_MB
    assert limits.pids_limit > Limits.pids_limit


def test_toolkit_symlink_is_resolved_and_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = _toolkit(tmp_path / "cuda-13.0")
    link = tmp_path / "cuda"
    link.symlink_to(real)  # as /usr/local/cuda -> /etc/alternatives/cuda -> /usr/local/cuda-13.0
    monkeypatch.setenv("CUDA_ROOT", str(link))
    monkeypatch.setenv("LD_LIBRARY_PATH", "/usr/local/nvidia/lib64")
    assert cuda_toolkit_dir() == real
    hardware = Hardware.gpu("/dev/nvidia3")
    assert hardware.gpu_devices == ("/dev/nvidia3",)
    assert hardware.runtime_paths == (real,)
    env = runner_env("jax", hardware, allow_tf32=False)
    assert env["CUDA_ROOT"] == str(real)
    assert env["JAX_PLATFORMS"] == "cuda"
    assert env["LD_LIBRARY_PATH"] == "/usr/local/nvidia/lib64"


def test_a_directory_without_libdevice_is_not_a_toolkit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUDA_ROOT", str(tmp_path))
    monkeypatch.setenv("CUDA_HOME", str(tmp_path))
    found = cuda_toolkit_dir()
    assert found != tmp_path
