"""Process plumbing shared by launchers: private channel pipes and capped output capture."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import threading
from collections.abc import Callable, Sequence
from typing import IO, BinaryIO

from .base import ExitInfo, Limits


class CappedReader(threading.Thread):
    """Drains a pipe, keeps the first `cap` bytes and calls `on_flood` past `kill_at` bytes.

    Draining continuously matters: a child blocked on a full stdout pipe would look like a
    time-limit failure instead of an output flood.
    """

    def __init__(self, pipe: IO[bytes], cap: int, kill_at: int, on_flood: Callable[[], None]):
        super().__init__(daemon=True)
        self._pipe = pipe
        self._cap = cap
        self._kill_at = kill_at
        self._on_flood = on_flood
        self.kept = bytearray()
        self.total = 0
        self.flooded = False

    def run(self) -> None:
        fd = self._pipe.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.total += len(chunk)
            room = self._cap - len(self.kept)
            if room > 0:
                self.kept += chunk[:room]
            if self.total > self._kill_at and not self.flooded:
                self.flooded = True
                self._on_flood()
        self._pipe.close()

    @property
    def truncated(self) -> bool:
        return self.total > len(self.kept)


PIPE_BYTES = 1 << 20


def _widen_pipe(fd: int) -> None:
    """Ask for 1 MiB pipes: fewer wake-ups per large tensor than the 64 KiB default."""
    try:
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except OSError:
        pass  # capped by /proc/sys/fs/pipe-max-size; the default still works


def _wait_for_exit(proc: subprocess.Popen[bytes], timeout_s: float) -> None:
    """Wait up to `timeout_s` for the child to exit, waking as soon as it does.

    Popen.wait(timeout) polls with doubling sleeps, so a child that exits after 17 ms is
    noticed at 31 ms; a pidfd becomes readable the moment the process ends.
    """
    try:
        pidfd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):  # no pidfd (old kernel), or already reaped
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            pass
        return
    try:
        select.select([pidfd], [], [], timeout_s)
    finally:
        os.close(pidfd)
    proc.poll()


class ChannelProcess:
    """A child that reads requests and writes responses on two inherited pipe fds.

    `build_command(in_fd, out_fd)` returns the argv and environment once the pipe fds are
    known; the harness learns them from `DOJO_CHANNEL_FDS`. No preexec_fn is used: it is unsafe
    in a threaded parent such as a worker. The child gets its own session so that the default
    kill reaches its whole process group; sandboxed launchers also sweep their cgroup.
    """

    def __init__(
        self,
        build_command: Callable[[int, int], tuple[Sequence[str], dict[str, str]]],
        limits: Limits,
        extra_fds: Sequence[int] = (),
    ) -> None:
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        for fd in (req_w, resp_w):
            _widen_pipe(fd)
        argv, env = build_command(req_r, resp_w)
        self._limits = limits
        try:
            self.proc = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                pass_fds=(req_r, resp_w, *extra_fds),
                start_new_session=True,
                close_fds=True,
            )
        finally:
            os.close(req_r)
            os.close(resp_w)
        self.pid = self.proc.pid
        self.to_child: BinaryIO = os.fdopen(req_w, "wb", buffering=0)
        self.from_child: BinaryIO = os.fdopen(resp_r, "rb", buffering=0)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self._out = CappedReader(
            self.proc.stdout, limits.stdout_cap_bytes, limits.stdout_kill_bytes, self.kill_tree
        )
        self._err = CappedReader(
            self.proc.stderr, limits.stdout_cap_bytes, limits.stdout_kill_bytes, self.kill_tree
        )
        self._out.start()
        self._err.start()
        self._finished: ExitInfo | None = None

    def kill_tree(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def poll_limits(self) -> ExitInfo | None:
        if self.proc.poll() is None and not (self._out.flooded or self._err.flooded):
            return None
        return self.finish()

    def exit_info(self) -> ExitInfo:
        rc = self.proc.returncode
        return ExitInfo(
            returncode=rc,
            signal=-rc if rc is not None and rc < 0 else None,
            output_limit_hit=self._out.flooded or self._err.flooded,
            stdout=bytes(self._out.kept),
            stderr=bytes(self._err.kept),
            stdout_truncated=self._out.truncated,
            stderr_truncated=self._err.truncated,
        )

    def finish(self, timeout_s: float = 2.0) -> ExitInfo:
        if self._finished is not None:
            return self._finished
        for stream in (self.to_child, self.from_child):
            try:
                stream.close()
            except OSError:
                pass
        _wait_for_exit(self.proc, 0.05)
        self.kill_tree()
        try:
            self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._out.join(timeout_s)
        self._err.join(timeout_s)
        self._finished = self.exit_info()
        return self._finished

