"""Turning a runner's failure into a verdict with a reason a candidate can act on."""

from __future__ import annotations

import signal as signals
from dataclasses import dataclass

from .client import RunnerFailure
from .sandbox.base import ExitInfo
from .verdict import Status

_MEMORY_ERRORS = {"MemoryError", "OutOfMemoryError"}
# Error kinds the harness sends; anything else was written by someone else.
_RUNNER_KINDS = {"compile", "entry", "output", "internal", "runtime"}


@dataclass
class FailureVerdict:
    status: Status
    message: str
    detail: str = ""  # a trimmed traceback, when there is one


def submission_failure(failure: RunnerFailure, where: str, time_limit_s: float, memory_limit_mb: int) -> FailureVerdict:
    """`where` names the phase, e.g. "test huge_logits" or "loading your code"."""
    if failure.kind == "timeout":
        return FailureVerdict(
            Status.TIME_LIMIT_EXCEEDED, f"{where}: your code ran longer than the {time_limit_s:g} s limit"
        )
    if failure.kind == "output_limit":
        return FailureVerdict(Status.OUTPUT_LIMIT_EXCEEDED, f"{where}: your function's output is too large")
    if failure.kind == "tampered":
        return FailureVerdict(Status.REJECTED, f"{where}: {failure.detail} (the grading channel was tampered with)")
    if failure.kind == "died":
        return _death_verdict(failure.exit_info, where, memory_limit_mb)
    return _error_verdict(failure, where, memory_limit_mb)


def _error_verdict(failure: RunnerFailure, where: str, memory_limit_mb: int) -> FailureVerdict:
    error = failure.error  # from the runner: every field may be anything, of any size
    kind, name = error.get("kind"), _short(error.get("type", "Error"), 200)
    message = _short(error.get("message", ""), 2000)
    traceback = _short(error.get("traceback") or "", 4000)
    if kind == "compile":
        line = error.get("line")
        at = f" on line {line}" if type(line) is int else ""
        return FailureVerdict(Status.COMPILE_ERROR, f"{name}{at}: {message}", traceback)
    if kind == "entry":
        return FailureVerdict(Status.COMPILE_ERROR, message)
    if kind == "output":
        return FailureVerdict(Status.WRONG_ANSWER, f"{where}: your function {message}")
    if kind == "internal":
        # Reported by the submission's own runner, which runs the candidate's code in-process
        # (harness patched, inputs tampered with): a verdict, never our failure to retry.
        return FailureVerdict(Status.RUNTIME_ERROR, f"{where}: the runner failed to prepare the inputs "
                              f"after your code was loaded ({name}: {message})", traceback)
    if kind not in _RUNNER_KINDS:
        return FailureVerdict(Status.REJECTED, f"{where}: the runner sent an unknown error "
                              "(the grading channel was tampered with)")
    if name in _MEMORY_ERRORS:
        return FailureVerdict(
            Status.MEMORY_LIMIT_EXCEEDED, f"{where}: out of memory (limit {memory_limit_mb} MB)", traceback
        )
    if name == "SystemExit":
        return FailureVerdict(Status.RUNTIME_ERROR, f"{where}: your code called sys.exit({message})", traceback)
    return FailureVerdict(Status.RUNTIME_ERROR, f"{where}: {name}: {message}", traceback)


def _death_verdict(info: ExitInfo | None, where: str, memory_limit_mb: int) -> FailureVerdict:
    if info is None:
        return FailureVerdict(Status.RUNTIME_ERROR, f"{where}: your process ended unexpectedly")
    if info.oom_killed:
        return FailureVerdict(
            Status.MEMORY_LIMIT_EXCEEDED,
            f"{where}: your code used more than the {memory_limit_mb} MB memory limit and was killed",
        )
    if info.output_limit_hit:
        return FailureVerdict(
            Status.OUTPUT_LIMIT_EXCEEDED, f"{where}: your code printed too much output and was stopped"
        )
    if info.pids_limit_hit:
        return FailureVerdict(Status.RUNTIME_ERROR, f"{where}: your code started too many processes")
    if info.signal is not None:
        if info.signal == signals.SIGXCPU:
            return FailureVerdict(Status.TIME_LIMIT_EXCEEDED, f"{where}: CPU time limit exceeded")
        try:
            name = signals.Signals(info.signal).name
        except ValueError:
            name = f"signal {info.signal}"
        return FailureVerdict(Status.RUNTIME_ERROR, f"{where}: your process was killed by {name}")
    return FailureVerdict(
        Status.RUNTIME_ERROR,
        f"{where}: your process exited with code {info.returncode} (sys.exit or os._exit?)",
    )


def _short(value: object, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""
