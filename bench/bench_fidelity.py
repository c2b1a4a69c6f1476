"""How faithful is the engine's speed figure? Side by side, in one run, on one machine.

For the softmax reference at the benchmark size, compare:
  * the submission time `dojo`'s judge reports (sandboxed runner, fresh inputs per call,
    medians over alternating calls), and
  * an established timer on the same function and size, in a plain process:
      torch: torch.utils.benchmark.Timer.blocked_autorange (one thread), and on a GPU also
             triton.testing.do_bench, which clears L2 between calls as the engine does;
      jax:   a loop of calls each ended by block_until_ready, timed with perf_counter.
Goal: within 10 %. Also prints the stability of the speedup over repeated grades
(goal: coefficient of variation under 5 % on CPU).

With --methods paired,independent the grades alternate between the paired method that grades
(per-pair ratios, stopping once their interval settles the verdict) and the method it replaced
(each side's median until both reach the question's relative standard error, speedup = ratio
of the medians), so both are measured side by side in one run.

Everything runs on one core (the last this process may use, or --core): this machine's
cores differ in speed, and the engine pins its runners to the cores it is allowed.

    .venv/bin/python bench/bench_fidelity.py [--grades 10] [--framework torch|jax] [--device cuda]
        [--methods paired,independent]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator

from workers.grading import speed
from workers.grading.bank import DEFAULT_BANK_DIR, load_question
from workers.grading.judge import GradeConfig, grade
from workers.grading.runners import Hardware
from workers.grading.sandbox import default_launcher

# Each prints "<timer name> <median ms>" lines for softmax(x), x of the benchmark size.
TORCH_TIMERS = textwrap.dedent(
    """
    import torch, torch.utils.benchmark as tb
    from workers.grading.harness.heap import settle_heap
    settle_heap()  # the allocator state every runner starts in
    torch.set_num_threads(1)
    ns = {}
    exec(open(PATH).read(), ns)
    f, x = ns["softmax"], (torch.randn(ROWS, COLS) * 3).to(DEVICE)
    m = tb.Timer("f(x)", globals={"f": f, "x": x}, num_threads=1).blocked_autorange(min_run_time=2)
    print("torch.utils.benchmark", m.median * 1e3)
    if DEVICE == "cuda":
        import triton.testing
        print("triton.testing.do_bench", triton.testing.do_bench(lambda: f(x), rep=2000, return_mode="median"))
    """
)
JAX_TIMERS = textwrap.dedent(
    """
    import time, statistics, jax, jax.numpy as jnp, numpy as np
    from workers.grading.harness.heap import settle_heap
    settle_heap()  # the allocator state every runner starts in
    ns = {}
    exec(open(PATH).read(), ns)
    f = ns["softmax"]
    x = jax.device_put(jnp.asarray(np.random.default_rng(0).standard_normal((ROWS, COLS)) * 3, jnp.float32))
    for _ in range(10):
        f(x).block_until_ready()
    times = []
    deadline = time.perf_counter() + 2
    while time.perf_counter() < deadline or len(times) < 50:
        start = time.perf_counter_ns()
        f(x).block_until_ready()
        times.append((time.perf_counter_ns() - start) / 1e6)
    print("block_until_ready_loop", statistics.median(times))
    """
)


def plain_timers(framework: str, device: str, rows: int, cols: int) -> dict[str, float]:
    path = str(DEFAULT_BANK_DIR / "softmax" / framework / "reference.py")
    template = TORCH_TIMERS if framework == "torch" else JAX_TIMERS
    code = f"PATH, ROWS, COLS, DEVICE = {path!r}, {rows}, {cols}, {device!r}\n" + template
    env = {**os.environ, "JAX_PLATFORMS": "cpu" if device == "cpu" else "cuda", "OMP_NUM_THREADS": "1",
           "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false" if device == "cpu" else ""}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                         cwd=DEFAULT_BANK_DIR.parent)  # the repository root, for the harness import
    return {name: float(value) for name, value in (line.split() for line in out.stdout.strip().splitlines())}


def _median_rse(values: list[float]) -> float:
    """The relative standard error of a median, from the MAD (normal-consistent)."""
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values) * 1.4826
    return 1.2533 * mad / len(values) ** 0.5 / median


def _independent_should_stop(submission_ms: list[float], reference_ms: list[float], min_pairs: int,
                             max_pairs: int, precision: float, budget_spent: bool) -> bool:
    """The earlier rule: each side's median on its own reaches the question's target RSE."""
    count = len(submission_ms)
    if count >= max_pairs or budget_spent:
        return True
    return count >= min_pairs and max(_median_rse(submission_ms), _median_rse(reference_ms)) <= _TARGET_RSE[0]


_TARGET_RSE = [0.01]


@contextlib.contextmanager
def method(name: str, question) -> Iterator[None]:
    """Grade with the stopping rule of `name` ("paired" is what grades)."""
    if name == "paired":
        yield
        return
    _TARGET_RSE[0] = question.spec.benchmark.target_rse
    original = speed.should_stop
    speed.should_stop = _independent_should_stop
    try:
        yield
    finally:
        speed.should_stop = original


def speedup_of(name: str, timing) -> float:
    if name == "paired":
        return timing.speedup
    return statistics.median(timing.reference_samples_ms) / statistics.median(timing.submission_samples_ms)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grades", type=int, default=10)
    parser.add_argument("--framework", default="torch", choices=["torch", "jax"])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--gpu", default="/dev/nvidia0")
    parser.add_argument("--core", type=int, default=max(os.sched_getaffinity(0)))
    parser.add_argument("--budget-scale", type=float, default=1.0, help="scales the question's timing budget")
    parser.add_argument("--methods", default="paired",
                        help="comma-separated: paired (what grades), independent (the rule it replaced)")
    parser.add_argument("--prime-ms", type=float, default=None,
                        help="GPU lead work before each timed call (the runner's default if unset)")
    args = parser.parse_args()
    os.sched_setaffinity(0, {args.core})  # the engine's runners and the plain timers alike
    question = load_question(DEFAULT_BANK_DIR / "softmax")
    size = question.spec.benchmark.size  # type: ignore[union-attr]
    rows, cols = int(size["rows"]), int(size["cols"])
    hardware = Hardware.gpu(args.gpu) if args.device == "cuda" else Hardware()
    if args.prime_ms is not None:
        hardware = dataclasses.replace(hardware, extra_env={**hardware.extra_env,
                                                            "DOJO_GPU_PRIME_MS": str(args.prime_ms)})
    config = GradeConfig(launcher=default_launcher(), hardware=hardware, speed_budget_scale=args.budget_scale)
    reference = question.reference(args.framework)
    methods = args.methods.split(",")
    series = {name: Series() for name in methods}
    for index in range(args.grades):
        for name in methods if index % 2 == 0 else methods[::-1]:  # alternated: drift hits both
            with method(name, question):
                started = time.perf_counter()
                result = grade(question, args.framework, reference, "submit", config=config)
            wall = time.perf_counter() - started
            assert result.accepted, result.message
            timing = result.timing
            assert timing.submission_ms is not None and timing.speedup is not None
            series[name].add(timing.submission_ms, speedup_of(name, timing), wall, timing.samples)
            print(f"grade {index + 1} ({name}): engine {timing.submission_ms:.4f} ms, speedup "
                  f"{series[name].speedups[-1]:.3f}, {timing.samples} pairs, {wall:.2f} s, clock={timing.clock}",
                  flush=True)
        plain = plain_timers(args.framework, args.device, rows, cols)
        for series_of_method in series.values():
            series_of_method.add_plain(plain)
        print("  plain: " + ", ".join(f"{name} {value:.4f} ms" for name, value in plain.items()), flush=True)
    prime = f", GPU lead work {args.prime_ms} ms" if args.prime_ms is not None else ""
    print(f"\nsoftmax {rows}x{cols} float32, {args.framework} on {result.timing.device}, core {args.core}{prime}, "
          f"timing budget x{args.budget_scale}, {args.grades} grades per method")
    for name, values in series.items():
        values.report(name)


@dataclasses.dataclass
class Series:
    engine_ms: list[float] = dataclasses.field(default_factory=list)
    speedups: list[float] = dataclasses.field(default_factory=list)
    walls: list[float] = dataclasses.field(default_factory=list)
    pairs: list[int] = dataclasses.field(default_factory=list)
    plain: dict[str, list[float]] = dataclasses.field(default_factory=dict)

    def add(self, engine_ms: float, speedup: float, wall_s: float, pairs: int) -> None:
        self.engine_ms.append(engine_ms)
        self.speedups.append(speedup)
        self.walls.append(wall_s)
        self.pairs.append(pairs)

    def add_plain(self, plain: dict[str, float]) -> None:
        for name, value in plain.items():
            self.plain.setdefault(name, []).append(value)

    def report(self, name: str) -> None:
        engine = statistics.median(self.engine_ms)
        mean = statistics.mean(self.speedups)
        cv = statistics.stdev(self.speedups) / mean if len(self.speedups) > 1 else float("nan")
        fidelity = ", ".join(f"engine / {timer} = {engine / statistics.median(v):.3f}"
                             for timer, v in self.plain.items())
        print(f"{name}: engine {engine:.4f} ms; {fidelity} (goal 0.90-1.10); A/A speedup mean {mean:.3f}, "
              f"CV {cv * 100:.2f} % (goal < 5 %); pairs median {statistics.median(self.pairs):.0f}; "
              f"grade wall time median {statistics.median(self.walls):.2f} s")

if __name__ == "__main__":
    main()
