"""Find the hidden-test seeds on which a question's own files get the wrong verdict.

    .venv/bin/python scripts/scan_seeds.py [SLUG ...] [--seeds 200] [--max-seconds 300]
        [--framework torch|jax|both] [--json PATH] [--questions-dir DIR]

Every grade draws its hidden tests' inputs from secret random seeds, and `dojo questions check`
(CI) grades each reference and solutions/ file once. A reference that fails 2% of the draws, or
a must-fail solution that passes some of them, makes that check flaky. This tool grades the
question's files on many draws, in this process (an admin tool: the bank's files are trusted):

  * inputs are made as a grade makes them: cases.make_inputs(family, size, rng), a fixed seed
    for each visible example, a fresh generator for each hidden test of each draw;
  * the expected output is the framework's reference called on those inputs, and every output
    (reference's and file's) crosses the runner's wire format through the runner's adapter;
  * each draw also checks the speed benchmark's first calls (--bench-calls), as a submit does;
  * the verdict on each output is the judge's own `check_output`: cases.check() when the
    question has one (a gold or held-out comparison), else compare_trees under the tolerance.

It reports, per file:
  * expect "accepted" (the references too, graded against a second copy of themselves): how
    often each test fails;
  * expect "wrong_answer": the share of draws in which the file passes every test, examples
    included (an example failure is deterministic, so such a file is never wrongly accepted).
Other expected verdicts (rejected, runtime, time or memory limits) depend on rules or limits,
not on the draw, and are listed as skipped. Each draw loads the file afresh, as a grade's new
submission runner does; JAX programs are kept in a compile cache for the run, so reloading
costs no recompiles.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workers.grading.bank import DEFAULT_BANK_DIR, load_bank  # noqa: E402
from workers.grading.casekit import Case, CasesModule, load_cases  # noqa: E402
from workers.grading.client import CallReply  # noqa: E402
from workers.grading.harness import wire  # noqa: E402
from workers.grading.harness.adapters import Adapter, load_adapter  # noqa: E402
from workers.grading.judge import check_output  # noqa: E402
from workers.grading.spec import Question, TestCase  # noqa: E402
from workers.grading.speed import WARMUP_CALLS  # noqa: E402

SCANNED = ("accepted", "wrong_answer")


def configure_runtime(host_devices: int, jax_cache_dir: str) -> None:
    """What a CPU runner's environment sets (runners.runner_env): one thread, and as many XLA
    host devices as the most demanding question. Must run before torch or jax is imported."""
    os.environ.setdefault("DOJO_THREADS", "1")
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    flags = ["--xla_cpu_multi_thread_eigen=false"]
    if host_devices > 1:
        flags.append(f"--xla_force_host_platform_device_count={host_devices}")
    os.environ["XLA_FLAGS"] = " ".join([os.environ.get("XLA_FLAGS", ""), *flags]).strip()
    # Each draw reloads the files; the same programs then come from this cache, not the compiler.
    os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", jax_cache_dir)
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "0")


# -- calling a file as a runner would ----------------------------------------------------------


def through_wire(tree: Any) -> Any:
    """A fresh copy of `tree` as the other end of the channel decodes it (tuples, 0-d arrays)."""
    return wire.decode(wire.encode(tree)[8:])


@dataclass
class LoadedFile:
    name: str
    expect: str
    entry: Any
    adapter: Adapter

    def call(self, args: tuple[Any, ...]) -> CallReply:
        """The reply a runner would send; an exception propagates (a runtime error)."""
        with contextlib.redirect_stdout(io.StringIO()):  # what a file prints is not the report's
            outcome = self.adapter.invoke(self.entry, self.adapter.to_framework(list(through_wire(args))), False)
        result, dtypes = self.adapter.to_wire(outcome.value)
        return CallReply(result=through_wire(result), dtypes=dtypes, elapsed_ns=outcome.elapsed_ns, wall_ns=0)


def load_file(question: Question, framework: str, name: str, expect: str, adapter: Adapter) -> LoadedFile:
    module = types.ModuleType("solution")
    module.__file__ = name
    exec(compile(question.files[name], name, "exec"), module.__dict__)
    return LoadedFile(name, expect, getattr(module, question.spec.entry[framework].name), adapter)


# -- one grade --------------------------------------------------------------------------------


@dataclass
class Planned:
    """One test of a grade: where its inputs come from, and whether the candidate sees it."""

    test: TestCase
    rng: Any  # () -> np.random.Generator, called when the grade reaches this test
    visible: bool


def grade_plan(question: Question, seed_base: int, seed: int, bench_calls: int) -> list[Planned]:
    """A submit's tests in the judge's order (judge._run_tests, then speed.measure_speed): the
    examples from fixed seeds, each hidden test from its own generator, and the benchmark's
    first calls from one generator shared by the benchmark."""
    plan = [Planned(t, lambda i=i, t=t: np.random.default_rng(t.seed if t.seed is not None else i), True)
            for i, t in enumerate(question.spec.examples)]
    plan += [Planned(t, lambda i=i: np.random.default_rng([seed_base, seed, i]), False)
             for i, t in enumerate(question.spec.tests)]
    bench = question.spec.benchmark
    if bench is not None and bench_calls > 0:
        shared = np.random.default_rng([seed_base, seed])
        test = TestCase(name="benchmark", family=bench.family, size=bench.size)
        plan += [Planned(test, lambda: shared, False) for _ in range(bench_calls)]
    return plan


@dataclass
class Answers:
    """The reference's outputs by position in the plan: every grade of a draw makes the same
    inputs (same seeds, a fresh cases.py), so one reference call serves every file."""

    reference: LoadedFile
    by_position: dict[int, CallReply] = field(default_factory=dict)

    def expected(self, position: int, case: Case) -> CallReply:
        if position not in self.by_position:
            self.by_position[position] = self.reference.call(case.args)
        return self.by_position[position]


def grade_once(question: Question, file: LoadedFile, plan: list[Planned], answers: Answers,
               fixed: Answers) -> list[tuple[Planned, str]]:
    """The failing tests of one grade of `file`, as (test, reason); a must-fail file's grade
    ends at its first failure, as a check's does. cases.py is loaded afresh, as each grade's
    case runner loads it: a question may keep per-grade state there (a mask to compare the
    next test's against)."""
    cases = load_cases(question)
    failed: list[tuple[Planned, str]] = []
    for position, planned in enumerate(plan):
        shared = fixed if planned.visible else answers
        case = cases.make_inputs(planned.test.family, planned.test.size, planned.rng())
        message = verdict(cases, question, file, case, shared.expected(position, case))
        if message is not None:
            failed.append((planned, message))
            if file.expect != "accepted":
                break
    return failed


def verdict(cases: CasesModule, question: Question, file: LoadedFile, case: Case,
            expected: CallReply) -> str | None:
    """None when the judge would pass the file's output on this test, else the reason."""
    try:
        actual = file.call(case.args)
    except Exception as exc:  # the file's own failure: a runtime error in a grade
        return f"raised {type(exc).__name__}: {str(exc)[:120]}"
    message, _ = check_output(cases.check, question.spec.tolerance, case, actual, expected)
    return message


# -- results ---------------------------------------------------------------------------------


@dataclass
class FileResult:
    file: str
    framework: str
    expect: str
    draws: int = 0
    example_failure: str = ""  # a visible example that fails on the first draw, with its reason
    failures: dict[str, int] = field(default_factory=dict)  # test -> draws it failed (accepted files)
    worst: dict[str, str] = field(default_factory=dict)  # a reason per failing test
    draws_failed: int = 0  # draws in which some test failed

    def rate(self) -> float:
        """The share of grades that would get the wrong verdict."""
        if self.expect == "accepted":
            if self.example_failure:
                return 1.0
            return self.draws_failed / self.draws if self.draws else 0.0
        if self.example_failure:
            return 0.0
        return (self.draws - self.draws_failed) / self.draws if self.draws else 0.0

    def lines(self) -> list[str]:
        head = f"  {self.file} [{self.framework}] expect {self.expect}, {self.draws} draws: "
        if self.expect == "accepted":
            if self.example_failure:
                return [head + f"FAILS visible example {self.example_failure}"]
            if not self.failures:
                return [head + "every test passed on every draw"]
            out = [head + f"wrongly rejected in {self.rate():.1%} of grades"]
            out += [f"    {name}: failed {n}/{self.draws} ({n / self.draws:.1%}), e.g. {self.worst[name]}"
                    for name, n in self.failures.items()]
            return out
        if self.example_failure:
            return [head + f"fails visible example {self.example_failure} (deterministic)"]
        if self.draws_failed < self.draws:
            passed = self.draws - self.draws_failed
            return [head + f"PASSES every test in {passed}/{self.draws} draws ({self.rate():.1%})"]
        return [head + "failed a hidden test or benchmark call on every draw"]


# -- scanning one question and framework -----------------------------------------------------


def scanned_files(question: Question, framework: str) -> tuple[list[tuple[str, str]], list[str]]:
    """([(file, expect)], skipped notes) for one framework: its reference first."""
    chosen = [(f"{framework}/reference.py", "accepted")]
    skipped = []
    for solution in question.spec.solutions:
        if solution.framework != framework:
            continue
        if solution.expect.value in SCANNED:
            chosen.append((solution.file, solution.expect.value))
        else:
            skipped.append(f"{solution.file} [{framework}] expects {solution.expect.value}: a verdict about "
                           "rules, errors or limits, not about the draw; not scanned")
    return chosen, skipped


def scan_framework(question: Question, framework: str, seeds: int, max_seconds: float,
                   seed_base: int, bench_calls: int) -> tuple[list[FileResult], list[str]]:
    adapter = load_adapter(framework, "cpu")
    names, skipped = scanned_files(question, framework)
    # Like a question check's kept reference runner, one reference serves every grade.
    reference = load_file(question, framework, f"{framework}/reference.py", "accepted", adapter)
    fixed = Answers(reference)  # the examples' expected outputs, the same in every draw
    results = [FileResult(name, framework, expect) for name, expect in names]
    started = time.monotonic()
    for seed in range(seeds):
        live = [r for r in results if not r.example_failure]
        if not live or (seed > 1 and time.monotonic() - started > max_seconds):
            break
        if seed == 1:  # the first draw compiled every program: the time budget starts now
            started = time.monotonic()
        answers = Answers(reference)
        for result in live:
            # A grade's submission runner is fresh: a file that keeps state starts empty.
            file = load_file(question, framework, result.file, result.expect, adapter)
            plan = grade_plan(question, seed_base, seed, bench_calls)
            record(result, grade_once(question, file, plan, answers, fixed))
    return results, skipped


def record(result: FileResult, failed: list[tuple[Planned, str]]) -> None:
    if failed and result.draws == 0 and failed[0][0].visible:
        # The examples' inputs are fixed, so this is the file's verdict on every draw.
        result.example_failure = f"'{failed[0][0].test.name}': {failed[0][1][:160]}"
        return
    result.draws += 1
    result.draws_failed += bool(failed)
    for planned, message in failed:
        name = planned.test.name
        result.failures[name] = result.failures.get(name, 0) + 1
        result.worst.setdefault(name, message[:200])


def scan_question(question: Question, frameworks: list[str], seeds: int, max_seconds: float,
                  seed_base: int, bench_calls: int = 2) -> tuple[list[FileResult], list[str]]:
    results: list[FileResult] = []
    notes: list[str] = []
    for framework in frameworks:
        if framework not in question.spec.frameworks:
            continue
        found, skipped = scan_framework(question, framework, seeds, max_seconds, seed_base, bench_calls)
        results += found
        notes += skipped
    return results, notes


# -- command line ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("slugs", nargs="*", help="questions to scan (default: every coding question)")
    parser.add_argument("--seeds", type=int, default=200, help="hidden-test draws per question and framework")
    parser.add_argument("--max-seconds", type=float, default=600.0,
                        help="stop drawing for a question's framework after this long, not counting the "
                             "first draw, which compiles (the report says how many draws were made)")
    parser.add_argument("--bench-calls", type=int, default=2,
                        help="speed-benchmark calls checked per draw (a grade makes at least "
                             f"{WARMUP_CALLS} warm-up calls plus the question's min_samples)")
    parser.add_argument("--framework", choices=["torch", "jax", "both"], default="both")
    parser.add_argument("--seed-base", type=int, default=20261206, help="makes a scan reproducible")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--questions-dir", type=Path, default=DEFAULT_BANK_DIR)
    args = parser.parse_args(argv)

    bank = load_bank(args.questions_dir)
    coding = {slug: q for slug, q in bank.items() if q.spec.kind == "coding"}
    unknown = [s for s in args.slugs if s not in coding]
    if unknown:
        parser.error(f"not coding questions of the bank: {', '.join(unknown)}")
    chosen = [coding[s] for s in (args.slugs or sorted(coding))]
    frameworks = ["torch", "jax"] if args.framework == "both" else [args.framework]
    with tempfile.TemporaryDirectory(prefix="scan-seeds-jax-") as jax_cache_dir:
        configure_runtime(max(q.spec.runtime.host_devices for q in chosen), jax_cache_dir)
        flagged = scan_all(chosen, frameworks, args)
    print(f"{flagged} of {len(chosen)} question(s) had a file with a draw-dependent wrong verdict")
    return 1 if flagged else 0


def scan_all(chosen: list[Question], frameworks: list[str], args: argparse.Namespace) -> int:
    """Scan and print each question; returns how many had a draw-dependent wrong verdict."""
    report: dict[str, Any] = {}
    flagged = 0
    for question in chosen:
        started = time.monotonic()
        results, notes = scan_question(question, frameworks, args.seeds, args.max_seconds, args.seed_base,
                                       args.bench_calls)
        wrong = [r for r in results if r.rate() > 0]
        flagged += bool(wrong)
        print(f"{question.slug}: {'WRONG VERDICTS' if wrong else 'ok'} ({time.monotonic() - started:.0f} s)")
        for result in results:
            for line in result.lines():
                print(line)
        for note in notes:
            print(f"  skipped: {note}")
        sys.stdout.flush()
        report[question.slug] = {"results": [vars(r) | {"rate": r.rate()} for r in results], "skipped": notes}
        if args.json:
            args.json.write_text(json.dumps(report, indent=1))
    return flagged


if __name__ == "__main__":
    raise SystemExit(main())
