"""The runner's request loop: ready -> load -> call* -> exit.

Requests arrive on a private pipe (DOJO_CHANNEL_FDS), never stdin, and responses leave on
another, never stdout: the candidate's prints cannot forge a result. Every failure inside the
candidate's code becomes an `error` response so the judge can name it.
"""

from __future__ import annotations

import gc
import os
import sys
import traceback
import types
from typing import Any, NoReturn

from . import device_warmup, wire
from .adapters import Adapter, load_adapter
from .apiguard import ApiGuard
from .heap import settle_heap

SOLUTION_FILENAME = "solution.py"


def run() -> None:
    settle_heap()
    in_fd, out_fd = (int(fd) for fd in os.environ["DOJO_CHANNEL_FDS"].split(","))
    # Line-buffered, so the candidate's prints reach the judge even if the runner is killed.
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    requests = os.fdopen(in_fd, "rb", buffering=0)
    responses = os.fdopen(out_fd, "wb", buffering=0)
    if os.environ["DOJO_FRAMEWORK"] == "cases":  # a question's cases.py, not a framework runner
        from . import cases_main

        cases_main.run(requests, responses)
        _finish(responses)
    if os.environ["DOJO_FRAMEWORK"] == "jax-warmup":  # our own warm-up program: no code is loaded
        from . import jax_warmup

        jax_warmup.run(requests, responses)
        _finish(responses)
    adapter = load_adapter(os.environ["DOJO_FRAMEWORK"], os.environ.get("DOJO_DEVICE", "cpu"))
    ready = {"ready": True, "seq": 0, **adapter.describe()}
    try:
        ready.update(_warm_device(adapter))
    except device_warmup.WarmupFailed as exc:
        # Not a grade's failure: the pool drops this runner and starts another.
        wire.write_message(responses, {"ready": False, "seq": 0, "unhealthy": f"device warm-up failed: {exc}"})
        _finish(responses)
    wire.write_message(responses, ready)
    runner = Runner(adapter)
    while True:
        try:
            request = wire.read_message(requests)
        except EOFError:
            break
        if request.get("op") == "exit":
            break
        # Each reply echoes its request's number, which the judge checks.
        wire.write_message(responses, {**runner.handle(request), "seq": request.get("seq")})
    _finish(responses)


def _warm_device(adapter: Adapter) -> dict[str, Any]:
    """A pooled runner bound to a GPU runs our warm-up now, with the device bound and nothing of
    the candidate's loaded yet; its time is reported with "ready"."""
    if not device_warmup.should_warm(adapter.device_type(), device_warmup.requested()):
        return {}
    return {"warmup_ms": device_warmup.timed_warmup(adapter.warm_device)}


def _finish(responses: Any) -> NoReturn:
    responses.close()
    sys.stdout.flush()  # os._exit below skips the interpreter's own flush
    sys.stderr.flush()
    os._exit(0)  # skip interpreter teardown: framework atexit hooks only cost time here


class Runner:
    def __init__(self, adapter: Adapter) -> None:
        self.adapter = adapter
        self.entry: Any = None
        self.forbidden_ops: list[str] = []
        self.api_guard: ApiGuard | None = None
        self.required_guard: ApiGuard | None = None

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op == "load":
            return self.load(request)
        if op == "call":
            return self.call(request)
        if op == "sync":
            return {"ok": True}
        if op == "warm":
            return self.warm(request)
        return {"error": {"kind": "protocol", "message": f"unknown op {op!r}"}}

    def warm(self, request: dict[str, Any]) -> dict[str, Any]:
        """A pooled JAX runner runs our own warm-up programs for recent example shapes before it
        is handed out; never once a candidate's code is loaded."""
        if self.entry is not None or self.adapter.name != "jax":
            return {"error": {"kind": "protocol", "message": "warm is for a JAX runner before load"}}
        from .jax_warmup import WarmupError, warm_in_process

        try:
            return {"ok": True, "programs": warm_in_process(request.get("signatures"))}
        except WarmupError as exc:
            return {"error": {"kind": "request", "message": str(exc)}}
        except Exception as exc:  # our own program failing on a shape: the runner stays usable
            return _error("internal", exc)

    def load(self, request: dict[str, Any]) -> dict[str, Any]:
        self._release_previous_load()
        _pin_to_cpu(request.get("cpu"))
        self.forbidden_ops = list(request.get("forbidden_ops") or [])
        self.adapter.install_guards(self.forbidden_ops)
        apis = [str(p) for p in request.get("forbidden_apis") or []]
        if apis:
            self.api_guard = ApiGuard()
            self.api_guard.install(apis)
        required = [str(p) for p in request.get("required_apis") or []]
        if required:
            self.required_guard = ApiGuard()
            self.required_guard.install(required)
        module = types.ModuleType("solution")
        module.__file__ = SOLUTION_FILENAME
        sys.modules["solution"] = module
        try:
            code = compile(request["code"], SOLUTION_FILENAME, "exec")
        except SyntaxError as exc:
            return _error("compile", exc)
        try:
            exec(code, module.__dict__)
        except BaseException as exc:  # the candidate's top level may raise anything
            return _error("runtime", exc)
        entry = getattr(module, request["entry"], None)
        if not callable(entry):
            return {
                "error": {
                    "kind": "entry",
                    "type": "MissingEntryPoint",
                    "message": f"your code must define a function named {request['entry']!r}",
                }
            }
        self.entry = entry
        return {"ok": True}

    def _release_previous_load(self) -> None:
        """A question check keeps its reference runner and loads the reference again for each
        grade. Calls run with the collector paused, and a loaded module is a reference cycle
        (its functions hold its globals), so without a collection here each load's module
        stayed alive with what it held: a distributed reference's gloo groups and their
        threads, until the sandbox's pids limit refused new ones a few grades later. A fresh
        runner has nothing loaded and skips the collection."""
        if self.entry is None:
            return
        self.entry = None
        sys.modules.pop("solution", None)
        gc.collect()

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        if self.entry is None:
            return {"error": {"kind": "protocol", "message": "no code loaded"}}
        try:
            args = self.adapter.to_framework(request["args"])
        except Exception as exc:  # inputs come from the judge; failure here is ours
            return _error("internal", exc)
        record_ops = bool(self.forbidden_ops) and not request.get("timed", False)
        try:
            outcome = self.adapter.invoke(self.entry, args, record_ops=record_ops)
        except BaseException as exc:  # SystemExit and KeyboardInterrupt included
            return _error("runtime", exc)
        try:
            result, dtypes = self.adapter.to_wire(outcome.value)
        except TypeError as exc:
            return {"error": {"kind": "output", "type": "BadOutput", "message": str(exc)}}
        response: dict[str, Any] = {
            "ok": True,
            "result": result,
            "dtypes": dtypes,
            "elapsed_ns": outcome.elapsed_ns,
        }
        if outcome.ops is not None:
            response["ops"] = sorted(outcome.ops)
        if outcome.trace_error:
            response["trace_error"] = outcome.trace_error
        if self.api_guard is not None:
            # Calls since the code was loaded, its top level included.
            called = list(self.api_guard.called)
            response["apis"] = called + (["(the rule's guards were removed)"] if self.api_guard.tampered() else [])
        if self.required_guard is not None:  # since the code was loaded, in any thread
            response["required_apis"] = list(self.required_guard.called)
        return response


def _pin_to_cpu(cpu: Any) -> None:
    """Run every thread on the core the judge chose, the same for both runners of a grade:
    cores of a virtual machine differ in speed, and timings are compared across runners."""
    if not isinstance(cpu, int):
        return
    for tid in os.listdir("/proc/self/task"):
        try:
            os.sched_setaffinity(int(tid), {cpu})
        except OSError:
            pass  # the core is outside this process's cpuset: timing stays unpinned


def _error(kind: str, exc: BaseException) -> dict[str, Any]:
    return {
        "error": {
            "kind": kind,
            "type": type(exc).__name__,
            "message": _safe_str(exc),
            "traceback": _user_traceback(exc),
            "line": getattr(exc, "lineno", None) if isinstance(exc, SyntaxError) else None,
        }
    }


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)[:2000]
    except Exception:  # a candidate's exception may have a broken __str__
        return "<unprintable exception>"


def _user_traceback(exc: BaseException) -> str:
    """The traceback trimmed to the candidate's own frames (solution.py)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == SOLUTION_FILENAME]
    lines = traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)[-4000:]
