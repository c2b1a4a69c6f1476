"""What a question's trusted cases.py works with.

    from workers.grading.casekit import Case

    def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case: ...
    def check(case: Case, output, expected, tolerance) -> str | None: ...   # optional

`make_inputs` builds one test's positional arguments (numpy arrays, Python scalars, or
dicts/tuples of them) from a family name and a size; `context` keeps data the runner must
never see (held-out sets, the true parameters). `check` returns None when the output is right
and a plain-language reason when it is not; without it, outputs are compared with the
reference's under the question's tolerance.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .compare import special_values_differ
from .spec import Question, QuestionFormatError, Tolerance


@dataclass
class Case:
    args: tuple[Any, ...]
    context: dict[str, Any] = field(default_factory=dict)


CheckFn = Callable[[Case, Any, Any, Tolerance], "str | None"]


@dataclass
class CasesModule:
    make_inputs: Callable[[str, dict[str, Any], np.random.Generator], Case]
    check: CheckFn | None


def load_cases(question: Question) -> CasesModule:
    """Execute a question's cases.py in this process: for developer tools run on the bank in
    this repository (scripts/calibrate_tolerances.py). The judge never does this: grading runs
    cases.py in a sandboxed case runner (casebox.py), since a version posted through the admin
    API is code from whoever holds an admin token."""
    module = types.ModuleType(f"dojo_cases_{question.slug.replace('-', '_')}")
    module.__file__ = f"questions/{question.slug}/cases.py"
    try:
        exec(compile(question.cases_source, module.__file__, "exec"), module.__dict__)
    except Exception as exc:
        raise QuestionFormatError(question.slug, "cases.py", "", f"failed to load: {exc}") from exc
    make_inputs = getattr(module, "make_inputs", None)
    if not callable(make_inputs):
        raise QuestionFormatError(question.slug, "cases.py", "make_inputs", "not a function")

    def make_case(family: str, size: dict[str, Any], rng: np.random.Generator) -> Case:
        made = make_inputs(family, dict(size), rng)
        return made if isinstance(made, Case) else Case(args=tuple(made))

    check = getattr(module, "check", None)
    return CasesModule(make_inputs=make_case, check=check if callable(check) else None)


def compare_scaled(name: str, actual: Any, wanted: np.ndarray, scale: Any, tolerance: Tolerance) -> str | None:
    """Compare one float output whose rounding error grows with the terms that formed it, not
    with its value: an entry of a matmul or a normalisation that cancels to ~0 is only as exact
    as its largest terms. `scale` (an array broadcastable to `wanted`, or a number) is that size,
    and the allowance is atol + rtol * (|wanted| + scale). Shapes and the NaN/inf pattern must
    match exactly. Returns None when `actual` is within it, otherwise a reason naming the worst
    entry."""
    if not isinstance(actual, np.ndarray) or actual.shape != wanted.shape:
        got = list(actual.shape) if isinstance(actual, np.ndarray) else type(actual).__name__
        return f"{name}: expected shape {list(wanted.shape)}, got {got}"
    actual, wanted = np.atleast_1d(actual.astype(np.float64)), np.atleast_1d(wanted.astype(np.float64))
    special = special_values_differ(actual, wanted, name)
    if special is not None:
        return special.message
    # The same NaN or inf on both sides: nothing to measure there (inf - inf is NaN).
    with np.errstate(invalid="ignore"):
        diff = np.where(np.isfinite(wanted), np.abs(actual - wanted), 0.0)
    allowed = np.broadcast_to(tolerance.atol + tolerance.rtol * (np.abs(wanted) + scale), diff.shape)
    over = diff > allowed
    if not over.any():
        return None
    where = np.unravel_index(int(np.argmax(np.where(over, diff / allowed, 0.0))), diff.shape)
    return (
        f"{name}{[int(i) for i in where]}: expected {wanted[where]:.7g}, got {actual[where]:.7g} "
        f"(error {diff[where]:.3g} > allowed {allowed[where]:.3g})"
    )


def compare_scaled_outputs(
    names: tuple[str, ...], output: Any, expected: Any, scales: list[Any], tolerance: Tolerance
) -> str | None:
    """`compare_scaled` over a tuple of named outputs, stopping at the first that differs."""
    if not isinstance(output, tuple | list) or len(output) != len(names):
        return f"return a tuple ({', '.join(names)})"
    for name, actual, wanted, scale in zip(names, output, expected, scales, strict=True):
        problem = compare_scaled(name, actual, wanted, scale, tolerance)
        if problem:
            return problem
    return None
