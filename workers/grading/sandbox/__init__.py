"""Where candidate code runs: launchers that start the runner harness, sandboxed or not."""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

from .base import ExitInfo, Launcher, Limits, RunnerSpec, RunningProcess
from .bwrap import BwrapLauncher, find_bwrap, missing_tools, root_links
from .cgroups import CgroupSetup, CgroupUnavailable
from .unsandboxed import UnsandboxedLauncher

__all__ = [
    "BwrapLauncher",
    "ExitInfo",
    "Launcher",
    "Limits",
    "RunnerSpec",
    "RunningProcess",
    "SandboxUnavailable",
    "UnsandboxedLauncher",
    "default_launcher",
    "sandbox_self_check",
]

log = logging.getLogger(__name__)

NOT_INSTALLED = (
    "bubblewrap is not installed: run `apt-get install -y bubblewrap` (or pass "
    "--unsafe-no-sandbox to run candidate code without any isolation)"
)


class SandboxUnavailable(RuntimeError):
    """No sandbox can be started on this host."""


def default_launcher(allow_unsandboxed: bool = False) -> Launcher:
    """The bubblewrap launcher; `allow_unsandboxed` is the explicit --unsafe-no-sandbox."""
    if allow_unsandboxed:
        log.warning("candidate code runs WITHOUT A SANDBOX (--unsafe-no-sandbox)")
        return UnsandboxedLauncher()
    if find_bwrap() is None:
        raise SandboxUnavailable(NOT_INSTALLED)
    missing = missing_tools()
    if missing:
        raise SandboxUnavailable(f"the sandbox needs {', '.join(missing)} (util-linux)")
    return BwrapLauncher(cgroup_parent=os.environ.get("DOJO_CGROUP_PARENT") or None)


def _userns_problem() -> str | None:
    """Only a rootless worker needs unprivileged user namespaces."""
    for knob, off in (
        ("/proc/sys/user/max_user_namespaces", "0"),
        ("/proc/sys/kernel/unprivileged_userns_clone", "0"),
        ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1"),
    ):
        try:
            if Path(knob).read_text().strip() == off:
                return f"user namespaces are disabled ({knob} = {off})"
        except OSError:
            continue
    return None


def _smoke_problem(bwrap: str) -> str | None:
    """Start an empty sandbox: catches a container's seccomp or AppArmor refusing bwrap."""
    as_root = os.geteuid() == 0
    identity = [] if as_root else ["--unshare-user", "--disable-userns"]
    argv = [
        bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", *identity,
        "--die-with-parent", "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr", *root_links(),
        "--proc", "/proc", "--dev", "/dev", "--remount-ro", "/", "--", "/usr/bin/true",
    ]  # fmt: skip
    try:
        done = subprocess.run(argv, env={}, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap cannot start a sandbox: {exc}"
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip()
        return f"bubblewrap cannot start a sandbox: {detail or done.returncode}"
    return None


def _cgroup_problem(parent: str | None) -> str | None:
    try:
        run = CgroupSetup(parent).create(Limits())
    except (CgroupUnavailable, OSError) as exc:
        return f"per-run cgroups are not writable: {exc}"
    run.remove()
    return None


def sandbox_self_check() -> list[str]:
    """What stops this host from sandboxing runs properly; empty when all is well."""
    bwrap = find_bwrap()
    if bwrap is None:
        return [NOT_INSTALLED]
    problems = [f"{tool} is missing (util-linux)" for tool in missing_tools()]
    userns = _userns_problem() if os.geteuid() != 0 else None
    if userns:
        problems.append(userns)
    smoke = _smoke_problem(bwrap)
    if smoke:
        problems.append(smoke)
    cgroup = _cgroup_problem(os.environ.get("DOJO_CGROUP_PARENT") or None)
    if cgroup:
        problems.append(cgroup)
    return problems
