"""The case runner's own bookkeeping, in-process (the sandboxed runs are in test_check_sharing)."""

from __future__ import annotations

import numpy as np

from workers.grading.harness.cases_main import CaseRunner

SOURCE = """
import numpy as np
from workers.grading.casekit import Case

def make_inputs(family, size, rng):
    return Case(args=(rng.standard_normal(size["n"]),), context={"big": np.zeros(size["n"])})

def check(case, output, expected, tolerance):
    return None if output.shape == case.context["big"].shape else "wrong shape"
"""


def _load(runner: CaseRunner) -> None:
    assert runner.handle({"op": "load", "source": SOURCE, "file": "questions/x/cases.py"}) == {
        "ok": True,
        "check": True,
    }


def _make(runner: CaseRunner) -> int:
    state = np.random.Generator(np.random.PCG64(1)).bit_generator.state
    reply = runner.handle({"op": "inputs", "family": "random", "size": {"n": 4}, "rng": state})
    return int(reply["case"])


def test_a_new_grade_drops_the_cases_of_the_grades_before() -> None:
    """A kept case runner serves many grades; each only checks its own cases, so earlier
    cases (and the memory their contexts hold) go when the next grade loads."""
    runner = CaseRunner()
    _load(runner)
    first = [_make(runner) for _ in range(3)]
    tolerance = {"rtol": 1e-5, "atol": 1e-7}
    check = {"op": "check", "case": first[0], "output": np.zeros(4), "expected": np.zeros(4), "tolerance": tolerance}
    assert runner.handle(check) == {"ok": True, "message": None}
    _load(runner)
    assert len(runner.cases) == 0
    second = _make(runner)
    assert second not in first and list(runner.cases) == [second]
    stale = runner.handle({**check, "case": first[1]})
    assert "error" in stale
