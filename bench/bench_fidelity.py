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

Everything runs on one core (the last this process may use, or --core): this machine's
cores differ in speed, and the engine pins its runners to the cores it is allowed.

    .venv/bin/python bench/bench_fidelity.py [--grades 10] [--framework torch|jax] [--device cuda]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import textwrap
import time

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grades", type=int, default=10)
    parser.add_argument("--framework", default="torch", choices=["torch", "jax"])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--gpu", default="/dev/nvidia0")
    parser.add_argument("--core", type=int, default=max(os.sched_getaffinity(0)))
    parser.add_argument("--budget-scale", type=float, default=1.0, help="scales the question's timing budget")
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
    engine_ms: list[float] = []
    speedups: list[float] = []
    plain: dict[str, list[float]] = {}
    walls: list[float] = []
    for index in range(args.grades):
        started = time.perf_counter()
        result = grade(question, args.framework, reference, "submit", config=config)
        walls.append(time.perf_counter() - started)
        assert result.accepted, result.message
        assert result.timing.submission_ms is not None and result.timing.speedup is not None
        engine_ms.append(result.timing.submission_ms)
        speedups.append(result.timing.speedup)
        for name, value in plain_timers(args.framework, args.device, rows, cols).items():
            plain.setdefault(name, []).append(value)
        others = ", ".join(f"{name} {values[-1]:.4f} ms" for name, values in plain.items())
        print(f"grade {index + 1}: engine {engine_ms[-1]:.4f} ms, {others}, speedup {speedups[-1]:.3f} "
              f"[{result.timing.speedup_ci_low:.2f}, {result.timing.speedup_ci_high:.2f}] "
              f"clock={result.timing.clock} samples={result.timing.samples}", flush=True)
    engine = statistics.median(engine_ms)
    cv = statistics.stdev(speedups) / statistics.mean(speedups) if len(speedups) > 1 else float("nan")
    prime = f", GPU lead work {args.prime_ms} ms" if args.prime_ms is not None else ""
    print(f"\nsoftmax {rows}x{cols} float32, {args.framework} on {result.timing.device}, core {args.core}{prime}, "
          f"timing budget x{args.budget_scale}, grade wall time median {statistics.median(walls):.2f} s")
    print(f"engine submission time (median of {args.grades} grades): {engine:.4f} ms")
    for name, values in plain.items():
        median = statistics.median(values)
        print(f"{name} (median of {args.grades} runs): {median:.4f} ms -> engine / {name} = "
              f"{engine / median:.3f} (goal: within 0.90-1.10)")
    print(f"speedup of the reference against itself over {args.grades} grades: mean {statistics.mean(speedups):.3f}, "
          f"CV {cv * 100:.2f} % (goal < 5 %)")


if __name__ == "__main__":
    main()
