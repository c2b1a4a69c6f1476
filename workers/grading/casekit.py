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
