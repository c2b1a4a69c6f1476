"""Inputs for mlp-classifier: 2-D points of interleaved spirals (or rings) with noisy labels.

The candidate trains on (x_train, y_train) and predicts labels for x_test; the true test
labels stay in `context`. A prediction is accepted when its accuracy reaches the test's
`min_accuracy`, a threshold measured from the reference over many seeds (see question.toml).
"""

import numpy as np

from workers.grading.casekit import Case

TEST_POINTS = 2000


def _spirals(rng: np.random.Generator, n: int, classes: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    y = rng.integers(0, classes, n)
    t = np.sqrt(rng.uniform(0.02, 1.0, n))  # radius in (0, 1], denser towards the outside
    angle = 2.0 * np.pi * (1.25 * t + y / classes)  # 1.25 turns per arm
    x = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)
    return x + noise * rng.standard_normal(x.shape), y


def _rings(rng: np.random.Generator, n: int, classes: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    y = rng.integers(0, classes, n)
    radius = (y + 1) / classes
    angle = rng.uniform(0, 2 * np.pi, n)
    x = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return x + noise * rng.standard_normal(x.shape), y


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    n = int(size["n"])
    classes = int(size.get("classes", 2))
    noise = float(size.get("noise", 0.08))
    if family in ("spirals", "scaled_spirals"):
        draw = _spirals
    elif family == "rings":
        draw = _rings
    else:
        raise ValueError(f"unknown family {family}")
    x, y = draw(rng, n, classes, noise)
    x_test, y_test = draw(rng, TEST_POINTS, classes, noise)
    if family == "scaled_spirals":
        # Raw units: a large scale and an offset per coordinate.
        scale = np.array([300.0, 2000.0])
        offset = np.array([5000.0, -800.0])
        x, x_test = x * scale + offset, x_test * scale + offset
    return Case(
        args=(x.astype(np.float32), y.astype(np.int64), x_test.astype(np.float32), classes),
        context={"y_test": y_test, "min_accuracy": float(size["min_accuracy"]), "classes": classes},
    )


def check(case: Case, output, expected, tolerance) -> str | None:
    y_test = case.context["y_test"]
    if not isinstance(output, np.ndarray) or output.shape != y_test.shape:
        shape = getattr(output, "shape", type(output).__name__)
        return f"return one label per test point, shape {list(y_test.shape)}; got {shape}"
    if not np.issubdtype(output.dtype, np.integer):
        return f"labels must be integers, got {output.dtype}"
    if ((output < 0) | (output >= case.context["classes"])).any():
        return f"labels must lie in [0, {case.context['classes']})"
    accuracy = float(np.mean(output == y_test))
    needed = case.context["min_accuracy"]
    if accuracy < needed:
        return f"held-out accuracy {100 * accuracy:.1f} % is below the {100 * needed:.1f} % required"
    return None
