"""Inputs for cumulative-logsumexp: float32 rows (batch, length), scanned along the last axis.

The gold answer is float64 `np.logaddexp.accumulate`, which is exact to float64 rounding for
any range of values and maps leading -inf entries to -inf. Outputs are log-domain numbers, so
the error allowed is absolute (atol) plus a term relative to |y| for rows of huge values.
"""

import numpy as np

from workers.grading.casekit import Case
from workers.grading.compare import compare_arrays


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    rows, cols = int(size.get("rows", 8)), int(size.get("cols", 100))
    if family == "random":
        x = rng.standard_normal((rows, cols)) * 3.0
    elif family == "huge":  # exp overflows float32 above ~88.7
        x = rng.uniform(-1e4, 1e4, (rows, cols))
    elif family == "rising":  # the row maximum comes last, 2000 above the first entries
        ramp = np.linspace(-1000.0, 1000.0, cols)
        x = ramp + rng.standard_normal((rows, cols))
    elif family == "falling":
        ramp = np.linspace(1000.0, -1000.0, cols)
        x = ramp + rng.standard_normal((rows, cols))
    elif family == "masked":  # -inf entries, leading runs of them, and one row of nothing else
        x = rng.standard_normal((rows, cols)) * 3.0
        x[rng.random((rows, cols)) < 0.3] = -np.inf
        lead = rng.integers(0, cols // 2, size=rows)
        for r in range(rows):
            x[r, : lead[r]] = -np.inf
        x[int(rng.integers(rows))] = -np.inf
    elif family == "mixed_scale":
        x = rng.standard_normal((rows, cols)) * 10.0 ** rng.uniform(-3, 3, (rows, 1))
    else:
        raise ValueError(f"unknown family {family}")
    x = x.astype(np.float32)
    with np.errstate(invalid="ignore"):
        gold = np.logaddexp.accumulate(x.astype(np.float64), axis=-1)
    return Case(args=(x,), context={"gold": gold})


def check(case: Case, output, expected, tolerance) -> str | None:
    # compare_arrays requires -inf exactly where the gold answer has it and NaN nowhere
    # (it subtracts -inf from -inf before masking those entries out: hence errstate).
    with np.errstate(invalid="ignore"):
        result = compare_arrays(output, case.context["gold"], tolerance, "output")
    return None if result.passed else result.message
