"""The bubblewrap sandbox against real attacks, each run in a real sandbox.

A tiny harness (boot.py, written below) says it is ready on the response fd, reads one line
of Python source from the request fd, runs it and lets it `report(...)` JSON lines back. No
framework is imported, so each run costs tens of milliseconds.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from workers.grading.sandbox import (
    NOT_INSTALLED,
    BwrapLauncher,
    ExitInfo,
    Limits,
    SandboxUnavailable,
    UnsandboxedLauncher,
    cgroups,
    default_launcher,
    sandbox_self_check,
    seccomp,
)
from workers.grading.sandbox import bwrap as bwrap_module
from workers.grading.sandbox.bwrap import SandboxProcess, find_bwrap
from workers.grading.sandbox.runtime import runner_spec_for_current_interpreter

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[2]
SECRET = "s3cret-" + os.urandom(8).hex()
SMALL = Limits(
    memory_limit_mb=256,
    pids_limit=32,
    cpu_time_limit_s=20,
    tmpfs_limit_mb=8,
    file_size_limit_mb=32,
    stdout_cap_bytes=4096,
    stdout_kill_bytes=256 * 1024,
)
# How long to wait for something that takes milliseconds on an idle host. Every wait below
# ends as soon as its condition holds, so only a badly overloaded host (a CI runner grading
# in parallel on two cores) ever waits long; a fixed, tight bound would fail there instead.
PATIENCE_S = 60.0

BOOT = """\
import json, os
in_fd, out_fd = (int(fd) for fd in os.environ["DOJO_CHANNEL_FDS"].split(","))
out = os.fdopen(out_fd, "wb", buffering=0)
out.write(b'{"ready": true}\\n')
source = json.loads(os.fdopen(in_fd, "rb").readline())
def report(**fields):
    out.write((json.dumps(fields) + "\\n").encode())
exec(source, {"report": report})
"""


def _unavailable(reason: str) -> None:
    # A CI runner must have the sandbox: missing it there is a failure, not a skip.
    if os.environ.get("CI") == "true":
        pytest.fail(f"sandbox tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def launcher() -> BwrapLauncher:
    if find_bwrap() is None:
        _unavailable("bubblewrap is not installed (apt-get install -y bubblewrap)")
    if os.geteuid() != 0:
        _unavailable("these tests check root-only cgroup and uid containment")
    return BwrapLauncher(require_cgroups=True)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("harness")
    (directory / "boot.py").write_text(BOOT)
    directory.chmod(0o755)
    return directory


class Run:
    """One sandboxed payload: its reports and, once finished, its ExitInfo."""

    def __init__(self, launcher: Any, harness: Path, code: str, limits: Limits, extra_paths: tuple[Path, ...] = ()):
        spec = runner_spec_for_current_interpreter(harness, extra_paths=extra_paths)
        self.proc = launcher.start(spec, limits)
        self._buffer = b""
        assert self.read(PATIENCE_S) == {"ready": True}, self.finish()
        self.proc.to_child.write((json.dumps(textwrap.dedent(code)) + "\n").encode())

    def read(self, timeout_s: float = PATIENCE_S) -> dict[str, Any] | None:
        """The next report, or None if the payload died or fell silent."""
        deadline = time.monotonic() + timeout_s
        fd = self.proc.from_child.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def finish(self) -> ExitInfo:
        return self.proc.finish()


def run(
    launcher: Any, harness: Path, code: str, limits: Limits = SMALL, exits: bool = False
) -> tuple[Any, ExitInfo]:
    """Run `code`, return its first report and how it ended. With `exits`, let the payload
    end by itself first, so that its exit status is its own rather than finish()'s kill."""
    sandboxed = Run(launcher, harness, code, limits)
    report = sandboxed.read()
    if exits:
        sandboxed.proc.proc.wait(PATIENCE_S)
    info = sandboxed.finish()
    assert info.leftover_processes == 0
    return report, info


def wait_for(condition: Callable[[], T], timeout_s: float = PATIENCE_S) -> T:
    """Poll `condition` until it returns something truthy, and return that (the last falsy
    value if `timeout_s` passes first)."""
    deadline = time.monotonic() + timeout_s
    while not (result := condition()) and time.monotonic() < deadline:
        time.sleep(0.01)
    return result


def host_processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


# -- isolation ---------------------------------------------------------------------------


def test_no_network(launcher: BwrapLauncher, harness: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    with listener:
        port = listener.getsockname()[1]
        report, _ = run(
            launcher,
            harness,
            f"""
            import socket
            results = {{}}
            for port in ({port}, 5432, 6379):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    results[port] = "connected"
                except OSError as exc:
                    results[port] = exc.errno
            try:
                socket.getaddrinfo("pypi.org", 443)
                dns = "resolved"
            except OSError as exc:
                dns = str(exc)
            report(results=results, dns=dns, nics=[n for _, n in socket.if_nameindex()])
        """,
        )
    assert set(report["results"].values()) == {errno.ECONNREFUSED}
    assert report["dns"] != "resolved"
    assert report["nics"] == ["lo"]


def test_host_files_hidden(launcher: BwrapLauncher, harness: Path) -> None:
    report, _ = run(
        launcher,
        harness,
        f"""
        import os
        def probe(path):
            try:
                with open(path, "rb") as f:
                    return f.read(200).decode(errors="replace")
            except OSError as exc:
                return exc.errno
        report(
            shadow=probe("/etc/shadow"),
            passwd=probe("/etc/passwd"),
            source=probe({str(REPO / "pyproject.toml")!r}),
            repo=sorted(os.listdir({str(REPO)!r})),
            root=os.listdir("/root"),
            home=os.path.exists("/home"),
            sys_=os.path.exists("/sys/kernel"),
            top=sorted(os.listdir("/")),
        )
    """,
    )
    assert report["shadow"] == errno.ENOENT
    assert report["source"] == errno.ENOENT
    assert report["passwd"].startswith("root:x:0:0:root:/:/usr/sbin/nologin")
    assert report["repo"] == [".venv"]  # only the parents of the bound site-packages
    assert report["root"] == [".pyenv"] or not Path(sys.base_prefix).is_relative_to("/root")
    assert not report["home"] and not report["sys_"]
    assert "work" not in report["top"] or REPO.is_relative_to("/work")


def test_runtime_and_root_read_only(launcher: BwrapLauncher, harness: Path) -> None:
    spec = runner_spec_for_current_interpreter(harness)
    targets = [
        *(str(p / "planted.py") for p in spec.site_packages),
        str(spec.python_prefix / "lib" / "planted.py"),
        str(harness / "planted.py"),
        "/planted", "/usr/planted", "/etc/passwd", "/etc/planted",
    ]  # fmt: skip
    report, _ = run(
        launcher,
        harness,
        f"""
        results = {{}}
        for path in {targets!r}:
            try:
                open(path, "a").close()
                results[path] = "written"
            except OSError as exc:
                results[path] = exc.errno
        report(results=results)
    """,
    )
    assert set(report["results"].values()) <= {errno.EROFS, errno.EACCES}, report


def test_extra_runtime_path_is_bound_read_only(launcher: BwrapLauncher, harness: Path, tmp_path: Path) -> None:
    """A toolkit outside /usr (a GPU node's CUDA directory) is visible, read-only, and alone."""
    toolkit = tmp_path / "toolkit"
    (toolkit / "bin").mkdir(parents=True)
    (toolkit / "bin" / "ptxas").write_text("tool")
    (tmp_path / "beside").write_text("not bound")
    tmp_path.chmod(0o755)
    sandboxed = Run(launcher, harness, f"""
        import os
        def attempt(path):
            try:
                open(path, "a").close()
                return "written"
            except OSError as exc:
                return exc.errno
        report(tool=open({str(toolkit / "bin" / "ptxas")!r}).read(), write=attempt({str(toolkit / "new")!r}),
               beside=os.path.exists({str(tmp_path / "beside")!r}))
    """, SMALL, extra_paths=(toolkit,))
    report = sandboxed.read()
    sandboxed.finish()
    assert report == {"tool": "tool", "write": errno.EROFS, "beside": False}, report


def test_environment_holds_nothing_of_the_worker(
    launcher: BwrapLauncher, harness: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TENSORDOJO_DATABASE_PASSWORD", SECRET)
    report, _ = run(
        launcher,
        harness,
        """
        import os
        seen = {}
        for pid in ["self", *[p for p in os.listdir("/proc") if p.isdigit()]]:
            for name in ("environ", "cmdline"):
                try:
                    with open(f"/proc/{pid}/{name}", "rb") as f:
                        seen[f"{pid}/{name}"] = f.read().decode(errors="replace")
                except OSError as exc:
                    seen[f"{pid}/{name}"] = exc.errno
        report(env=dict(os.environ), seen=seen)
    """,
    )
    extra = {k for k in report["env"] if not k.startswith("DOJO_")} - {"PWD", "LC_CTYPE"}
    assert not extra, extra  # PWD is bwrap's chdir, LC_CTYPE Python's own locale coercion
    assert SECRET not in json.dumps(report)
    assert report["seen"]["1/environ"] in (errno.EACCES, "")


def test_unprivileged_identity(launcher: BwrapLauncher, harness: Path) -> None:
    sandboxed = Run(
        launcher,
        harness,
        """
        import os
        status = dict(line.split(":", 1) for line in open("/proc/self/status"))
        report(uid=os.getresuid(), gid=os.getresgid(), groups=os.getgroups(),
               status={k: v.strip() for k, v in status.items()},
               fds=sorted(int(fd) for fd in os.listdir("/proc/self/fd")),
               channel=os.environ["DOJO_CHANNEL_FDS"], hostname=os.uname().nodename)
        import time; time.sleep(30)
    """,
        SMALL,
    )
    report = sandboxed.read()
    python = str(runner_spec_for_current_interpreter(harness).python_executable).encode()
    host_pids = [
        pid
        for pid in host_processes_with(str(harness / "boot.py"))
        if Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0] == python
    ]
    host_uids = {
        Path(f"/proc/{pid}/status").read_text().split("Uid:")[1].split()[0]
        for pid in host_pids
        if Path(f"/proc/{pid}/status").exists()
    }
    assert sandboxed.finish().leftover_processes == 0
    assert report is not None
    assert report["uid"] == [65534] * 3 and report["gid"] == [65534] * 3
    assert report["groups"] == []
    for field in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert int(report["status"][field], 16) == 0, field
    assert report["status"]["NoNewPrivs"] == "1" and report["status"]["Seccomp"] == "2"
    assert report["hostname"] == "sandbox"
    # stdio, the two channel fds and the one listdir itself opens: no seccomp or /etc memfd.
    channel = {int(fd) for fd in report["channel"].split(",")}
    assert len(set(report["fds"]) - {0, 1, 2} - channel) <= 1
    # A real unprivileged host uid, not root behind a user namespace.
    assert host_uids == {"65534"}, host_uids


SECCOMP_PROBE = """
    import ctypes, errno, os, platform, socket, threading
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    x86 = platform.machine() == "x86_64"
    nr = dict(ptrace=101, unshare=272, mount=165, bpf=321, io_uring_setup=425, keyctl=250,
              setns=308, clone=56, clone3=435, perf_event_open=298, userfaultfd=323) if x86 else \\
         dict(ptrace=117, unshare=97, mount=40, bpf=280, io_uring_setup=425, keyctl=219,
              setns=268, clone=220, clone3=435, perf_event_open=241, userfaultfd=282)
    def call(name, *args):
        ctypes.set_errno(0)
        ret = libc.syscall(nr[name], *[ctypes.c_long(a) for a in args])
        if ret == 0 and name in ("clone", "clone3"):
            os._exit(0)  # a child that should never have been created
        return ctypes.get_errno() if ret == -1 else "allowed"
    results = {name: call(name, 0, 0, 0, 0, 0) for name in
               ("ptrace", "unshare", "mount", "bpf", "io_uring_setup", "keyctl", "setns",
                "perf_event_open", "userfaultfd")}
    results["unshare_user"] = call("unshare", 0x10000000)
    results["clone_newuser"] = call("clone", 0x10000000 | 17, 0, 0, 0, 0)
    results["clone_newnet"] = call("clone", 0x40000000 | 17, 0, 0, 0, 0)
    results["clone3"] = call("clone3", 0, 0)
    for family in (40, 17, 38):  # AF_VSOCK, AF_PACKET, AF_ALG
        try:
            socket.socket(family, socket.SOCK_STREAM).close()
            results[f"af{family}"] = "allowed"
        except OSError as exc:
            results[f"af{family}"] = exc.errno
    pid = os.fork()
    if pid == 0:
        os._exit(7)
    forked = os.waitpid(pid, 0)[1] >> 8
    box = []
    thread = threading.Thread(target=box.append, args=(1,))
    thread.start(); thread.join()
    unix = socket.socketpair(); unix[0].close(); unix[1].close()
    report(results=results, forked=forked, threaded=box == [1])
"""


def test_seccomp_blocks_escape_syscalls(launcher: BwrapLauncher, harness: Path) -> None:
    report, _ = run(launcher, harness, SECCOMP_PROBE)
    results = report["results"]
    assert results.pop("clone3") == errno.ENOSYS  # glibc then falls back to clone()
    assert set(results.values()) == {errno.EPERM}, results
    assert report["forked"] == 7 and report["threaded"]


# -- limits ------------------------------------------------------------------------------


def test_memory_bomb_is_oom_killed(launcher: BwrapLauncher, harness: Path) -> None:
    report, info = run(
        launcher,
        harness,
        """
        hog = b"x" * (8 << 30)
        report(survived=len(hog))
    """,
    )
    assert report is None
    assert info.oom_killed and info.signal == signal.SIGKILL
    assert info.peak_memory_mb is not None and 200 < info.peak_memory_mb <= 257


def test_fork_bomb_hits_pids_limit(launcher: BwrapLauncher, harness: Path) -> None:
    sandboxed = Run(
        launcher,
        harness,
        """
        import os, time
        parent, failures = os.getpid(), 0
        while True:
            try:
                os.fork()
            except OSError:
                failures += 1
                if os.getpid() == parent and failures == 3:
                    report(blocked=True)
                time.sleep(0.005)
    """,
        SMALL,
    )
    report = sandboxed.read()
    limited = sandboxed.proc.poll_limits()
    info = sandboxed.finish()
    assert report == {"blocked": True}
    assert limited is not None and limited.pids_limit_hit
    assert info.pids_limit_hit and info.leftover_processes == 0
    assert subprocess.run(["true"], check=False).returncode == 0  # the host can still fork


# The daemon tells the payload that its exec succeeded by closing a close-on-exec pipe
# (or writes the errno if exec failed). Only then does the payload report: whatever it does
# next, the daemon already runs under its own name, which the host can look for.
DAEMONISE = """
    import os, sys, time
    exec_r, exec_w = os.pipe()  # not inherited across exec: closes when it succeeds
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.closerange(0, exec_w)
            os.closerange(exec_w + 1, 1024)
            try:
                os.execv(sys.executable, [sys.executable, "-I", "-S", "-c",
                         "import time; time.sleep(120)", MARKER])
            except OSError as exc:
                os.write(exec_w, str(exc.errno).encode())
            os._exit(127)
        os._exit(0)
    os.close(exec_w)
    intermediate = os.wait()[1]
    exec_error = b"".join(iter(lambda: os.read(exec_r, 64), b"")).decode()
    report(intermediate=intermediate, exec_error=exec_error)
    if STAY:
        time.sleep(120)
"""


@pytest.mark.parametrize("payload_stays", [True, False], ids=["payload-stays", "payload-exits"])
def test_daemonised_grandchild_does_not_survive(launcher: BwrapLauncher, harness: Path, payload_stays: bool) -> None:
    """A double-forked, setsid'd daemon is gone after finish(), whether the payload that
    made it is still running then or has already returned.

    bwrap tears its pid namespace down as soon as the payload returns, so a payload that
    exits leaves the host no reliable moment to see the daemon; the one that stays keeps it
    visible until finish(), which is what proves the daemon really ran outside the payload's
    own process tree and was still caught.
    """
    marker = "dojo-daemon-" + os.urandom(6).hex()
    code = f"MARKER, STAY = {marker!r}, {payload_stays!r}\n" + textwrap.dedent(DAEMONISE)
    sandboxed = Run(launcher, harness, code, SMALL)
    assert sandboxed.read(PATIENCE_S) == {"intermediate": 0, "exec_error": ""}
    if payload_stays:
        assert wait_for(lambda: host_processes_with(marker)), "the daemon never showed on the host"
    else:
        sandboxed.proc.proc.wait(PATIENCE_S)  # the sandbox ends with its payload
    info = sandboxed.finish()
    assert info.leftover_processes == 0
    assert host_processes_with(marker) == []


def test_output_flood_is_killed_quickly(launcher: BwrapLauncher, harness: Path) -> None:
    sandboxed = Run(
        launcher,
        harness,
        """
        import sys
        while True:
            sys.stdout.buffer.write(b"spam" * 16384)
            sys.stdout.buffer.flush()
    """,
        SMALL,
    )
    flooding_since = time.monotonic()  # the payload starts once Run has sent it
    info = wait_for(sandboxed.proc.poll_limits)
    ended_after_s = time.monotonic() - flooding_since
    assert info is not None
    assert info.output_limit_hit and info.stdout_truncated
    assert len(info.stdout) == SMALL.stdout_cap_bytes
    # Wall time is never less than CPU time: ending sooner than the CPU limit could have
    # ended it shows the flood was cut off by the output cap, without a host-speed guess.
    assert ended_after_s < SMALL.cpu_time_limit_s
    assert info.leftover_processes == 0


def test_disk_fill_hits_tmpfs_size(launcher: BwrapLauncher, harness: Path) -> None:
    report, _ = run(
        launcher,
        harness,
        """
        import os
        results = {}
        for directory in ("/sandbox", "/tmp", "/dev/shm"):
            written = 0
            try:
                with open(os.path.join(directory, "fill"), "wb") as f:
                    while True:
                        f.write(b"\\0" * (1 << 20))
                        f.flush()
                        written += 1 << 20
            except OSError as exc:
                results[directory] = [exc.errno, written]
            os.remove(os.path.join(directory, "fill"))
        report(results=results)
    """,
    )
    for directory, (code, written) in report["results"].items():
        assert code == errno.ENOSPC, directory
        assert written <= SMALL.tmpfs_limit_mb << 20


def test_file_size_limit(launcher: BwrapLauncher, harness: Path) -> None:
    limits = Limits(**{**SMALL.__dict__, "file_size_limit_mb": 2})
    report, _ = run(
        launcher,
        harness,
        """
        try:
            with open("/sandbox/big", "wb") as f:
                f.write(b"\\0" * (4 << 20))
            report(errno=None)
        except OSError as exc:
            report(errno=exc.errno)
    """,
        limits,
    )
    assert report == {"errno": errno.EFBIG}


def test_cpu_time_limit(launcher: BwrapLauncher, harness: Path) -> None:
    limits = Limits(**{**SMALL.__dict__, "cpu_time_limit_s": 1})
    report, info = run(launcher, harness, "while True: pass", limits)
    assert report is None
    assert info.signal in (signal.SIGXCPU, signal.SIGKILL)


def test_killing_pid1_and_parent_is_harmless(launcher: BwrapLauncher, harness: Path) -> None:
    report, info = run(
        launcher,
        harness,
        """
        import os, signal
        results = {}
        for name, pid in (("init", 1), ("parent", os.getppid())):
            try:
                os.kill(pid, signal.SIGKILL)
                results[name] = "sent"
            except OSError as exc:
                results[name] = exc.errno
        try:
            os.kill(-1, signal.SIGKILL)  # everything this uid may signal, except itself
        except OSError:
            pass
        report(results=results)
    """,
        exits=True,
    )
    assert report == {"results": {"init": errno.EPERM, "parent": errno.EPERM}}
    assert info.returncode == 0


def test_exit_code_is_reported(launcher: BwrapLauncher, harness: Path) -> None:
    report, info = run(launcher, harness, "import os; os._exit(3)", exits=True)
    assert report is None
    assert info.returncode == 3 and info.signal is None and not info.oom_killed


def test_cleanup_leaves_no_processes_or_cgroups(launcher: BwrapLauncher, harness: Path) -> None:
    # Session fixtures of other suites (a running `dojo serve`) may be children already.
    before = {p.name for p in Path("/proc").iterdir() if p.name.isdigit() and _ppid(p) == os.getpid()}
    sandboxed = Run(
        launcher,
        harness,
        """
        import os, time
        for _ in range(4):
            if os.fork() == 0:
                time.sleep(60)
        report(spawned=True)
        time.sleep(60)
    """,
        SMALL,
    )
    assert sandboxed.read() == {"spawned": True}
    proc = sandboxed.proc
    assert isinstance(proc, SandboxProcess) and proc._cgroup is not None
    groups = [p.parent for p in proc._cgroup.join_files]
    assert all(g.is_dir() for g in groups)
    info = sandboxed.finish()
    assert info.leftover_processes == 0
    assert not any(g.exists() for g in groups)
    children = [
        p for p in Path("/proc").iterdir() if p.name.isdigit() and _ppid(p) == os.getpid() and p.name not in before
    ]
    assert children == [], "a zombie or a stray child of the worker is left"


def _ppid(proc_dir: Path) -> int | None:
    try:
        return int(re.search(r"PPid:\s+(\d+)", (proc_dir / "status").read_text()).group(1))  # type: ignore[union-attr]
    except (OSError, AttributeError):
        return None


def test_rootless_fallback_still_contains(harness: Path) -> None:
    if find_bwrap() is None:
        _unavailable("bubblewrap is not installed")
    rootless = BwrapLauncher(as_root=False, require_cgroups=False)
    report, info = run(
        rootless,
        harness,
        """
        import os
        status = dict(line.split(":", 1) for line in open("/proc/self/status"))
        report(uid=os.getuid(), cap=status["CapEff"].strip(), seccomp=status["Seccomp"].strip())
    """,
        exits=True,
    )
    assert report == {"uid": 65534, "cap": "0" * 16, "seccomp": "2"}
    assert info.returncode == 0


# -- pieces --------------------------------------------------------------------------------


def test_self_check_and_default_launcher(
    launcher: BwrapLauncher, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sandbox_self_check() == []
    assert isinstance(default_launcher(), BwrapLauncher)
    assert isinstance(default_launcher(allow_unsandboxed=True), UnsandboxedLauncher)
    monkeypatch.setattr(bwrap_module, "BWRAP_CANDIDATES", ("/nonexistent/bwrap",))
    with pytest.raises(SandboxUnavailable) as raised:
        default_launcher()
    assert str(raised.value) == NOT_INSTALLED
    assert sandbox_self_check() == [NOT_INSTALLED]


def test_gpu_devices_are_validated() -> None:
    with pytest.raises(ValueError):
        bwrap_module._gpu_binds(["/etc/shadow"])
    assert bwrap_module._gpu_binds(["/dev/nvidia3"])[:3] == [
        "--dev-bind",
        "/dev/nvidia3",
        "/dev/nvidia3",
    ]


def _header_numbers(path: str, prefix: str) -> dict[str, int]:
    text = Path(path).read_text()
    return {m[0]: int(m[1]) for m in re.findall(rf"#define {prefix}(\w+)\s+(\d+)\b", text)}


@pytest.mark.parametrize(
    ("table", "header", "prefix"),
    [
        (seccomp.SYSCALLS_X86_64, "/usr/include/x86_64-linux-gnu/asm/unistd_64.h", "__NR_"),
        (seccomp.SYSCALLS_AARCH64, "/usr/include/asm-generic/unistd.h", "__NR(?:3264)?_"),
    ],
)
def test_seccomp_syscall_numbers_match_headers(
    table: dict[str, int], header: str, prefix: str
) -> None:
    if not Path(header).exists():
        pytest.skip(f"{header} is not installed (linux-libc-dev)")
    numbers = _header_numbers(header, prefix)
    wrong = {
        name: (nr, numbers.get(name))
        for name, nr in table.items()
        if name in numbers and numbers[name] != nr
    }
    assert not wrong
    assert len([n for n in table if n in numbers]) >= len(table) - 2


def test_seccomp_program_shape() -> None:
    program = seccomp.program()
    assert len(seccomp.program_bytes()) == 8 * len(program) < 8 * 4096
    assert all(insn.jt < 256 and insn.jf < 256 for insn in program)
    assert program[-1].k == seccomp.RET_KILL_PROCESS  # unknown architectures


def test_cgroup_v2_kill_and_remove() -> None:
    """The v2 kill path (cgroup.kill) on whatever v2 mount this host has, even without
    controllers; the v1 path is what the sandbox tests above use on v1 hosts."""
    mounts = [h for h in cgroups.mounted_hierarchies() if h.version == 2]
    if not mounts or os.geteuid() != 0:
        pytest.skip("no writable cgroup v2 mount")
    h = mounts[0]
    base = h.path_of(cgroups.own_cgroups().get("", "/"))
    directory = base / f"dojo-test-{os.getpid()}"
    try:
        directory.mkdir()
    except OSError as exc:
        pytest.skip(f"cgroup v2 is not writable here: {exc}")
    group = cgroups.V2RunCgroup(directory, h.cgroup_path(directory))
    script = 'echo 0 > "$1" && exec sleep 60'
    child = subprocess.Popen(["/bin/sh", "-c", script, "sh", str(group.join_files[0])])
    try:
        assert wait_for(lambda: (directory / "cgroup.procs").read_text().strip())
        assert group.sweep(2.0) == 0
        assert child.wait(PATIENCE_S) == -signal.SIGKILL
    finally:
        child.kill()
        child.wait()
        group.remove()
    assert not directory.exists()


@pytest.fixture(autouse=True)
def _no_stray_sandboxes(harness: Path) -> Iterator[None]:
    yield
    assert host_processes_with(str(harness / "boot.py")) == []


def test_cgroup_v2_setup_writes_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The v2 set-up on a stand-in directory tree: which files get which limits. (The kernel
    creates the interface files itself; here the ones read first are written by hand.)"""
    for directory in (tmp_path, tmp_path / "tensordojo"):
        directory.mkdir(exist_ok=True)
        (directory / "cgroup.controllers").write_text("cpu memory pids\n")
        (directory / "cgroup.subtree_control").write_text("")
    mount = cgroups.Hierarchy(tmp_path, "/", 2, frozenset({"cpu", "memory", "pids"}))
    monkeypatch.setattr(cgroups, "mounted_hierarchies", lambda: [mount])
    monkeypatch.setattr(cgroups, "own_cgroups", lambda pid="self": {"": "/"})
    setup = cgroups.CgroupSetup()
    assert setup.version == 2
    assert (tmp_path / "cgroup.subtree_control").read_text() == "+memory +pids +cpu"
    run = setup.create(SMALL)
    assert isinstance(run, cgroups.V2RunCgroup)
    assert run.dir.parent == tmp_path / "tensordojo"
    assert (run.dir / "memory.max").read_text() == str(256 << 20)
    assert (run.dir / "pids.max").read_text() == "32"
    assert (run.dir / "memory.oom.group").read_text() == "1"
    assert run.join_files == [run.dir / "cgroup.procs"]
    (run.dir / "memory.events").write_text("low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n")
    (run.dir / "pids.events").write_text("max 0\n")
    assert run.stats() == cgroups.CgroupStats(oom_killed=True, pids_limit_hit=False)


def test_groups_of_dead_workers_are_collected(launcher: BwrapLauncher) -> None:
    setup = launcher.cgroup_setup()
    assert setup is not None
    dead = subprocess.Popen(["true"])
    dead.wait()
    parent = setup.parents()[0]
    orphan, ours = parent / f"{dead.pid}-0a1b2c", parent / f"{os.getpid()}-0a1b2c"
    orphan.mkdir()
    ours.mkdir()
    try:
        assert cgroups.collect_leftovers([parent]) == 1
        assert not orphan.exists() and ours.exists()
    finally:
        for directory in (orphan, ours):
            with contextlib.suppress(OSError):
                directory.rmdir()
