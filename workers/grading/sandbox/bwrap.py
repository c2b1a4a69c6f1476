"""The production launcher: the harness inside bubblewrap, a per-run cgroup and seccomp.

The process chain, each step exec'ing the next with an empty environment:

    /bin/sh (joins the run's cgroup(s))  ->  prlimit (rlimits)  ->  bwrap (as root)
      ->  setpriv (drops to the sandbox uid)  ->  python -I boot.py

Why bwrap runs as root without a user namespace, and setpriv drops the uid inside: with
`--unshare-user`, bwrap run by root maps the sandbox uid to host uid 0, so the candidate's
processes would be host root without capabilities: still the owner of every root-owned file
should anything let them reach one, and exempt from RLIMIT_NPROC. Here bwrap builds the
mount tree as real root (so it can bind a runtime under /root, mode 700, at a path whose
parents it creates 0755), keeps only CAP_SETUID/SETGID/SETPCAP, and setpriv then becomes a
real unprivileged host uid with an empty bounding set and no_new_privs. Without a user
namespace, the seccomp filter (no unshare, setns, namespace clone flags, clone3) is what
keeps the candidate from creating namespaces; the payload also cannot signal, ptrace or read
the environment of bwrap's reaper (pid 1, host root) since it is a different uid.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import seccomp
from .base import CHANNEL_ENV, Bind, ExitInfo, Limits, RunnerSpec
from .cgroups import CgroupSetup, CgroupUnavailable, RunCgroup
from .process import ChannelProcess

log = logging.getLogger(__name__)

# Fixed locations, never $PATH: the worker's environment must not choose what runs as root.
BWRAP_CANDIDATES = ("/usr/bin/bwrap", "/usr/local/bin/bwrap")
SETPRIV = "/usr/bin/setpriv"
PRLIMIT = "/usr/bin/prlimit"
SHELL = "/bin/sh"
SANDBOX_UID = 65534
SANDBOX_GID = 65534
WORK_DIR = "/sandbox"
HOSTNAME = "sandbox"
MiB = 1024 * 1024
# RLIMIT_NPROC counts every process of a host uid, so with the shared sandbox uid it is only
# a host-wide backstop while the per-run pids cgroup does the real limiting. Without that
# cgroup it becomes the only fork-bomb guard and is set to the run's pids limit.
NPROC_BACKSTOP = 4096

# sh moves itself into the run's cgroup(s) before anything the candidate controls exists:
# `$1` is how many files to write "0" (the writer itself) into, then the command follows.
JOIN_CGROUPS = (
    'n=$1; shift; while [ "$n" -gt 0 ]; do echo 0 > "$1" || exit 125; shift; '
    'n=$((n - 1)); done; exec "$@"'
)
GPU_DEVICE = re.compile(r"/dev/nvidia[0-9]+")
GPU_SHARED_DEVICES = ("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools")
ROOT_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


@dataclass
class SandboxFds:
    """In-memory files bwrap reads (and closes) at start: the seccomp program and /etc."""

    seccomp: int
    etc: dict[str, int] = field(default_factory=dict)

    @classmethod
    def create(cls, uid: int, gid: int) -> SandboxFds:
        fds = cls(seccomp.program_fd())
        try:
            for dest, data in etc_files(uid, gid).items():
                fds.etc[dest] = seccomp.data_fd(data, "dojo-etc")
        except BaseException:
            fds.close()
            raise
        return fds

    def all(self) -> list[int]:
        return [self.seccomp, *self.etc.values()]

    def close(self) -> None:
        for fd in self.all():
            os.close(fd)


def etc_files(uid: int, gid: int) -> dict[str, bytes]:
    """A minimal /etc: getpass.getuser() and torch's cache paths need a passwd entry, and
    "localhost" should resolve; the host's own files are never shown."""
    return {
        "/etc/passwd": (
            f"root:x:0:0:root:/:/usr/sbin/nologin\n"
            f"sandbox:x:{uid}:{gid}:sandbox:{WORK_DIR}:/usr/sbin/nologin\n"
        ).encode(),
        "/etc/group": f"root:x:0:\nsandbox:x:{gid}:\n".encode(),
        "/etc/hosts": b"127.0.0.1 localhost\n::1 localhost\n",
    }


def root_links() -> list[str]:
    """/bin, /lib, ... as on the host: symlinks into /usr on merged-/usr systems, else binds."""
    args: list[str] = []
    for name in ROOT_LINKS:
        host = Path("/", name)
        if host.is_symlink():
            args += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            args += ["--ro-bind", str(host), str(host)]
    return args


def _readonly_binds(paths: Sequence[Path]) -> list[str]:
    """Bind each path read-only at its own location, creating missing parents 0755.

    Parents bwrap creates by itself copy restrictive host modes (e.g. /root's 700), which the
    sandbox uid could not traverse. Shorter paths are bound first so that a bind inside
    another one (site-packages inside the prefix) is not hidden by it.
    """
    args: list[str] = []
    made: set[PurePosixPath] = {PurePosixPath("/")}
    for path in sorted({Path(os.path.abspath(p)) for p in paths}, key=lambda p: len(p.parts)):
        dest = PurePosixPath(path)
        for parent in reversed(dest.parents):
            if parent not in made:
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        args += ["--ro-bind", str(path), str(path)]
        made.add(dest)
    return args


def _directory_binds(binds: Sequence[Bind]) -> list[str]:
    """Host directories at fixed paths inside (`--bind` only where `writable`), missing
    parents created 0755. The root is remounted read-only afterwards, which leaves a writable
    bind writable, as it leaves the tmpfs mounts."""
    args: list[str] = []
    for bind in binds:
        dest = PurePosixPath(bind.inside)
        if not dest.is_absolute() or ".." in dest.parts or dest == PurePosixPath("/"):
            raise ValueError(f"not a place to bind a directory: {bind.inside!r}")
        for parent in reversed(dest.parents[:-1]):  # all but "/"
            args += ["--perms", "0755", "--dir", str(parent)]
        args += ["--bind" if bind.writable else "--ro-bind", str(bind.host), str(dest)]
    return args


def _gpu_binds(devices: Sequence[str]) -> list[str]:
    if not devices:
        return []
    args: list[str] = []
    for dev in devices:
        if not GPU_DEVICE.fullmatch(dev):
            raise ValueError(f"not a GPU device node: {dev!r}")
        args += ["--dev-bind", dev, dev]
    for dev in GPU_SHARED_DEVICES:
        if os.path.exists(dev):
            args += ["--dev-bind", dev, dev]
    return args


def _tmpfs(path: str, size_mb: int) -> list[str]:
    return ["--perms", "1777", "--size", str(size_mb * MiB), "--tmpfs", path]


def sandbox_env(spec: RunnerSpec, limits: Limits, in_fd: int, out_fd: int) -> dict[str, str]:
    return {
        **spec.env,
        CHANNEL_ENV: f"{in_fd},{out_fd}",
        "DOJO_SITE_PACKAGES": ":".join(str(p) for p in spec.site_packages),
        "DOJO_THREADS": str(limits.threads),
    }


def _identity_args(as_root: bool, uid: int, gid: int) -> list[str]:
    if as_root:
        # Only what setpriv needs to drop to the sandbox uid; it then clears them all.
        return [
            "--cap-drop", "ALL",
            "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP",
        ]  # fmt: skip
    # Rootless workers: the user namespace maps the sandbox uid to the worker's own uid,
    # and --disable-userns stops the payload from nesting another one.
    return [
        "--unshare-user", "--disable-userns", "--uid", str(uid), "--gid", str(gid),
        "--cap-drop", "ALL",
    ]  # fmt: skip


def _runtime_binds(spec: RunnerSpec) -> list[Path]:
    binds = [spec.python_prefix, *spec.site_packages, spec.harness_dir, *spec.extra_paths]
    if not spec.python_executable.is_relative_to(spec.python_prefix):
        binds.append(spec.python_executable)
    return [p for p in binds if not p.is_relative_to("/usr")]  # /usr is bound whole


def bwrap_args(
    spec: RunnerSpec,
    limits: Limits,
    env: dict[str, str],
    fds: SandboxFds,
    as_root: bool = True,
    uid: int = SANDBOX_UID,
    gid: int = SANDBOX_GID,
) -> list[str]:
    """bwrap's options, up to and including the `--` before the sandboxed command."""
    args = [
        "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup",
        "--hostname", HOSTNAME, "--die-with-parent", "--new-session",
        *_identity_args(as_root, uid, gid),
        "--ro-bind", "/usr", "/usr", *root_links(),
        "--proc", "/proc", "--dev", "/dev",
        *_tmpfs("/tmp", limits.tmpfs_limit_mb),
        *_tmpfs("/dev/shm", limits.tmpfs_limit_mb),
        *_tmpfs(WORK_DIR, limits.tmpfs_limit_mb),
        "--perms", "0755", "--dir", "/etc",
    ]  # fmt: skip
    if os.path.exists("/etc/ld.so.cache"):  # library locations only; finds driver libraries
        args += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    for dest, fd in fds.etc.items():
        args += ["--perms", "0444", "--ro-bind-data", str(fd), dest]
    args += _readonly_binds(_runtime_binds(spec))
    args += _directory_binds(spec.binds)
    args += _gpu_binds(spec.gpu_devices)
    args += ["--remount-ro", "/", "--chdir", WORK_DIR, "--seccomp", str(fds.seccomp)]
    for key, value in env.items():
        args += ["--setenv", key, value]
    return [*args, "--"]


def rlimit_args(limits: Limits, pids_in_cgroup: bool) -> list[str]:
    nproc = NPROC_BACKSTOP if pids_in_cgroup else limits.pids_limit
    cpu = limits.cpu_time_limit_s
    return [
        PRLIMIT,
        f"--cpu={cpu}:{cpu + 1}",  # SIGXCPU first, SIGKILL a second later
        f"--nofile={limits.open_files_limit}",
        f"--fsize={limits.file_size_limit_mb * MiB}",
        "--core=0",
        f"--nproc={nproc}",
        "--",
    ]


def setpriv_args(uid: int, gid: int) -> list[str]:
    return [
        SETPRIV, f"--reuid={uid}", f"--regid={gid}", "--clear-groups",
        "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
    ]  # fmt: skip


def join_cgroup_args(join_files: Sequence[Path]) -> list[str]:
    paths = [str(p) for p in join_files]
    return [SHELL, "-c", JOIN_CGROUPS, "dojo-sandbox", str(len(paths)), *paths]


class SandboxProcess(ChannelProcess):
    """A ChannelProcess whose kill, limit checks and clean-up also go through its cgroup."""

    def __init__(
        self,
        build_command: Callable[[int, int], tuple[Sequence[str], dict[str, str]]],
        limits: Limits,
        extra_fds: Sequence[int],
        cgroup: RunCgroup | None,
    ) -> None:
        self._cgroup: RunCgroup | None = cgroup  # set first: output readers may call kill_tree
        super().__init__(build_command, limits, extra_fds)

    def kill_tree(self) -> None:
        # Also called from the output reader threads, possibly while finish() cleans up;
        # a kill after the group is removed finds no members and does nothing.
        super().kill_tree()
        if self._cgroup is not None:
            self._cgroup.kill()

    def poll_limits(self) -> ExitInfo | None:
        if self._finished is None and self._cgroup is not None and self._cgroup.limit_hit():
            return self.finish()
        return super().poll_limits()

    def exit_info(self) -> ExitInfo:
        info = super().exit_info()
        rc = info.returncode
        # bwrap reports a child killed by signal N as exit status 128 + N; say it as a
        # signal, like the unsandboxed launcher. (A candidate's own exit(137) reads the same.)
        if rc is not None and 128 < rc <= 128 + 64:
            info.returncode, info.signal = -(rc - 128), rc - 128
        return info

    def finish(self, timeout_s: float = 2.0) -> ExitInfo:
        if self._finished is not None:
            return self._finished
        info = super().finish(timeout_s)
        if self._cgroup is not None:
            info.leftover_processes = self._cgroup.sweep(timeout_s)
            stats = self._cgroup.stats()
            self._cgroup.remove()
            info.oom_killed = stats.oom_killed
            info.pids_limit_hit = stats.pids_limit_hit
            info.peak_memory_mb = stats.peak_memory_mb
        return info


class BwrapLauncher:
    """Starts runners inside bubblewrap. One instance can serve many runs, from many threads."""

    name = "bwrap"

    def __init__(
        self,
        uid: int = SANDBOX_UID,
        gid: int = SANDBOX_GID,
        cgroup_parent: str | None = None,
        require_cgroups: bool = False,
        bwrap: str | None = None,
        as_root: bool | None = None,
    ) -> None:
        found = bwrap or find_bwrap()
        if found is None:
            raise FileNotFoundError("bubblewrap (bwrap) is not installed")
        self.bwrap = found
        self.uid, self.gid = uid, gid
        # Root builds the sandbox and drops to a real unprivileged uid (see the module
        # docstring); a rootless worker falls back to a user namespace.
        self.as_root = os.geteuid() == 0 if as_root is None else as_root
        self.require_cgroups = require_cgroups
        self._cgroup_parent = cgroup_parent
        self._cgroups: CgroupSetup | None = None
        self._cgroups_checked = False

    def cgroup_setup(self) -> CgroupSetup | None:
        if not self._cgroups_checked:
            try:
                self._cgroups = CgroupSetup(self._cgroup_parent)
            except (CgroupUnavailable, OSError) as exc:
                if self.require_cgroups:
                    raise
                log.warning(
                    "per-run cgroups are unavailable (%s): runs are limited by rlimits only, "
                    "with no memory, pids or CPU cgroup limit",
                    exc,
                )
            self._cgroups_checked = True
        return self._cgroups

    def command(
        self,
        spec: RunnerSpec,
        limits: Limits,
        cgroup: RunCgroup | None,
        fds: SandboxFds,
        in_fd: int,
        out_fd: int,
    ) -> list[str]:
        env = sandbox_env(spec, limits, in_fd, out_fd)
        argv = [
            *rlimit_args(limits, cgroup is not None),
            self.bwrap,
            *bwrap_args(spec, limits, env, fds, self.as_root, self.uid, self.gid),
        ]
        if self.as_root:
            argv += setpriv_args(self.uid, self.gid)
        argv += [str(spec.python_executable), "-I", str(spec.harness_dir / "boot.py")]
        if cgroup is not None:
            argv = [*join_cgroup_args(cgroup.join_files), *argv]
        return argv

    def start(self, spec: RunnerSpec, limits: Limits) -> SandboxProcess:
        setup = self.cgroup_setup()
        cgroup = setup.create(limits) if setup is not None else None
        fds: SandboxFds | None = None
        try:
            fds = SandboxFds.create(self.uid, self.gid)
            opened = fds

            def build(in_fd: int, out_fd: int) -> tuple[list[str], dict[str, str]]:
                # An empty environment for every process of the chain: bwrap's reaper is
                # pid 1 inside, and nothing of the worker's environment may reach it.
                return self.command(spec, limits, cgroup, opened, in_fd, out_fd), {}

            return SandboxProcess(build, limits, fds.all(), cgroup)
        except BaseException:
            if cgroup is not None:
                cgroup.remove()
            raise
        finally:
            if fds is not None:
                fds.close()


def find_bwrap() -> str | None:
    return next((p for p in BWRAP_CANDIDATES if os.access(p, os.X_OK)), None)


def missing_tools() -> list[str]:
    """Helpers the launcher execs, besides bwrap itself, that this host lacks."""
    return [tool for tool in (SETPRIV, PRLIMIT, SHELL) if not os.access(tool, os.X_OK)]
