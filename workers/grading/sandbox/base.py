"""What every launcher provides: a child with a private request/response channel.

The child reads requests and writes responses on two inherited pipe fds named in the
environment variable DOJO_CHANNEL_FDS ("in,out"); stdout and stderr are the candidate's own
output, captured and capped, never the verdict channel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

CHANNEL_ENV = "DOJO_CHANNEL_FDS"


@dataclass(frozen=True)
class Limits:
    memory_limit_mb: int = 2048
    pids_limit: int = 64
    cpu_time_limit_s: int = 120  # RLIMIT_CPU backstop; per-call limits are the judge's
    tmpfs_limit_mb: int = 1024  # torch.compile needs ~1 GiB of scratch; charged to the memory cgroup
    open_files_limit: int = 256
    file_size_limit_mb: int = 16
    stdout_cap_bytes: int = 16 * 1024  # what is kept and shown
    stdout_kill_bytes: int = 1024 * 1024  # past this much output the run is killed
    cpu_cores: float = 1.0  # cgroup CPU quota
    threads: int = 1  # framework intra-op threads, fixed so timings are comparable


@dataclass(frozen=True)
class Bind:
    """A host directory shown inside the sandbox at a fixed path: read-only unless `writable`
    (only runners that run nothing but our own code get a writable one)."""

    host: Path
    inside: str  # an absolute path inside the sandbox
    writable: bool = False


@dataclass(frozen=True)
class RunnerSpec:
    """What to start: the harness entry script and the Python runtime it needs."""

    harness_dir: Path  # the harness package directory, bound read-only
    python_executable: Path  # the real interpreter (not a venv shim)
    python_prefix: Path  # sys.base_prefix of that interpreter
    site_packages: tuple[Path, ...]  # bound read-only and added with site.addsitedir
    env: dict[str, str] = field(default_factory=dict)  # the only variables the child gets
    gpu_devices: tuple[str, ...] = ()  # e.g. ("/dev/nvidia0",); empty on CPU nodes
    extra_paths: tuple[Path, ...] = ()  # more read-only binds, e.g. a CUDA toolkit outside /usr
    binds: tuple[Bind, ...] = ()  # host directories at other paths inside (a shared compile cache)


@dataclass
class ExitInfo:
    returncode: int | None
    signal: int | None = None
    oom_killed: bool = False
    pids_limit_hit: bool = False
    output_limit_hit: bool = False
    stdout: bytes = b""
    stderr: bytes = b""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    peak_memory_mb: float | None = None
    leftover_processes: int = 0  # processes found after the kill sweep (must be 0)


class RunningProcess(Protocol):
    to_child: BinaryIO  # requests to the child
    from_child: BinaryIO  # responses from the child
    pid: int

    def finish(self, timeout_s: float = 2.0) -> ExitInfo:
        """Kill the run and every process it made, collect its output, release resources."""
        ...

    def poll_limits(self) -> ExitInfo | None:
        """If the run has already died or hit a limit, say how; None while it is alive."""
        ...


class Launcher(Protocol):
    name: str

    def start(self, spec: RunnerSpec, limits: Limits) -> RunningProcess: ...
