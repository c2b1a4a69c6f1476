"""The judge's side of a runner: deadlines on every read and write, and failure naming.

The runner is untrusted, so every exchange has a deadline (a runner that stops reading or
writing cannot hang the judge), every message has a size cap, and the judge measures its own
wall clock around each call.

Caps are known before a reply is read: 1 MiB for control replies (ready, load), and for a
call a few times the expected output's size, which the judge knows beforehand (the
reference answered first, or the expected-output cache did). Every request carries a
sequence number that its reply must echo, and a reply waiting on the pipe before its request
was sent is tampering: code inside the runner that writes its own replies is caught either
way. The judge's memory therefore stays bounded whatever a runner sends.
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

CONTROL_REPLY_BYTES = 1 << 20
# A call's reply may be this many times the expected reply's size (plus CONTROL_REPLY_BYTES):
# a float64 answer where float32 was expected still arrives and is reported as a wrong dtype.
OUTPUT_FACTOR = 4


class RunnerFailure(Exception):
    """The runner did not answer properly. `kind` is one of: timeout, died, tampered, error,
    unhealthy (it could not prepare itself to be served)."""

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
    apis: list[str] | None = None  # forbidden library APIs the runner saw called
    required_apis: list[str] | None = None  # required library APIs called since the load
    message_bytes: int = 0

    def reply_cap(self) -> int:
        """The largest reply another runner may send for the same inputs."""
        return CONTROL_REPLY_BYTES + OUTPUT_FACTOR * self.message_bytes


@dataclass
class RunnerClient:
    process: RunningProcess
    role: str  # "submission" or "reference"
    # The reference's call replies. A version posted through the admin API brings its own
    # reference, so this too is a bound on the judge's memory: 4x the bank's largest inputs.
    max_message_bytes: int = 64 << 20
    info: dict[str, Any] = field(default_factory=dict)
    exit_requested: bool = False
    seq: int = 0

    @classmethod
    def start(cls, launcher: Launcher, spec: RunnerSpec, limits: Limits, role: str) -> RunnerClient:
        return cls(launcher.start(spec, limits), role)

    def wait_ready(self, timeout_s: float) -> dict[str, Any]:
        reply, _ = self._receive(time.monotonic() + timeout_s, CONTROL_REPLY_BYTES)
        if isinstance(reply, dict) and reply.get("ready") is False and isinstance(reply.get("unhealthy"), str):
            # Said before any candidate code ran (the device warm-up failed): ours to believe.
            raise RunnerFailure("unhealthy", _text(reply["unhealthy"]) or "")
        if not isinstance(reply, dict) or reply.get("ready") is not True or reply.get("seq") != 0:
            raise RunnerFailure("tampered", "the runner did not start properly")
        self.info = {k: v for k, v in reply.items() if isinstance(v, str | bool | int)}
        return self.info

    def load(self, code: str, entry: str, forbidden_ops: list[str], timeout_s: float, cpu: int | None = None,
             forbidden_apis: list[str] | None = None, required_apis: list[str] | None = None) -> None:
        request = {"op": "load", "code": code, "entry": entry, "forbidden_ops": forbidden_ops,
                   "forbidden_apis": forbidden_apis or [], "required_apis": required_apis or [], "cpu": cpu}
        self._exchange(request, timeout_s, CONTROL_REPLY_BYTES)

    def ask(self, request: dict[str, Any], timeout_s: float, cap: int) -> dict[str, Any]:
        """Any other request (the case runner's), its reply capped at `cap` bytes."""
        return self._exchange(request, timeout_s, cap)

    def sync(self, timeout_s: float) -> None:
        """One empty round trip: a reply left over from earlier (one the candidate's code wrote
        itself, then the runner's own) arrives with an older sequence number and is caught."""
        self._exchange({"op": "sync"}, timeout_s, CONTROL_REPLY_BYTES)

    def call(self, args: tuple[Any, ...], timeout_s: float, timed: bool = False,
             max_reply_bytes: int | None = None) -> CallReply:
        cap = max_reply_bytes if max_reply_bytes is not None else self.max_message_bytes
        started = time.perf_counter_ns()
        reply, size = self._exchange_sized({"op": "call", "args": list(args), "timed": timed}, timeout_s, cap)
        wall = time.perf_counter_ns() - started
        return CallReply(
            result=reply.get("result"),
            dtypes=_strings(reply.get("dtypes")),
            elapsed_ns=_count(reply.get("elapsed_ns")),
            wall_ns=wall,
            ops=_strings(reply["ops"]) if "ops" in reply else None,
            trace_error=_text(reply.get("trace_error")),
            apis=_strings(reply["apis"]) if "apis" in reply else None,
            required_apis=_strings(reply["required_apis"]) if "required_apis" in reply else None,
            message_bytes=size,
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

    def _exchange(self, request: dict[str, Any], timeout_s: float, cap: int) -> dict[str, Any]:
        return self._exchange_sized(request, timeout_s, cap)[0]

    def _exchange_sized(self, request: dict[str, Any], timeout_s: float, cap: int) -> tuple[dict[str, Any], int]:
        deadline = time.monotonic() + timeout_s
        self._refuse_early_reply()
        self.seq += 1
        self._send({**request, "seq": self.seq}, deadline)
        reply, size = self._receive(deadline, cap, is_call=request["op"] == "call")
        if not isinstance(reply, dict):
            raise RunnerFailure("tampered", "the runner's reply is not an object")
        if reply.get("seq") != self.seq or type(reply.get("seq")) is not int:
            raise RunnerFailure("tampered", "a reply with the wrong sequence number")
        if "error" in reply:
            error = reply["error"] if isinstance(reply["error"], dict) else {}
            raise RunnerFailure("error", _text(error.get("message")) or "", error)
        return reply, size

    def _refuse_early_reply(self) -> None:
        """Nothing may be waiting on the reply pipe before a request is sent."""
        fd = self.process.from_child.fileno()
        if not select.select([fd], [], [], 0)[0]:
            return
        if os.read(fd, 1):
            raise RunnerFailure("tampered", "a reply arrived before its request was sent")
        raise self._died()

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

    def _receive(self, deadline: float, cap: int, is_call: bool = False) -> tuple[Any, int]:
        """(tree, size) of one reply of at most `cap` bytes; the header is checked before parsing."""
        fd = self.process.from_child.fileno()
        total, header_len = struct.unpack("<QI", self._read(fd, 12, deadline))
        if header_len > wire.MAX_HEADER_BYTES or header_len > total - 4:
            raise RunnerFailure("tampered", f"a message with a {header_len}-byte header")
        if total > cap:
            if is_call:
                raise RunnerFailure("output_limit", f"the {self.role} sent {total} bytes (limit {cap})")
            raise RunnerFailure("tampered", f"a {total}-byte control reply (limit {cap})")
        body = bytearray(total)  # one buffer, sized only after both checks
        struct.pack_into("<I", body, 0, header_len)
        self._read_into(fd, memoryview(body)[4:], deadline)
        try:
            return wire.decode(body), total
        except wire.WireError as exc:
            raise RunnerFailure("tampered", f"unreadable message from the runner: {exc}") from None

    def _read(self, fd: int, count: int, deadline: float) -> bytes:
        buffer = bytearray(count)
        self._read_into(fd, memoryview(buffer), deadline)
        return bytes(buffer)

    def _read_into(self, fd: int, view: memoryview, deadline: float) -> None:
        while view:
            self._wait(fd, deadline, write=False)
            got = os.readv(fd, [view])
            if not got:
                raise self._died()
            view = view[got:]

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


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RunnerFailure("tampered", "the runner's reply is malformed")
    return value


def _count(value: Any) -> int:
    if type(value) is not int:
        raise RunnerFailure("tampered", "the runner's reply is malformed")
    return value


def _text(value: Any) -> str | None:
    return value[:4000] if isinstance(value, str) else None
