"""A cgroup per run: memory (no swap), pids and CPU limits, limit-hit accounting, kill sweep.

Both layouts are supported: cgroup v1 (one hierarchy per controller, no cgroup.kill) and
the unified v2 hierarchy. A hybrid host whose v2 mount carries no controllers is treated as
v1. Run groups live under `<own cgroup>/tensordojo/<run-id>` in each hierarchy, nested in the
worker's own group so that whatever limits and accounting the worker itself runs under (a
systemd unit, a container) still cover its runs. `parent` (DOJO_CGROUP_PARENT) replaces
"tensordojo": a relative path stays under the worker's own group, an absolute one starts at
the hierarchy's root.

The sandboxed process tree joins its group before bubblewrap runs (see bwrap.py), so there
is no window in which a fork escapes it.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import signal
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .base import Limits

log = logging.getLogger(__name__)

GROUP_NAME = "tensordojo"
# Run groups are named "<worker pid>-<random>", so that one left behind by a worker that died
# before cleaning up can be recognised and removed by any later worker.
RUN_NAME = re.compile(r"(\d+)-[0-9a-f]+")
COLLECT_EVERY_S = 300.0
CPU_PERIOD_US = 100_000
MiB = 1024 * 1024


class CgroupUnavailable(Exception):
    """Per-run cgroups cannot be created here; the message says why."""


@dataclass(frozen=True)
class Hierarchy:
    mount: Path
    root: str  # the mounted subtree, as /proc/self/cgroup paths name it
    version: int
    controllers: frozenset[str]  # v1: bound to this mount; v2: enabled at its top

    def path_of(self, cgroup_path: str) -> Path:
        """The directory of `cgroup_path` (as /proc/<pid>/cgroup prints it) in this mount."""
        rel = os.path.relpath(cgroup_path, self.root)
        if rel.startswith(".."):
            raise CgroupUnavailable(f"own cgroup {cgroup_path} is outside {self.mount}")
        return self.mount / rel if rel != "." else self.mount

    def cgroup_path(self, directory: Path) -> str:
        return os.path.normpath(os.path.join(self.root, os.path.relpath(directory, self.mount)))


@dataclass(frozen=True)
class CgroupStats:
    oom_killed: bool = False
    pids_limit_hit: bool = False
    peak_memory_mb: float | None = None


def _read(path: Path) -> str:
    with open(path) as f:
        return f.read()


def _write(path: Path, value: str | int) -> None:
    with open(path, "w") as f:
        f.write(str(value))


def _keyed(path: Path, key: str) -> int:
    """Value of `key` in a flat keyed file (memory.events, pids.events, oom_control)."""
    try:
        for line in _read(path).splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    except (OSError, ValueError):
        pass
    return 0


def _mb(path: Path) -> float | None:
    try:
        return int(_read(path)) / MiB
    except (OSError, ValueError):
        return None


def mounted_hierarchies(mountinfo: str = "/proc/self/mountinfo") -> list[Hierarchy]:
    found = []
    for line in _read(Path(mountinfo)).splitlines():
        fields = line.split()
        sep = fields.index("-")
        fstype, options = fields[sep + 1], fields[sep + 3].split(",")
        root, mount = fields[3], Path(fields[4].replace("\\040", " "))
        if fstype == "cgroup":
            found.append(Hierarchy(mount, root, 1, frozenset(options) - {"rw", "ro"}))
        elif fstype == "cgroup2":
            try:
                enabled = frozenset(_read(mount / "cgroup.controllers").split())
            except OSError:
                enabled = frozenset()
            found.append(Hierarchy(mount, root, 2, enabled))
    return found


def own_cgroups(pid: int | str = "self") -> dict[str, str]:
    """Controller list ("memory", "cpu,cpuacct", "" for v2) -> cgroup path of `pid`."""
    owned = {}
    for line in _read(Path(f"/proc/{pid}/cgroup")).splitlines():
        _, controllers, path = line.split(":", 2)
        owned[controllers] = path
    return owned


def _own_path(owned: dict[str, str], controller: str) -> str:
    for controllers, path in owned.items():
        if controller in controllers.split(","):
            return path
    raise CgroupUnavailable(f"this process is in no {controller} cgroup")


def _in_cgroup(pid: int, controller: str, cgroup_path: str) -> bool:
    """Whether `pid` is in `cgroup_path` of the hierarchy of `controller` ("" for v2)."""
    try:
        owned = own_cgroups(pid)
    except (OSError, ValueError):
        return False
    if controller == "":
        return owned.get("") == cgroup_path
    try:
        return _own_path(owned, controller) == cgroup_path
    except CgroupUnavailable:
        return False


def _kill_members(procs: Path, controller: str, cgroup_path: str) -> int:
    """SIGKILL every process listed in `procs`; returns how many were listed.

    A pid read from cgroup.procs may exit and be reused by an unrelated host process before
    the signal is sent. A pidfd pins one process, and checking membership only after opening
    it means the signal can reach nothing but a process that really is in this run's group.
    """
    try:
        pids = [int(p) for p in _read(procs).split()]
    except (OSError, ValueError):
        return 0
    for pid in pids:
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            continue
        try:
            if _in_cgroup(pid, controller, cgroup_path):
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        except OSError:
            pass
        finally:
            os.close(pidfd)
    return len(pids)


class RunCgroup(ABC):
    """One run's group(s). The launcher's wrapper writes "0" (itself) to each `join_files`."""

    join_files: list[Path]

    @abstractmethod
    def kill(self) -> None: ...

    @abstractmethod
    def stats(self) -> CgroupStats: ...

    @abstractmethod
    def _dirs(self) -> list[Path]: ...

    @abstractmethod
    def _kill_round(self) -> int:
        """Signal every member once; return how many members there were."""

    def limit_hit(self) -> bool:
        stats = self.stats()
        return stats.oom_killed or stats.pids_limit_hit

    def sweep(self, timeout_s: float = 2.0) -> int:
        """Kill until the group is empty; return how many processes are left (0 on success)."""
        deadline = time.monotonic() + timeout_s
        while True:
            left = self._kill_round()
            if left == 0 or time.monotonic() > deadline:
                return left
            time.sleep(0.002)

    def remove(self, timeout_s: float = 1.0) -> None:
        deadline = time.monotonic() + timeout_s
        for directory in self._dirs():
            while True:
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError as exc:  # EBUSY while the last members are being reaped
                    if time.monotonic() > deadline:
                        log.warning("cannot remove cgroup %s: %s", directory, exc)
                        break
                    time.sleep(0.005)


class V1RunCgroup(RunCgroup):
    def __init__(self, dirs: dict[str, Path], pids_cgroup_path: str) -> None:
        self.dirs = dirs
        self._pids_path = pids_cgroup_path
        # The v1 `tasks` file moves one thread; for the single-threaded wrapper writing "0"
        # that is the whole process, and the kernel then skips the global threadgroup lock
        # (an RCU grace period, tens of ms on a busy host) that a cgroup.procs write takes.
        self.join_files = [d / "tasks" for d in dirs.values()]

    def configure(self, limits: Limits) -> None:
        mem = self.dirs["memory"]
        limit = limits.memory_limit_mb * MiB
        _write(mem / "memory.limit_in_bytes", limit)
        if (mem / "memory.memsw.limit_in_bytes").exists():  # memory + swap: no swap at all
            _write(mem / "memory.memsw.limit_in_bytes", limit)
        _write(mem / "memory.swappiness", 0)
        _write(self.dirs["pids"] / "pids.max", limits.pids_limit)
        if "cpu" in self.dirs:
            _write(self.dirs["cpu"] / "cpu.cfs_period_us", CPU_PERIOD_US)
            quota = max(1000, int(limits.cpu_cores * CPU_PERIOD_US))
            _write(self.dirs["cpu"] / "cpu.cfs_quota_us", quota)

    def _dirs(self) -> list[Path]:
        return list(self.dirs.values())

    def _kill_round(self) -> int:
        # No cgroup.kill on v1: the pids group holds every task of the run.
        return _kill_members(self.dirs["pids"] / "cgroup.procs", "pids", self._pids_path)

    def kill(self) -> None:
        self._kill_round()

    def stats(self) -> CgroupStats:
        mem = self.dirs["memory"]
        return CgroupStats(
            oom_killed=_keyed(mem / "memory.oom_control", "oom_kill") > 0,
            pids_limit_hit=_keyed(self.dirs["pids"] / "pids.events", "max") > 0,
            peak_memory_mb=_mb(mem / "memory.max_usage_in_bytes"),
        )


class V2RunCgroup(RunCgroup):
    def __init__(self, directory: Path, cgroup_path: str) -> None:
        self.dir = directory
        self._path = cgroup_path
        self.join_files = [directory / "cgroup.procs"]

    def configure(self, limits: Limits) -> None:
        d = self.dir
        _write(d / "memory.max", limits.memory_limit_mb * MiB)
        if (d / "memory.swap.max").exists():
            _write(d / "memory.swap.max", 0)
        # One OOM kill takes the whole run down instead of leaving it half alive.
        _write(d / "memory.oom.group", 1)
        _write(d / "pids.max", limits.pids_limit)
        if (d / "cpu.max").exists():
            quota = max(1000, int(limits.cpu_cores * CPU_PERIOD_US))
            _write(d / "cpu.max", f"{quota} {CPU_PERIOD_US}")

    def _dirs(self) -> list[Path]:
        return [self.dir]

    def _kill_round(self) -> int:
        procs = self.dir / "cgroup.procs"
        try:
            listed = _read(procs).split()
        except OSError:
            return 0
        if not listed:
            return 0
        if (self.dir / "cgroup.kill").exists():  # atomic, races no fork (Linux 5.14+)
            _write(self.dir / "cgroup.kill", 1)
            return len(listed)
        return _kill_members(procs, "", self._path)

    def kill(self) -> None:
        self._kill_round()

    def stats(self) -> CgroupStats:
        return CgroupStats(
            oom_killed=_keyed(self.dir / "memory.events", "oom_kill") > 0,
            pids_limit_hit=_keyed(self.dir / "pids.events", "max") > 0,
            peak_memory_mb=_mb(self.dir / "memory.peak"),
        )


def _enable_controllers(directory: Path, wanted: Iterable[str]) -> None:
    available = set(_read(directory / "cgroup.controllers").split())
    missing = {"memory", "pids"} - available
    if missing:
        raise CgroupUnavailable(f"{directory} lacks the {', '.join(sorted(missing))} controller")
    enabled = set(_read(directory / "cgroup.subtree_control").split())
    todo = [c for c in wanted if c in available and c not in enabled]
    if todo:
        _write(directory / "cgroup.subtree_control", " ".join("+" + c for c in todo))


def _scale_cpu_weight(parent: Path, name: str, per_cpu: int, most: int) -> None:
    """Weigh the parent of all runs like one process per CPU, not like one process.

    Every run's group sits under one parent, and under CPU contention the scheduler shares
    time between sibling entities: left at the default weight, all concurrent runs together
    would get what a single ordinary process gets. Each run keeps its own CPU quota.
    """
    try:
        _write(parent / name, min(per_cpu * (os.cpu_count() or 1), most))
    except OSError as exc:
        log.warning("cannot set %s on %s: %s", name, parent, exc)


def _owner_gone(name: str) -> bool:
    match = RUN_NAME.fullmatch(name)
    if match is None:
        return False
    try:
        os.kill(int(match[1]), 0)
    except ProcessLookupError:
        return True
    except OSError:
        pass
    return False


def collect_leftovers(parents: Iterable[Path]) -> int:
    """Remove run groups whose worker is gone; returns how many were removed.

    rmdir refuses a group that still has processes, so a sandbox that is still being torn
    down is left alone; a group whose worker lives is never touched, whatever its state.
    """
    removed = 0
    for parent in parents:
        try:
            children = [c for c in parent.iterdir() if c.is_dir() and _owner_gone(c.name)]
        except OSError:
            continue
        for child in children:
            try:
                child.rmdir()
                removed += 1
            except OSError:
                continue
    return removed


class CgroupSetup:
    """Where run groups are created on this host, found once per launcher."""

    V1_CONTROLLERS = ("memory", "pids", "cpu")
    V2_CONTROLLERS = ("memory", "pids", "cpu")

    def __init__(self, parent: str | None = None) -> None:
        self._parent = parent
        hierarchies = mounted_hierarchies()
        v2 = [h for h in hierarchies if h.version == 2 and {"memory", "pids"} <= h.controllers]
        self.version = 2 if v2 else 1
        self._v1: dict[str, tuple[Hierarchy, Path]] = {}
        self._v2: tuple[Hierarchy, Path] | None = None
        if v2:
            self._v2 = (v2[0], self._v2_parent(v2[0]))
        else:
            self._find_v1(hierarchies)
        self._collected_at = 0.0
        self._collect()

    def parents(self) -> list[Path]:
        if self._v2 is not None:
            return [self._v2[1]]
        return [parent for _, parent in self._v1.values()]

    def _collect(self) -> None:
        self._collected_at = time.monotonic()
        removed = collect_leftovers(self.parents())
        if removed:
            log.info("removed %d run cgroup(s) left behind by workers that died", removed)

    def _find_v1(self, hierarchies: list[Hierarchy]) -> None:
        owned = own_cgroups()
        for controller in self.V1_CONTROLLERS:
            match = [h for h in hierarchies if h.version == 1 and controller in h.controllers]
            if not match:
                if controller == "cpu":
                    log.warning("no cpu cgroup hierarchy: runs get no CPU quota")
                    continue
                raise CgroupUnavailable(f"no {controller} cgroup hierarchy is mounted")
            h = match[0]
            own = h.path_of(_own_path(owned, controller))
            parent = self._placed(h, own) if self._parent is not None else own / GROUP_NAME
            self._make_dir(parent)
            if controller == "cpu":
                _scale_cpu_weight(parent, "cpu.shares", 1024, 262_144)
            self._v1[controller] = (h, parent)

    def _v2_parent(self, h: Hierarchy) -> Path:
        own = h.path_of(own_cgroups().get("", "/"))
        if self._parent is not None:
            candidates = [self._placed(h, own)]
        else:
            # A non-root v2 group that holds processes (the worker's own) cannot pass
            # controllers to children; systemd's DelegateSubgroup layout puts the worker in
            # a leaf below the delegated group, so its parent is the next candidate.
            candidates = [own / GROUP_NAME, own.parent / GROUP_NAME]
        errors = []
        for parent in candidates:
            try:
                if parent.parent.is_relative_to(h.mount):
                    _enable_controllers(parent.parent, self.V2_CONTROLLERS)
                self._make_dir(parent)
                _enable_controllers(parent, self.V2_CONTROLLERS)
                _scale_cpu_weight(parent, "cpu.weight", 100, 10_000)
                return parent
            except (OSError, CgroupUnavailable) as exc:
                errors.append(f"{parent}: {exc}")
        raise CgroupUnavailable("; ".join(errors))

    def _placed(self, h: Hierarchy, own: Path) -> Path:
        """`parent` from the hierarchy's root when absolute, else under our own group."""
        assert self._parent is not None
        if self._parent.startswith("/"):
            return h.mount / self._parent.lstrip("/")
        return own / self._parent

    @staticmethod
    def _make_dir(path: Path) -> None:
        try:
            path.mkdir(exist_ok=True)
        except OSError as exc:
            raise CgroupUnavailable(f"cannot create {path}: {exc.strerror}") from exc

    def create(self, limits: Limits) -> RunCgroup:
        if time.monotonic() - self._collected_at > COLLECT_EVERY_S:
            self._collect()
        run_id = f"{os.getpid()}-{secrets.token_hex(5)}"
        made: list[Path] = []
        try:
            if self._v2 is not None:
                d = self._v2[1] / run_id
                d.mkdir()
                made.append(d)
                v2 = V2RunCgroup(d, self._v2[0].cgroup_path(d))
                v2.configure(limits)
                return v2
            dirs = {}
            for controller, (_, parent) in self._v1.items():
                dirs[controller] = parent / run_id
                dirs[controller].mkdir()
                made.append(dirs[controller])
            pids_h = self._v1["pids"][0]
            v1 = V1RunCgroup(dirs, pids_h.cgroup_path(dirs["pids"]))
            v1.configure(limits)
            return v1
        except OSError as exc:
            for d in reversed(made):
                d.rmdir()
            raise CgroupUnavailable(f"cannot set up a run cgroup: {exc}") from exc
