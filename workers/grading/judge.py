"""The trusted judge: one grade of one submission, from code to verdict.

It never imports the candidate's code. It makes every input itself (visible examples from
fixed seeds, hidden tests from secret ones), takes expected outputs from a separate
reference runner, checks each output the candidate's runner sends back, and times both
runners side by side in `speed`.
"""

from __future__ import annotations

import itertools
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from .cache import ExpectedCache
from .casebox import QuestionCases
from .casekit import Case, CheckFn
from .client import CONTROL_REPLY_BYTES, CallReply, RunnerClient, RunnerFailure
from .compare import Comparison, compare_trees, preview
from .failures import FailureVerdict, submission_failure
from .harness.heap import settle_heap
from .pool import FreshRunners, PoolKey, case_runner_key
from .runners import Hardware
from .sandbox.base import Launcher
from .spec import Question, QuestionFormatError, TestCase, Tolerance
from .stock import InputStock
from .verdict import GradeResult, Status, TestResult
from .warmcache import WarmCache, signatures_of

Mode = Literal["run", "submit"]
EventSink = Callable[[dict[str, Any]], None]
MAX_CODE_BYTES = 64 * 1024


@dataclass
class GradeConfig:
    launcher: Launcher | None = None
    hardware: Hardware = field(default_factory=Hardware)
    startup_timeout_s: float = 90.0
    # Multiplier for the question's per-call time limit when timing the reference, which
    # must never be the one to time out.
    reference_time_factor: float = 3.0
    # Scales each question's timing budget; `dojo questions check` uses less, since it
    # needs verdicts, not precise speed figures.
    speed_budget_scale: float = 1.0
    # Where runners come from: a warm pool on workers; fresh starts when None.
    runners: FreshRunners | None = None
    # Expected outputs of visible examples (fixed inputs), so `run` needs no reference runner.
    expected_cache: ExpectedCache | None = None
    # Pin both runners of a grade to one core (chosen round-robin across grades).
    pin_cpu: bool = True
    # The shared JAX compile cache (workers): told the visible examples' shapes after a grade.
    warm_cache: WarmCache | None = None
    # Speed-benchmark inputs made between grades (workers); None: each grade makes its own.
    input_stock: InputStock | None = None
    # End the tests at the first failure. The verdict is the same (it names the first failing
    # test); only the list of later tests is missing, which candidates want and checks do not.
    stop_at_first_failure: bool = False


_cpu_counter = itertools.count()


def _next_cpu() -> int | None:
    allowed = sorted(os.sched_getaffinity(0))
    return allowed[next(_cpu_counter) % len(allowed)] if allowed else None


class _Stop(Exception):
    """Ends a grade early with a verdict."""

    def __init__(self, verdict: FailureVerdict) -> None:
        super().__init__(verdict.message)
        self.verdict = verdict


def grade(
    question: Question,
    framework: str,
    code: str,
    mode: Mode = "run",
    *,
    launcher: Launcher | None = None,
    on_event: EventSink | None = None,
    config: GradeConfig | None = None,
) -> GradeResult:
    config = config or GradeConfig()
    settle_heap()  # the judge's clock brackets every timed call
    if launcher is not None:
        config.launcher = launcher
    emit = on_event or (lambda event: None)
    problem = _request_problem(question, framework, code, mode)
    if problem is not None:
        return problem
    return _Grading(question, framework, code, mode, config, emit).run()


def _request_problem(question: Question, framework: str, code: str, mode: str) -> GradeResult | None:
    if question.spec.kind != "coding":
        return GradeResult(Status.INTERNAL_ERROR, f"'{question.slug}' is a concept question")
    if framework not in question.spec.frameworks:
        return GradeResult(
            Status.INTERNAL_ERROR,
            f"'{question.slug}' is not available in {framework}; choose {' or '.join(question.spec.frameworks)}",
        )
    if mode not in ("run", "submit"):
        return GradeResult(Status.INTERNAL_ERROR, f"unknown mode {mode!r}")
    if len(code.encode()) > MAX_CODE_BYTES:
        return GradeResult(Status.REJECTED, "your code is larger than 64 KiB")
    return None


class _Grading:
    def __init__(
        self, question: Question, framework: str, code: str, mode: Mode, config: GradeConfig, emit: EventSink
    ) -> None:
        self.question, self.spec = question, question.spec
        self.framework, self.code, self.mode = framework, code, mode
        self.config, self.emit = config, emit
        self.limits = config.hardware.limits(self.spec.limits.memory_limit_mb, self.spec.limits.output_limit_kb)
        self.tests: list[TestResult] = []
        self.notes: list[str] = []
        self.sub: RunnerClient | None = None
        self.ref: RunnerClient | None = None
        self.cases = QuestionCases(question, self._start_case_runner, config.expected_cache, config.startup_timeout_s)
        self.slug_version = f"{question.slug}@{question.spec.version}"
        self.cpu = _next_cpu() if config.pin_cpu else None
        # The largest reply the submission may send, from the expected output's size; set
        # from the reference's (or the cache's) answer before each submission call.
        self.sub_reply_cap = CONTROL_REPLY_BYTES
        # Required APIs the submission's runner saw called since its load (its last reply).
        self.required_seen: list[str] | None = None

    def run(self) -> GradeResult:
        result: GradeResult
        try:
            self._start_runners()
            self._load_code()
            self._run_tests(self.cases)
            self._enforce_required_calls()
            timing = self._measure_speed(self.cases)
            self._confirm_channel()
            result = self._accepted(timing)
        except _Stop as stop:
            result = GradeResult(stop.verdict.status, stop.verdict.message, stderr=stop.verdict.detail)
        except QuestionFormatError as exc:
            result = GradeResult(Status.INTERNAL_ERROR, f"the question is broken: {exc}")
        finally:
            output = self._close_runners()
        result.tests, result.notes = self.tests, self.notes
        result.stdout = output.stdout.decode(errors="replace") if output else ""
        if output and output.stderr:
            result.stderr = (result.stderr + "\n" if result.stderr else "") + output.stderr.decode(errors="replace")
        self.emit({"type": "verdict", "status": result.status.value, "message": result.message})
        return result

    # -- phases ------------------------------------------------------------------------

    def _runner_source(self) -> FreshRunners:
        if self.config.runners is None:
            launcher = self.config.launcher
            if launcher is None:
                from .sandbox import default_launcher

                launcher = default_launcher()
            self.config.runners = FreshRunners(launcher, self.config.hardware)
        return self.config.runners

    def _start_runners(self) -> None:
        source = self._runner_source()
        self.key = PoolKey(self.framework, self.limits, self.spec.rules.allow_tf32, self.spec.runtime.host_devices)
        self.emit({"type": "started", "mode": self.mode, "framework": self.framework})
        self.sub = source.get(self.key, "submission")
        if not self._examples_cached():
            self.ref = source.get(self.key, "reference")  # started now: its import overlaps
        if self.mode == "submit":
            self._prepare_hidden_work()
        for client in (self.sub, self.ref):
            self._ensure_ready(client)

    def _prepare_hidden_work(self) -> None:
        """What a submit grade will surely need, set going before the examples run: the case
        runner for the hidden tests' inputs, and benchmark inputs made in the background while
        the tests run (the stock stops making them once timing starts)."""
        if self.spec.tests:
            self.cases.start_early()
        if self.spec.benchmark is not None and self.config.input_stock is not None:
            self.config.input_stock.want(self.question)

    def _start_case_runner(self) -> RunnerClient:
        return self._runner_source().get(case_runner_key(self.question), "cases")

    def _examples_cached(self) -> bool:
        cache = self.config.expected_cache
        return (self.mode == "run" and cache is not None
                and all(cache.get(self._cache_key(t)) is not None for t in self.spec.examples))

    def _ensure_ready(self, client: RunnerClient | None) -> None:
        if client is None or client.info:
            return
        try:
            client.wait_ready(self.config.startup_timeout_s)
        except RunnerFailure as failure:
            raise self._stop_for(client, failure, "starting the runner") from failure

    def _load_code(self) -> None:
        forbidden = self.spec.rules.forbidden_ops.get(self.framework, [])  # type: ignore[call-overload]
        apis = self.spec.rules.forbidden_apis.get(self.framework, [])  # type: ignore[call-overload]
        self._load(self.sub, self.code, forbidden, apis, self._required_apis())
        if self.ref is not None:
            self._load(self.ref, self.question.reference(self.framework), [])
        self.emit({"type": "loaded"})

    def _load(self, client: RunnerClient | None, code: str, rules: list[str], apis: list[str] | None = None,
              required: list[str] | None = None) -> None:
        assert client is not None
        entry = self.spec.entry[self.framework].name  # type: ignore[index]
        limit = self.spec.limits.time_limit_s * self.config.reference_time_factor
        try:
            client.load(code, entry, rules, limit, cpu=self.cpu, forbidden_apis=apis, required_apis=required)
        except RunnerFailure as failure:
            raise self._stop_for(client, failure, "loading your code") from failure

    def _confirm_channel(self) -> None:
        """A last round trip: a reply the candidate's code wrote on the runner's behalf leaves the
        runner's own reply behind, which now arrives out of sequence."""
        assert self.sub is not None
        try:
            self.sub.sync(self.spec.limits.time_limit_s)
        except RunnerFailure as failure:
            raise self._stop_for(self.sub, failure, "finishing the grade") from failure

    def _reference(self) -> RunnerClient:
        """The reference runner, started late when the cache answered for the examples."""
        if self.ref is None:
            self.ref = self._runner_source().get(self.key, "reference")
            self._ensure_ready(self.ref)
            self._load(self.ref, self.question.reference(self.framework), [])
        return self.ref

    def _cache_key(self, test: TestCase) -> tuple[Any, ...]:
        return (self.slug_version, self.framework, test.name, test.seed, self.config.hardware.label)

    def _expected(self, test: TestCase, case: Case, visible: bool) -> CallReply:
        cache = self.config.expected_cache
        if not visible or cache is None:
            return self._call(self._reference(), case, f"test {test.name}")
        key = self._cache_key(test)
        reply = cache.get(key)
        if reply is None:
            reply = self._call(self._reference(), case, f"test {test.name}")
            cache.put(key, reply)
        self.sub_reply_cap = reply.reply_cap()
        return reply

    def _run_tests(self, cases: QuestionCases) -> None:
        plan = [(t, True) for t in self.spec.examples]
        if self.mode == "submit":
            plan += [(t, False) for t in self.spec.tests]
        self.emit({"type": "plan", "tests": [{"name": t.name, "visible": v} for t, v in plan]})
        shown: list[Any] = []
        for index, (test, visible) in enumerate(plan):
            if visible:  # fixed inputs: cached where the question allows
                seed = test.seed if test.seed is not None else index
                case = cases.fixed_inputs((*self._cache_key(test), "inputs"), test.family, test.size, seed)
                shown.append(case.args)
            else:
                case = cases.make_inputs(test.family, test.size, np.random.default_rng(secrets.randbits(63)))
            result = self._run_one(cases, test, case, visible)
            self.tests.append(result)
            self.emit({"type": "test", "name": result.name, "passed": result.passed, "visible": visible,
                       "message": result.message if visible else ""})
            if not result.passed and self.config.stop_at_first_failure:
                break
        if self.config.warm_cache is not None and self.framework == "jax":  # public shapes only
            self.config.warm_cache.want(self.key, signatures_of(shown))
        failed = [t for t in self.tests if not t.passed]
        if failed:
            first = failed[0]
            reason = first.message if first.visible else (first.explanation or first.message)
            raise _Stop(FailureVerdict(Status.WRONG_ANSWER,
                                       f"Wrong answer on {'example' if first.visible else 'hidden test'} "
                                       f"'{first.name}': {reason}"))

    def _run_one(self, cases: QuestionCases, test: TestCase, case: Case, visible: bool) -> TestResult:
        expected = self._expected(test, case, visible)
        started = time.perf_counter()
        actual = self._call(self.sub, case, f"test {test.name}")
        duration_ms = (time.perf_counter() - started) * 1000
        self.required_seen = actual.required_apis
        self._enforce_rules(actual)
        message, comparison = self._check(cases, case, actual, expected)
        result = TestResult(name=test.name, passed=message is None, visible=visible, family=test.family,
                            message=message or "", duration_ms=round(duration_ms, 3))
        if comparison is not None:
            result.max_abs_error, result.max_rel_error = comparison.max_abs_error, comparison.max_rel_error
        if not result.passed and not visible:
            # Hidden inputs never leave the judge: say what kind of case failed, not its data.
            result.explanation = test.explanation or None
            result.message = "failed"
        if visible:
            result.input_preview = preview(case.args)
            result.expected_preview = preview(expected.result)
            result.actual_preview = _safe_preview(actual.result)
        return result

    def _check(
        self, cases: QuestionCases, case: Case, actual: CallReply, expected: CallReply
    ) -> tuple[str | None, Comparison | None]:
        """(None, ...) when right, else (reason, ...); the comparison carries error sizes."""
        return check_output(cases.check, self.spec.tolerance, case, actual, expected)

    def _enforce_rules(self, reply: CallReply) -> None:
        self._enforce_api_rules(reply)
        forbidden = set(self.spec.rules.forbidden_ops.get(self.framework, []))  # type: ignore[call-overload]
        if not forbidden:
            return
        if reply.trace_error:
            raise _Stop(FailureVerdict(
                Status.REJECTED,
                "this question forbids some built-in ops, and your function could not be traced to check "
                f"them ({reply.trace_error}); use {self.framework} operations only"))
        used = forbidden & set(reply.ops or [])
        if reply.ops is None:
            raise _Stop(FailureVerdict(Status.REJECTED, "the runner did not report the ops your code used"))
        if used:
            raise _Stop(FailureVerdict(
                Status.REJECTED, f"your code uses {', '.join(sorted(used))}, which this question forbids: "
                "the point is to write it yourself"))

    def _enforce_api_rules(self, reply: CallReply) -> None:
        forbidden = self.spec.rules.forbidden_apis.get(self.framework, [])  # type: ignore[call-overload]
        if not forbidden:
            return
        if reply.apis is None:
            raise _Stop(FailureVerdict(Status.REJECTED, "the runner did not report the library calls your code made"))
        if reply.apis:
            names = ", ".join(reply.apis[:3]) + (", ..." if len(reply.apis) > 3 else "")
            raise _Stop(FailureVerdict(
                Status.REJECTED, f"your code calls {names}: this question forbids {', '.join(forbidden)}; "
                "the point is to write it yourself"))

    def _required_apis(self) -> list[str]:
        return list(self.spec.rules.required_apis.get(self.framework, []))  # type: ignore[call-overload]

    def _enforce_required_calls(self) -> None:
        """A right answer that never made a required call (a collective, in a distributed question)
        skipped the exercise. Only names the question lists count, whatever the reply holds."""
        required = self._required_apis()
        if not required:
            return
        if self.required_seen is None:
            raise _Stop(FailureVerdict(Status.REJECTED, "the runner did not report the library calls your code made"))
        if not set(self.required_seen) & set(required):
            label = self.spec.rules.required_apis_label or ", ".join(required[:4])
            raise _Stop(FailureVerdict(
                Status.REJECTED, f"your code never calls {label}, which this question requires: an answer "
                "computed without it skips the point of the exercise"))

    def _measure_speed(self, cases: QuestionCases) -> Any:
        if self.mode != "submit" or self.spec.benchmark is None:
            return None
        from .speed import measure_speed

        self._reference()
        self.emit({"type": "timing", "phase": "started"})
        with self._runner_source().quiet():
            timing = measure_speed(self, cases)
        self.emit({"type": "timing", "phase": "done", "speedup": timing.speedup})
        return timing

    def _accepted(self, timing: Any) -> GradeResult:
        count = len(self.tests)
        message = f"All {count} {'example' if self.mode == 'run' else 'test'}{'s' if count != 1 else ''} passed"
        result = GradeResult(Status.ACCEPTED, message)
        if timing is not None:
            result.timing = timing
            result.message += (f"; {timing.speedup:.2f}x the reference's speed ({timing.speed_verdict})"
                               if timing.speedup else "")
        return result

    # -- runner helpers ----------------------------------------------------------------

    def _call(self, client: RunnerClient | None, case: Case, where: str, timed: bool = False) -> CallReply:
        assert client is not None
        limit = self.spec.limits.time_limit_s
        reference = client.role == "reference"
        if reference:
            limit *= self.config.reference_time_factor
        try:
            cap = None if reference else self.sub_reply_cap
            reply = client.call(case.args, limit, timed=timed, max_reply_bytes=cap)
        except RunnerFailure as failure:
            raise self._stop_for(client, failure, where) from failure
        if reference:
            self.sub_reply_cap = reply.reply_cap()
        return reply

    def _stop_for(self, client: RunnerClient, failure: RunnerFailure, where: str) -> _Stop:
        if client.role == "reference":
            # Our failure, never the candidate's: retried by the worker.
            return _Stop(FailureVerdict(Status.INTERNAL_ERROR, f"the reference runner failed while {where}: "
                                        f"{failure.kind}: {failure.detail}"))
        if failure.kind in ("died", "timeout") and failure.exit_info is None:
            failure.exit_info = client.process.finish()
        if failure.kind == "timeout" and failure.exit_info and failure.exit_info.oom_killed:
            failure.kind = "died"  # it was slow because it was thrashing at its memory limit
        verdict = submission_failure(failure, where, self.spec.limits.time_limit_s, self.spec.limits.memory_limit_mb)
        return _Stop(verdict)

    def _close_runners(self) -> Any:
        output = None
        for client in (self.ref, self.sub, self.cases.client):
            if client is not None:
                client.request_exit()
        if self.cases.client is not None:
            self.cases.client.close()
        if self.ref is not None:
            self.ref.close()
        if self.sub is not None:
            output = self.sub.close()
            if output.leftover_processes:
                self.notes.append(f"{output.leftover_processes} leftover process(es) were killed")
        return output


def check_output(
    check: CheckFn | None, tolerance: Tolerance, case: Case, actual: CallReply, expected: CallReply
) -> tuple[str | None, Comparison | None]:
    """The judge's verdict on one output: (None, ...) when right, else (reason, ...); the
    comparison carries error sizes. `check` is the question's cases.check, if it has one.
    Shared with scripts/scan_seeds.py, which must judge exactly as a grade does."""
    if actual.dtypes != expected.dtypes and len(actual.dtypes) == len(expected.dtypes):
        return f"returned dtype(s) {actual.dtypes[:8]}, expected {expected.dtypes[:8]}", None
    try:
        if check is not None:
            return check(case, actual.result, expected.result, tolerance), None
        comparison = compare_trees(actual.result, expected.result, tolerance)
    except Exception as exc:  # an output shaped so oddly that checking it fails is wrong
        return f"your output could not be checked ({type(exc).__name__}: {str(exc)[:200]})", None
    return (None if comparison.passed else comparison.message), comparison


def _safe_preview(tree: Any) -> str:
    try:
        return preview(tree)
    except Exception:  # a runner's odd tree (deep, huge, unusual values) is not worth a crash
        return "<output that cannot be shown>"
