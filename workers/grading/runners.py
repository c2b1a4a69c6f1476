"""Starting the pair of runners (submission and reference) a grade needs."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path

from .client import RunnerClient
from .harness.device_warmup import WARM_DEVICE_ENV
from .harness.jax_warmup import SHARED_CACHE_ENV
from .sandbox.base import Bind, Launcher, Limits, RunnerSpec
from .sandbox.runtime import runner_spec_for_current_interpreter

HARNESS_DIR = Path(__file__).resolve().parent / "harness"
ENGINE_DIR = Path(__file__).resolve().parents[1]  # the `workers` package
CASES_FRAMEWORK = "cases"  # a case runner: the question's cases.py instead of a framework
LIBDEVICE = "nvvm/libdevice/libdevice.10.bc"


# A CUDA runner holds the driver context and the frameworks' GPU libraries in host memory
# (on an H200, idle pooled runners held about 0.3 GB RSS for torch and 0.5 GB for JAX, before
# the libraries a candidate's first ops load) and starts driver threads. The question's memory
# limit is for the candidate's own data, so GPU runners get this much on top.
GPU_MEMORY_HEADROOM_MB = 3072
GPU_PIDS_LIMIT = 256
# A reference runner may serve several grades of one question (a question check keeps it for
# the next grade, which loads the same trusted reference again). A reloaded module brings new
# jit-wrapped functions, whose in-memory caches start empty; JAX's persistent cache is keyed
# by the compiled program instead, so the reload finds every shape compiled already. The cache
# lives in the runner's own private /tmp and ends with its sandbox: nothing is shared.
JAX_REFERENCE_CACHE_ENV = {
    "JAX_COMPILATION_CACHE_DIR": "/tmp/dojo-jax-cache",
    "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
    "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "-1",
}


# The shared JAX compile cache (warmcache.py): filled only by our own warm-up program, shown
# read-only to submission runners at this fixed path. Where it is bound matters: JAX keys
# programs by their compile options, which hold the cache's path unless the XLA caches that
# JAX keeps beside its own are off (they would also need a writable directory).
SHARED_JAX_CACHE = "/jax-cache"
SHARED_JAX_CACHE_ROLES = ("submission", "pooled")  # a pooled runner is served as a submission's
WARMUP_FRAMEWORK = "jax-warmup"


def shared_cache_env(directory: str) -> dict[str, str]:
    """JAX's persistent cache on `directory`, used for every program however fast it compiled."""
    return {
        "JAX_COMPILATION_CACHE_DIR": directory,
        "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
        "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "-1",
        "JAX_PERSISTENT_CACHE_ENABLE_XLA_CACHES": "none",
    }


def shared_cache_path(launcher: Launcher, host: Path) -> str:
    """Where a runner finds the shared cache: at the fixed path inside a sandbox; at its own
    path without one (the unsandboxed launcher, development only, binds nothing)."""
    return str(host) if launcher.name == "unsandboxed" else SHARED_JAX_CACHE


def cuda_toolkit_dir() -> Path | None:
    """The CUDA directory XLA compiles with (nvvm/libdevice, bin/ptxas), symlinks resolved.

    Looked up as JAX does (CUDA_ROOT, then the pip `nvidia` packages), then the system
    toolkit. A sandboxed runner has neither the worker's environment nor /etc/alternatives,
    through which /usr/local/cuda usually points, so it is told the resolved path.
    """
    candidates: list[str] = [os.environ.get("CUDA_ROOT", "")]
    for module in ("nvidia.cu13", "nvidia.cuda_nvcc"):
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            continue
        candidates += list(spec.submodule_search_locations or []) if spec else []
    candidates += [os.environ.get("CUDA_HOME", ""), os.environ.get("CUDA_PATH", ""), "/usr/local/cuda"]
    for candidate in filter(None, candidates):
        if (Path(candidate) / LIBDEVICE).is_file():
            return Path(os.path.realpath(candidate))
    return None


@dataclass(frozen=True)
class Hardware:
    """Where runners compute. On GPU nodes `gpu_devices` names the one assigned device."""

    device: str = "cpu"  # "cpu" or "cuda"
    gpu_devices: tuple[str, ...] = ()
    threads: int = 1
    label: str = "cpu"
    extra_env: dict[str, str] = field(default_factory=dict)
    memory_headroom_mb: int = 0
    pids_limit: int = Limits.pids_limit
    runtime_paths: tuple[Path, ...] = ()  # bound read-only into the sandbox besides Python's own

    @classmethod
    def gpu(cls, device_node: str) -> Hardware:
        """The assigned GPU (`/dev/nvidiaN`); the driver's library path, where the host sets
        one, is passed on so the sandboxed runner finds libcuda."""
        extra = {k: os.environ[k] for k in ("LD_LIBRARY_PATH",) if os.environ.get(k)}
        toolkit = cuda_toolkit_dir()
        if toolkit is not None:
            extra["CUDA_ROOT"] = str(toolkit)
        return cls(device="cuda", gpu_devices=(device_node,), label=f"gpu {device_node}", extra_env=extra,
                   memory_headroom_mb=GPU_MEMORY_HEADROOM_MB, pids_limit=GPU_PIDS_LIMIT,
                   runtime_paths=(toolkit,) if toolkit else ())

    def limits(self, memory_limit_mb: int, output_limit_kb: int) -> Limits:
        """A runner's sandbox limits for a question's memory and output limits on this hardware."""
        return Limits(memory_limit_mb=memory_limit_mb + self.memory_headroom_mb,
                      stdout_cap_bytes=output_limit_kb * 1024, threads=self.threads, pids_limit=self.pids_limit)


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


def compile_cache_env(framework: str, role: str) -> dict[str, str]:
    """Reference runners keep what JAX compiled across reloads of the reference (see above)."""
    return dict(JAX_REFERENCE_CACHE_ENV) if framework == "jax" and role == "reference" else {}


def start_runner(
    launcher: Launcher,
    framework: str,
    hardware: Hardware,
    limits: Limits,
    role: str,
    allow_tf32: bool = False,
    host_devices: int = 1,
    jax_cache: Path | None = None,
    jax_cache_writable: bool = False,
    warm_device: bool = False,
) -> RunnerClient:
    """`jax_cache`: the shared compile cache's directory, bound read-only into JAX submission
    (and pooled) runners; None where there is none yet. `jax_cache_writable`: bound writable
    instead, into a runner of any role, for a question check's own cache of code trusted alike
    (checks.py), never a worker's. `warm_device`: a runner bound to a GPU runs our warm-up
    (harness/device_warmup.py) before it reports ready; for pooled runners, which have time."""
    extra_paths = hardware.runtime_paths
    if framework == CASES_FRAMEWORK:
        # A question's cases.py computes on the CPU and imports the engine's casekit, compare
        # and spec: the engine's package is bound read-only (it holds no secrets).
        hardware = Hardware(threads=hardware.threads)
        extra_paths = (ENGINE_DIR,)
    env = runner_env(framework, hardware, allow_tf32, host_devices)
    env.update(compile_cache_env(framework, role))
    if warm_device:
        env[WARM_DEVICE_ENV] = "1"
    binds: tuple[Bind, ...] = ()
    if framework == "jax" and jax_cache is not None and (role in SHARED_JAX_CACHE_ROLES or jax_cache_writable):
        binds = (Bind(jax_cache, SHARED_JAX_CACHE, writable=jax_cache_writable),)
        env.update(shared_cache_env(shared_cache_path(launcher, jax_cache)))
    if framework == CASES_FRAMEWORK:
        env["DOJO_ENGINE_PATH"] = str(ENGINE_DIR.parent)
    spec: RunnerSpec = runner_spec_for_current_interpreter(HARNESS_DIR, env=env, gpu_devices=hardware.gpu_devices,
                                                           extra_paths=extra_paths, binds=binds)
    return RunnerClient.start(launcher, spec, limits, role)


def start_warmup_runner(
    launcher: Launcher, hardware: Hardware, limits: Limits, jax_cache: Path, allow_tf32: bool = False,
    host_devices: int = 1,
) -> RunnerClient:
    """Our own JAX warm-up program (harness/jax_warmup.py) in the sandbox and environment of a
    JAX runner of the same kind, so that it compiles exactly what those runners would, with
    the shared cache bound writable: it is the only runner that ever gets it so."""
    env = runner_env("jax", hardware, allow_tf32, host_devices)
    env["DOJO_FRAMEWORK"] = WARMUP_FRAMEWORK
    env[SHARED_CACHE_ENV] = shared_cache_path(launcher, jax_cache)
    spec = runner_spec_for_current_interpreter(HARNESS_DIR, env=env, gpu_devices=hardware.gpu_devices,
                                               extra_paths=hardware.runtime_paths,
                                               binds=(Bind(jax_cache, SHARED_JAX_CACHE, writable=True),))
    return RunnerClient.start(launcher, spec, limits, "warmup")
