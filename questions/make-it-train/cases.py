"""Inputs for make-it-train: a classification problem whose classes are each a few Gaussian
blobs (so a straight boundary is not enough), in raw units (scales from 0.1 to 1000, offsets
far from zero), so training must normalise its inputs somewhere.

The candidate trains on (x_train, y_train) and predicts a label for every row of x_test; the
test labels stay in `context`. A prediction is accepted when its accuracy reaches the test's
`min_accuracy`, a threshold measured from the reference over many seeds (see question.toml).
"""

import numpy as np

from workers.grading.casekit import Case

TEST_POINTS = 2000
BLOBS_PER_CLASS = 6


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    n, d, classes = int(size["n"]), int(size["d"]), int(size["classes"])
    if family != "blobs":
        raise ValueError(f"unknown family {family}")
    centres = rng.normal(0.0, 1.6, (classes, BLOBS_PER_CLASS, d))
    spread = float(size.get("spread", 0.6))
    units = 10.0 ** rng.uniform(-1.0, 3.0, d)
    offset = rng.uniform(-20.0, 20.0, d) * units

    def draw(count: int) -> tuple[np.ndarray, np.ndarray]:
        labels = rng.integers(0, classes, count)
        blob = rng.integers(0, BLOBS_PER_CLASS, count)
        z = centres[labels, blob] + spread * rng.standard_normal((count, d))
        return (z * units + offset).astype(np.float32), labels.astype(np.int64)

    x, y = draw(n)
    x_test, y_test = draw(TEST_POINTS)
    seed = int(rng.integers(0, 2**31 - 1))
    return Case(
        args=(x, y, x_test, seed),
        context={"y_test": y_test, "min_accuracy": float(size["min_accuracy"]), "classes": classes},
    )


def check(case: Case, output, expected, tolerance) -> str | None:
    truth = case.context["y_test"]
    problem = _label_format_problem(output, len(truth), case.context["classes"])
    if problem:
        return problem
    hits = int(np.count_nonzero(output == truth))
    required = case.context["min_accuracy"]
    if hits < required * len(truth):
        return (
            f"{hits} of {len(truth)} held-out rows right ({100 * hits / len(truth):.1f} %); "
            f"a program that trains gets at least {100 * required:.0f} %"
        )
    return None


def _label_format_problem(labels, rows: int, classes: int) -> str | None:
    """Why `labels` is not one integer class in [0, classes) per held-out row, or None."""
    if not isinstance(labels, np.ndarray) or labels.ndim != 1 or labels.shape[0] != rows:
        got = list(labels.shape) if isinstance(labels, np.ndarray) else type(labels).__name__
        return f"return a 1-D array of {rows} labels, one per row of x_test; got {got}"
    if labels.dtype.kind not in "iu":
        return f"labels must be an integer dtype (argmax gives one), got {labels.dtype}"
    if labels.min() < 0 or labels.max() >= classes:
        return f"labels must be class numbers 0 .. {classes - 1}"
    return None
