"""Measure how accurate a question's reference is, to choose its tolerance from numbers.

    .venv/bin/python scripts/calibrate_tolerances.py SLUG [--framework torch|jax|both]
        [--seeds 3] [--safety 4] [--current] [--questions-dir DIR]

For a coding question whose cases.py defines `gold(*args)` (numpy, float64, same output
structure as the entry point), this generates the inputs of every example and hidden test
family, runs

  * the float32 reference, in this process (an admin tool: the reference is trusted), and
  * a low-precision variant: the same reference on inputs cast to bfloat16, output cast back,

and prints, per family, the largest absolute and relative error of each against the gold, and a
suggested rtol/atol between them. The rule (Tensara's): the tolerance must pass the reference
with room to spare (`--safety`, since a candidate's own rounding differs from the reference's
and errors add up) and fail the low-precision variant.

How the suggestion is made: with allowed(g) = atol + rtol*|g| = rtol*(s + |g|), an error e at a
gold value g needs rtol >= e / (s + |g|); R_ref and R_low_f are the largest such ratios of the
reference (over all families) and of the variant (per family). The reference needs
rtol >= safety * R_ref; the variant fails family f when rtol < R_low_f. The floor s = atol/rtol
is chosen so that the variant fails as many families as possible, with the widest gap, and rtol
is the geometric middle of the reference's need and the nearest failing family. A reference
that matches the gold exactly gets rtol = atol = 0. Families where the variant's errors sit
inside the tolerance can still fail it by a NaN/inf mismatch, listed in the last column.
"""

from __future__ import annotations

import argparse
import math
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workers.grading.bank import DEFAULT_BANK_DIR, load_question  # noqa: E402
from workers.grading.casekit import load_cases  # noqa: E402
from workers.grading.spec import Question, TestCase  # noqa: E402

# -- loading ---------------------------------------------------------------------------------


def load_module(name: str, source: str, filename: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = filename
    exec(compile(source, filename, "exec"), module.__dict__)
    return module


def gold_function(question: Question) -> Any:
    module = load_module(f"calibrate_cases_{question.slug.replace('-', '_')}", question.cases_source,
                         f"questions/{question.slug}/cases.py")
    gold = getattr(module, "gold", None)
    if not callable(gold):
        raise SystemExit(f"{question.slug}: cases.py defines no gold(*args); nothing to calibrate against")
    return gold


def map_leaves(tree: Any, fn: Any) -> Any:
    if isinstance(tree, dict):
        return {k: map_leaves(v, fn) for k, v in tree.items()}
    if isinstance(tree, tuple | list):
        return type(tree)(map_leaves(v, fn) for v in tree)
    return fn(tree)


def leaves(tree: Any) -> list[Any]:
    if isinstance(tree, dict):
        return [leaf for k in sorted(tree) for leaf in leaves(tree[k])]
    if isinstance(tree, tuple | list):
        return [leaf for v in tree for leaf in leaves(v)]
    return [tree]


# -- running the reference in this process ---------------------------------------------------


class TorchRunner:
    def __init__(self, question: Question) -> None:
        import torch

        torch.set_num_threads(1)
        self.torch = torch
        module = load_module("calibrate_reference", question.reference("torch"), "torch/reference.py")
        self.fn = getattr(module, question.spec.entry["torch"].name)

    def __call__(self, args: tuple[Any, ...], low_precision: bool) -> Any:
        torch = self.torch

        def to_tensor(leaf: Any) -> Any:
            if not isinstance(leaf, np.ndarray):
                return leaf
            tensor = torch.from_numpy(leaf.copy())
            if low_precision and tensor.is_floating_point():
                tensor = tensor.to(torch.bfloat16)
            return tensor

        def to_numpy(leaf: Any) -> Any:
            if isinstance(leaf, torch.Tensor):
                leaf = leaf.detach()
                return (leaf.float() if leaf.dtype == torch.bfloat16 else leaf).cpu().numpy()
            return leaf

        return map_leaves(self.fn(*map_leaves(args, to_tensor)), to_numpy)


class JaxRunner:
    def __init__(self, question: Question) -> None:
        import jax
        import jax.numpy as jnp

        self.jax, self.jnp = jax, jnp
        module = load_module("calibrate_reference", question.reference("jax"), "jax/reference.py")
        self.fn = getattr(module, question.spec.entry["jax"].name)

    def __call__(self, args: tuple[Any, ...], low_precision: bool) -> Any:
        jnp = self.jnp

        def to_array(leaf: Any) -> Any:
            if not isinstance(leaf, np.ndarray):
                return leaf
            array = jnp.asarray(leaf)
            if low_precision and jnp.issubdtype(array.dtype, jnp.floating):
                array = array.astype(jnp.bfloat16)
            return array

        def to_numpy(leaf: Any) -> Any:
            if isinstance(leaf, self.jax.Array):
                return np.asarray(leaf.astype(jnp.float32) if leaf.dtype == jnp.bfloat16 else leaf)
            return leaf

        out = self.fn(*map_leaves(args, to_array))
        return map_leaves(out, to_numpy)


# -- errors against the gold -----------------------------------------------------------------


@dataclass
class Errors:
    """Element errors of one implementation against the gold, pooled over seeds and outputs."""

    err: list[np.ndarray] = field(default_factory=list)
    mag: list[np.ndarray] = field(default_factory=list)
    nonfinite_mismatches: int = 0
    failure: str = ""

    def add(self, out: Any, gold: Any) -> None:
        for actual, expected in zip(leaves(out), leaves(gold), strict=True):
            actual = np.asarray(actual, dtype=np.float64)
            expected = np.asarray(expected, dtype=np.float64)
            if actual.shape != expected.shape:
                self.failure = f"shape {actual.shape} != gold {expected.shape}"
                return
            for a_mask, e_mask in ((np.isnan(actual), np.isnan(expected)),
                                   (np.isposinf(actual), np.isposinf(expected)),
                                   (np.isneginf(actual), np.isneginf(expected))):
                self.nonfinite_mismatches += int(np.sum(a_mask != e_mask))
            finite = np.isfinite(expected) & np.isfinite(actual)
            with np.errstate(invalid="ignore"):
                self.err.append(np.abs(actual - expected)[finite].ravel())
            self.mag.append(np.abs(expected)[finite].ravel())

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        if not self.err:
            return np.zeros(0), np.zeros(0)
        return np.concatenate(self.err), np.concatenate(self.mag)

    def max_abs(self) -> float:
        err, _ = self.arrays()
        return float(err.max()) if err.size else 0.0

    def max_rel(self) -> float:
        err, mag = self.arrays()
        nonzero = mag > 0
        return float((err[nonzero] / mag[nonzero]).max()) if nonzero.any() else 0.0

    def ratio(self, floor: float) -> float:
        """The smallest rtol that covers every error when atol = rtol * floor."""
        err, mag = self.arrays()
        if not err.size:
            return 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = np.where(err > 0, err / (floor + mag), 0.0)
        return float(ratios.max())


def typical_magnitude(errors: list[Errors]) -> float:
    mags = [e.arrays()[1] for e in errors]
    pooled = np.concatenate([m for m in mags if m.size]) if any(m.size for m in mags) else np.ones(1)
    rms = float(np.sqrt(np.mean(pooled**2)))
    return rms if rms > 0 and math.isfinite(rms) else 1.0


def suggest(refs: list[Errors], lows: list[Errors], safety: float) -> tuple[float, float, int]:
    """(rtol, atol, families the variant fails): a tolerance between the reference and the variant.

    For each floor s = atol/rtol, the reference needs rtol >= safety * R_ref(s); the variant
    fails a family when rtol < R_low_f(s). The floor is chosen to make the variant fail as many
    families as possible (then to widen the narrowest gap), and rtol is the geometric middle of
    the reference's need and the smallest R_low_f among the families the variant fails.
    """
    scale = typical_magnitude(refs)
    best: tuple[int, float, float, float] | None = None  # (fails, gap, rtol, atol)
    for floor in scale * np.logspace(-8, 2, 61):
        need = safety * max((e.ratio(floor) for e in refs), default=0.0)
        if need == 0.0:
            return 0.0, 0.0, sum(e.ratio(0.0) > 0 for e in lows)
        beaten = [e.ratio(floor) for e in lows if e.ratio(floor) > need]
        if beaten:
            rtol = math.sqrt(need * min(beaten))
            key = (len(beaten), min(beaten) / need)
        else:
            rtol, key = need, (0, 0.0)
        if best is None or key > best[:2]:
            best = (key[0], key[1], rtol, rtol * floor)
    assert best is not None
    return best[2], best[3], best[0]


def usage(errors: Errors, rtol: float, atol: float) -> float:
    """The largest error as a fraction of what the tolerance allows there (> 1 fails)."""
    err, mag = errors.arrays()
    if not err.size:
        return 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(err > 0, err / (atol + rtol * mag), 0.0)
    return float(ratios.max())


def fails_under(errors: Errors, rtol: float, atol: float) -> bool:
    if errors.nonfinite_mismatches or errors.failure:
        return True
    err, mag = errors.arrays()
    return bool((err > atol + rtol * mag).any())


def check_multiplier(check: Any, case: Any, output: Any, expected: Any, tol: Any) -> float:
    """The smallest factor k for which the question's own check() accepts `output` under the
    question's tolerance times k (bisection in log space; inf if it never does)."""
    from workers.grading.spec import Tolerance

    def passes(k: float) -> bool:
        return check(case, output, expected, Tolerance(rtol=tol.rtol * k, atol=tol.atol * k)) is None

    low, high = -6.0, 8.0
    if not passes(10**high):
        return math.inf
    if passes(10**low):
        return 10**low
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (low, mid) if passes(10**mid) else (mid, high)
    return float(10**high)


def like(gold: Any, reference_output: Any) -> Any:
    """The gold cast leaf by leaf to the reference output's dtypes, as a check() would see it."""
    if isinstance(gold, dict):
        return {k: like(gold[k], reference_output[k]) for k in gold}
    if isinstance(gold, tuple | list):
        return type(gold)(like(g, r) for g, r in zip(gold, reference_output, strict=True))
    if isinstance(reference_output, np.ndarray):
        return np.asarray(gold).astype(reference_output.dtype)
    return gold


# -- the report ------------------------------------------------------------------------------


def families(question: Question) -> list[TestCase]:
    return [*question.spec.examples, *question.spec.tests]


def calibrate(question: Question, framework: str, seeds: int, safety: float,
              current: tuple[float, float] | None = None) -> None:
    gold = gold_function(question)
    cases = load_cases(question)
    run = TorchRunner(question) if framework == "torch" else JaxRunner(question)
    rows: list[tuple[str, Errors, Errors]] = []
    checked: dict[str, tuple[float, float]] = {}  # family -> check() multipliers (ref, bf16)
    for test in families(question):
        ref, low = Errors(), Errors()
        need_ref = need_low = 0.0
        for seed in range(seeds):
            case = cases.make_inputs(test.family, test.size, np.random.default_rng(1000 + seed))
            expected = gold(*case.args)
            ref_out = run(case.args, low_precision=False)
            ref.add(ref_out, expected)
            try:
                low_out = run(case.args, low_precision=True)
                low.add(low_out, expected)
            except Exception as exc:  # a reference need not run in bfloat16; say so and go on
                low.failure = f"{type(exc).__name__}: {str(exc)[:80]}"
                low_out = None
            if current is not None and cases.check is not None:
                tol, wanted = question.spec.tolerance, like(expected, ref_out)
                need_ref = max(need_ref, check_multiplier(cases.check, case, ref_out, wanted, tol))
                if low_out is not None:
                    need_low = max(need_low, check_multiplier(cases.check, case, low_out, wanted, tol))
        rows.append((test.name, ref, low))
        checked[test.name] = (need_ref, need_low)

    rtol, atol, beaten = suggest([r for _, r, _ in rows], [lo for _, _, lo in rows if not lo.failure], safety)
    print(f"\n{question.slug} [{framework}]  ({seeds} seed(s) per family; errors against the float64 gold)")
    print(f"{'family':<28} {'ref abs':>9} {'ref rel':>9} {'bf16 abs':>9} {'bf16 rel':>9}  "
          f"{'suggested rtol / atol':>22}  bf16 fails?")
    for name, ref, low in rows:
        f_rtol, f_atol, _ = suggest([ref], [low], safety) if not low.failure else (math.nan, math.nan, 0)
        note = low.failure or (f"{low.nonfinite_mismatches} NaN/inf mismatches" if low.nonfinite_mismatches else "")
        if ref.nonfinite_mismatches:
            note += f" REFERENCE has {ref.nonfinite_mismatches} NaN/inf mismatches"
        fails = "yes" if fails_under(low, rtol, atol) else "no"
        print(f"{name:<28} {ref.max_abs():9.2e} {ref.max_rel():9.2e} {low.max_abs():9.2e} {low.max_rel():9.2e}  "
              f"{f_rtol:10.1e} / {f_atol:9.1e}  {fails:<4} {note}")
    if current is not None:
        c_rtol, c_atol = current
        print(f"under rtol = {c_rtol:g}, atol = {c_atol:g}: largest error / allowed error, per family")
        for name, ref, low in rows:
            flag = "" if safety * usage(ref, c_rtol, c_atol) <= 1 else "  <- reference within the safety factor"
            low_text = "fails by NaN/inf" if low.nonfinite_mismatches else f"{usage(low, c_rtol, c_atol):9.3g}"
            print(f"  {name:<28} reference {usage(ref, c_rtol, c_atol):9.3g}   bf16 {low_text}{flag}")
    if checked and cases.check is not None and current is not None:
        print("cases.check() with the question's tolerance times k: the smallest k that accepts the "
              f"output vs the gold (the reference needs k <= 1/{safety:g}; bfloat16 should need k > 1)")
        for name, (need_ref, need_low) in checked.items():
            flag = "" if safety * need_ref <= 1 else "  <- reference within the safety factor"
            print(f"  {name:<28} reference k = {need_ref:9.3g}   bf16 k = {need_low:9.3g}{flag}")
    exact = " (the reference matches the gold exactly)" if rtol == atol == 0.0 else ""
    print(f"suggested for the question: rtol = {rtol:.2g}, atol = {atol:.2g}{exact}; the bfloat16 variant "
          f"fails {beaten} of {len(rows)} families by its errors alone (safety {safety:g})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("slug")
    parser.add_argument("--framework", choices=["torch", "jax", "both"], default="both")
    parser.add_argument("--seeds", type=int, default=3, help="inputs drawn per family")
    parser.add_argument("--safety", type=float, default=4.0,
                        help="how far inside the tolerance the reference must stay")
    parser.add_argument("--questions-dir", type=Path, default=DEFAULT_BANK_DIR)
    parser.add_argument("--current", action="store_true",
                        help="also show how the question's own rtol/atol treat each family")
    args = parser.parse_args()
    question = load_question(args.questions_dir / args.slug)
    chosen = question.spec.frameworks if args.framework == "both" else [args.framework]
    for framework in chosen:
        tol = question.spec.tolerance
        calibrate(question, framework, args.seeds, args.safety, (tol.rtol, tol.atol) if args.current else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
