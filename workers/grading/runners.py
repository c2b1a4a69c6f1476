"""Starting the pair of runners (submission and reference) a grade needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .client import RunnerClient
from .sandbox.base import Launcher, Limits, RunnerSpec
from .sandbox.runtime import runner_spec_for_current_interpreter

HARNESS_DIR = Path(__file__).resolve().parent / "harness"


@dataclass(frozen=True)
class Hardware:
    """Where runners compute. On GPU nodes `gpu_devices` names the one assigned device."""

    device: str = "cpu"  # "cpu" or "cuda"
    gpu_devices: tuple[str, ...] = ()
    threads: int = 1
    label: str = "cpu"
    extra_env: dict[str, str] = field(default_factory=dict)


def runner_env(framework: str, hardware: Hardware, allow_tf32: bool, host_devices: int = 1) -> dict[str, str]:
    threads = str(hardware.threads)
    xla_flags = ["--xla_cpu_multi_thread_eigen=false"] if hardware.device == "cpu" else []
    if host_devices > 1 and hardware.device == "cpu":
        xla_flags.append(f"--xla_force_host_platform_device_count={host_devices}")
    env = {
        "DOJO_FRAMEWORK": framework,
        "DOJO_DEVICE": hardware.device,
        "DOJO_ALLOW_TF32": "1" if allow_tf32 else "0",
        "HOME": "/tmp",
        # Compilers that torch.compile runs (g++ finds cc1plus and ld through PATH).
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "TMPDIR": "/tmp",
        "OMP_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads,
        "OPENBLAS_NUM_THREADS": threads,
        # A fixed thread count makes CPU timings comparable between runs and runners.
        "XLA_FLAGS": " ".join(xla_flags),
        "DOJO_HOST_DEVICES": str(host_devices),
        "JAX_PLATFORMS": "cpu" if hardware.device == "cpu" else "cuda",
        "XLA_PYTHON_CLIENT_PREALLOCATE": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        **hardware.extra_env,
    }
    return {k: v for k, v in env.items() if v}


def start_runner(
    launcher: Launcher,
    framework: str,
    hardware: Hardware,
    limits: Limits,
    role: str,
    allow_tf32: bool = False,
    host_devices: int = 1,
) -> RunnerClient:
    env = runner_env(framework, hardware, allow_tf32, host_devices)
    spec: RunnerSpec = runner_spec_for_current_interpreter(HARNESS_DIR, env=env, gpu_devices=hardware.gpu_devices)
    return RunnerClient.start(launcher, spec, limits, role)
