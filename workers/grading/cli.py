"""`dojo grade` and `dojo questions list|check`: the engine from the command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from .bank import DEFAULT_BANK_DIR, load_bank, load_question
from .checks import check_questions
from .judge import GradeConfig, grade
from .runners import Hardware
from .spec import Question, QuestionFormatError
from .verdict import GradeResult, Status

UNSAFE_FLAG = "--unsafe-no-sandbox"
EXIT_ACCEPTED, EXIT_NOT_ACCEPTED, EXIT_ERROR = 0, 1, 2


def register(subparsers: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    from app.cli import command_group

    grade_parser = subparsers.add_parser("grade", help="grade a solution file against a question")
    grade_parser.add_argument("file", type=Path)
    grade_parser.add_argument("--question", required=True, metavar="SLUG")
    grade_parser.add_argument("--framework", required=True, choices=["torch", "jax"])
    grade_parser.add_argument("--mode", default="submit", choices=["run", "submit"])
    grade_parser.add_argument("--json", action="store_true", help="print exactly one JSON object")
    grade_parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"], help="where the runners compute")
    grade_parser.add_argument("--gpu", default="/dev/nvidia0", metavar="NODE",
                              help="with --device cuda: the GPU's device node, the only one the sandbox sees")
    _add_common(grade_parser)
    grade_parser.set_defaults(func=cmd_grade)

    questions = command_group(subparsers, groups, "questions", "the question bank")
    list_parser = questions.add_parser("list", help="list the questions")
    list_parser.add_argument("--json", action="store_true")
    list_parser.add_argument("--questions-dir", type=Path, default=DEFAULT_BANK_DIR)
    list_parser.set_defaults(func=cmd_list)
    summary_parser = questions.add_parser("summary", help="counts by kind, topic, difficulty, framework")
    summary_parser.add_argument("--markdown", action="store_true", help="the docs/BANK.md page")
    summary_parser.add_argument("--questions-dir", type=Path, default=DEFAULT_BANK_DIR)
    summary_parser.set_defaults(func=cmd_summary)
    check_parser = questions.add_parser("check", help="references pass; solutions/ get their verdicts")
    check_parser.add_argument("slugs", nargs="*", metavar="SLUG")
    check_parser.add_argument("--parallel", type=int, default=os.cpu_count() or 2)
    _add_common(check_parser)
    check_parser.set_defaults(func=cmd_check)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--questions-dir", type=Path, default=DEFAULT_BANK_DIR)
    parser.add_argument(
        UNSAFE_FLAG,
        dest="unsafe_no_sandbox",
        action="store_true",
        help="DANGEROUS: run candidate code with no isolation at all (development only)",
    )


def _config(args: argparse.Namespace) -> GradeConfig:
    from .sandbox import SandboxUnavailable, default_launcher

    unsafe = args.unsafe_no_sandbox or os.environ.get("DOJO_UNSAFE_NO_SANDBOX") == "1"
    if unsafe:
        print("WARNING: running candidate code WITHOUT A SANDBOX", file=sys.stderr)
    hardware = Hardware()
    if getattr(args, "device", "cpu") == "cuda":
        if not os.path.exists(args.gpu):
            raise SystemExit(_fail(f"no GPU device node {args.gpu} on this machine"))
        hardware = Hardware.gpu(args.gpu)
    try:
        return GradeConfig(launcher=default_launcher(allow_unsandboxed=unsafe), hardware=hardware)
    except SandboxUnavailable as exc:
        raise SystemExit(_fail(str(exc))) from exc


def _fail(message: str) -> int:
    print(f"dojo: {message}", file=sys.stderr)
    return EXIT_ERROR


def _load(args: argparse.Namespace) -> dict[str, Question]:
    try:
        return load_bank(args.questions_dir)
    except QuestionFormatError as exc:
        raise SystemExit(_fail(str(exc))) from exc


def cmd_grade(args: argparse.Namespace) -> int:
    # Only the one question is read, so a broken neighbour does not stop grading.
    folder = args.questions_dir / args.question
    if "/" in args.question or not (folder / "question.toml").is_file():
        return _fail(f"unknown question '{args.question}' (see `dojo questions list`)")
    try:
        question = load_question(folder)
    except QuestionFormatError as exc:
        return _fail(str(exc))
    try:
        code = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"cannot read {args.file}: {exc}")
    config = _config(args)
    result = grade(question, args.framework, code, args.mode, config=config)
    if args.json:
        print(json.dumps(result.to_json()))
    else:
        print(format_report(question, result))
    if result.status is Status.INTERNAL_ERROR:
        return EXIT_ERROR
    return EXIT_ACCEPTED if result.accepted else EXIT_NOT_ACCEPTED


def cmd_list(args: argparse.Namespace) -> int:
    bank = _load(args)
    rows = [
        {"slug": q.slug, "title": q.spec.title, "kind": q.spec.kind, "difficulty": q.spec.difficulty,
         "frameworks": list(q.spec.frameworks), "tags": list(q.spec.tags)}
        for q in bank.values()
    ]
    if args.json:
        print(json.dumps(rows))
        return 0
    for row in rows:
        frameworks = ",".join(row["frameworks"]) or "-"
        print(f"{row['slug']:<36} {row['kind']:<8} {row['difficulty']:<7} {frameworks:<10} {row['title']}")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from .summary import bank_summary_markdown

    bank = _load(args)
    if args.markdown:
        print(bank_summary_markdown(bank), end="")
        return 0
    for kind in ("coding", "concept"):
        chosen = [q for q in bank.values() if q.spec.kind == kind]
        print(f"{kind}: {len(chosen)}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    bank = _load(args)
    unknown = [s for s in args.slugs if s not in bank]
    if unknown:
        return _fail(f"unknown question(s): {', '.join(unknown)}")
    chosen = [bank[s] for s in args.slugs] if args.slugs else list(bank.values())
    config = _config(args)
    config.speed_budget_scale = 0.25
    started = time.monotonic()
    # The files checked here are the operator's own, trusted alike: their JAX compiles are shared.
    outcomes = check_questions(chosen, config, parallel=args.parallel, share_jax_compiles=True)
    for outcome in outcomes:
        print(outcome.describe())
    failed = sum(not o.ok for o in outcomes)
    print(f"{len(outcomes) - failed} passed, {failed} failed ({time.monotonic() - started:.0f} s)")
    return EXIT_ACCEPTED if failed == 0 else EXIT_NOT_ACCEPTED


def format_report(question: Question, result: GradeResult) -> str:
    lines = [f"{question.spec.title} — {result.status.value.upper().replace('_', ' ')}", result.message, ""]
    for test in result.tests:
        mark = "PASS" if test.passed else "FAIL"
        kind = "example" if test.visible else "hidden "
        lines.append(f"  {mark} {kind} {test.name}" + (f": {test.message}" if test.message else ""))
        if not test.passed and test.explanation:
            lines.append(f"         {test.explanation}")
        if not test.passed and test.visible:
            lines += [f"         input:    {test.input_preview}", f"         expected: {test.expected_preview}",
                      f"         actual:   {test.actual_preview}"]
    lines += _timing_lines(result.timing.__dict__)
    if result.stderr:
        lines += ["", "stderr / traceback:", result.stderr.rstrip()]
    if result.stdout:
        lines += ["", "your output:", result.stdout.rstrip()]
    lines += [f"note: {note}" for note in result.notes]
    return "\n".join(lines)


def _timing_lines(timing: dict[str, Any]) -> list[str]:
    if timing.get("speedup") is None:
        return []
    lines = [
        "",
        f"speed: {timing['submission_ms']:.3f} ms vs reference {timing['reference_ms']:.3f} ms "
        f"(median of {timing['samples']}, {timing['device']})",
        f"  speedup {timing['speedup']:.2f}x, 95% CI [{timing['speedup_ci_low']:.2f}, "
        f"{timing['speedup_ci_high']:.2f}] -> {timing['speed_verdict']}",
    ]
    if timing.get("submission_compile_ms"):
        lines.append(f"  first-call overhead (tracing/compilation): {timing['submission_compile_ms']:.1f} ms")
    return lines
