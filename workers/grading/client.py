"""The judge's side of a runner: deadlines on every read and write, and failure naming.

The runner is untrusted, so every exchange has a deadline (a runner that stops reading or
writing cannot hang the judge), every message has a size cap, and the judge measures its own
wall clock around each call.
"""

from __future__ import annotations

import os
import select
import struct
import time
from dataclasses import dataclass, field
from typing import Any

from .harness import wire
from .sandbox.base import ExitInfo, Launcher, Limits, RunnerSpec, RunningProcess


class RunnerFailure(Exception):
    """The runner did not answer properly. `kind` is one of: timeout, died, tampered, error."""

    def __init__(self, kind: str, detail: str, error: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.error = error or {}
        self.exit_info: ExitInfo | None = None


@dataclass
class CallReply:
    result: Any
    dtypes: list[str]
    elapsed_ns: int
    wall_ns: int
    ops: list[str] | None = None
    trace_error: str | None = None


@dataclass
class RunnerClient:
    process: RunningProcess
    role: str  # "submission" or "reference"
    max_message_bytes: int = 1 << 30
    info: dict[str, Any] = field(default_factory=dict)
    exit_requested: bool = False

    @classmethod
    def start(cls, launcher: Launcher, spec: RunnerSpec, limits: Limits, role: str) -> RunnerClient:
        return cls(launcher.start(spec, limits), role)

    def wait_ready(self, timeout_s: float) -> dict[str, Any]:
        reply = self._receive(time.monotonic() + timeout_s)
        if not isinstance(reply, dict) or not reply.get("ready"):
            raise RunnerFailure("tampered", "the runner did not start properly")
        self.info = reply
        return reply

    def load(self, code: str, entry: str, forbidden_ops: list[str], timeout_s: float, cpu: int | None = None) -> None:
        request = {"op": "load", "code": code, "entry": entry, "forbidden_ops": forbidden_ops, "cpu": cpu}
        self._exchange(request, timeout_s)

    def call(self, args: tuple[Any, ...], timeout_s: float, timed: bool = False) -> CallReply:
        started = time.perf_counter_ns()
        reply = self._exchange({"op": "call", "args": list(args), "timed": timed}, timeout_s)
        wall = time.perf_counter_ns() - started
        elapsed = reply.get("elapsed_ns")
        if not isinstance(elapsed, int) or not isinstance(reply.get("dtypes"), list):
            raise RunnerFailure("tampered", "the runner's reply is malformed")
        return CallReply(
            result=reply.get("result"),
            dtypes=[str(d) for d in reply["dtypes"]],
            elapsed_ns=elapsed,
            wall_ns=wall,
            ops=reply.get("ops"),
            trace_error=reply.get("trace_error"),
        )

    def request_exit(self) -> None:
        """Ask the runner to end; close() then reaps it. Asking several runners first lets
        their teardowns (unmapping a framework's memory takes tens of ms) overlap."""
        if self.exit_requested:
            return
        self.exit_requested = True
        try:
            self._send({"op": "exit"}, time.monotonic() + 0.2)
        except (RunnerFailure, ValueError, OSError):
            pass  # already dead or closed: finish() still reaps it

    def close(self) -> ExitInfo:
        self.request_exit()
        return self.process.finish()

    # -- transport ---------------------------------------------------------------------

    def _exchange(self, request: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        self._send(request, deadline)
        reply = self._receive(deadline)
        if not isinstance(reply, dict):
            raise RunnerFailure("tampered", "the runner's reply is not an object")
        if "error" in reply:
            error = reply["error"] if isinstance(reply["error"], dict) else {}
            raise RunnerFailure("error", str(error.get("message", "")), error)
        return reply

    def _send(self, request: dict[str, Any], deadline: float) -> None:
        data = memoryview(wire.encode(request))
        fd = self.process.to_child.fileno()
        while data:
            self._wait(fd, deadline, write=True)
            try:
                written = os.write(fd, data[: 1 << 20])
            except (BrokenPipeError, OSError) as exc:
                raise self._died() from exc
            data = data[written:]

    def _receive(self, deadline: float) -> Any:
        fd = self.process.from_child.fileno()
        (total,) = struct.unpack("<Q", self._read(fd, 8, deadline))
        if total > self.max_message_bytes:
            raise RunnerFailure("output_limit", f"the {self.role} sent {total} bytes")
        try:
            return wire.decode(self._read(fd, total, deadline))
        except (wire.WireError, struct.error, ValueError) as exc:
            raise RunnerFailure("tampered", f"unreadable message from the runner: {exc}") from exc

    def _read(self, fd: int, count: int, deadline: float) -> bytes:
        buffer = bytearray(count)
        view = memoryview(buffer)
        while view:
            self._wait(fd, deadline, write=False)
            got = os.readv(fd, [view])
            if not got:
                raise self._died()
            view = view[got:]
        return bytes(buffer) if count < 4096 else buffer  # type: ignore[return-value]

    def _wait(self, fd: int, deadline: float, write: bool) -> None:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RunnerFailure("timeout", f"the {self.role} did not answer in time")
            ready = select.select([], [fd], [], remaining) if write else select.select([fd], [], [], remaining)
            if ready[1] or ready[0]:
                return

    def _died(self) -> RunnerFailure:
        failure = RunnerFailure("died", f"the {self.role} process ended unexpectedly")
        failure.exit_info = self.process.finish()
        return failure
