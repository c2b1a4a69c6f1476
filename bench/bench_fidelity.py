"""How faithful is the engine's speed figure? Side by side, in one run, on one machine.

For the softmax reference at the benchmark size, compare:
  * the submission time `dojo`'s judge reports (sandboxed runner, fresh inputs per call,
    medians over alternating calls), and
  * torch.utils.benchmark.Timer.blocked_autorange on the same function and size, one
    thread, in a plain process.
Goal: within 10 %. Also prints the stability of the speedup over repeated grades
(goal: coefficient of variation under 5 % on CPU).

    .venv/bin/python bench/bench_fidelity.py [--grades 10]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import textwrap

from workers.grading.bank import DEFAULT_BANK_DIR, load_question
from workers.grading.judge import GradeConfig, grade
from workers.grading.sandbox import default_launcher

AUTORANGE = textwrap.dedent(
    """
    import torch, torch.utils.benchmark as tb
    torch.set_num_threads(1)
    ns = {}
    exec(open(%r).read(), ns)
    x = torch.randn(%d, %d) * 3
    m = tb.Timer("f(x)", globals={"f": ns["softmax"], "x": x}, num_threads=1).blocked_autorange(min_run_time=2)
    print(m.median * 1e3)
    """
)


def autorange_ms(rows: int, cols: int) -> float:
    path = str(DEFAULT_BANK_DIR / "softmax" / "torch" / "reference.py")
    out = subprocess.run([sys.executable, "-c", AUTORANGE % (path, rows, cols)], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grades", type=int, default=10)
    args = parser.parse_args()
    question = load_question(DEFAULT_BANK_DIR / "softmax")
    size = question.spec.benchmark.size  # type: ignore[union-attr]
    config = GradeConfig(launcher=default_launcher())
    reference = question.reference("torch")
    engine_ms, speedups, autorange = [], [], []
    for index in range(args.grades):
        result = grade(question, "torch", reference, "submit", config=config)
        assert result.accepted, result.message
        engine_ms.append(result.timing.submission_ms)
        speedups.append(result.timing.speedup)
        autorange.append(autorange_ms(int(size["rows"]), int(size["cols"])))
        print(f"grade {index + 1}: engine {engine_ms[-1]:.3f} ms, autorange {autorange[-1]:.3f} ms, "
              f"speedup {speedups[-1]:.3f} [{result.timing.speedup_ci_low:.2f}, "
              f"{result.timing.speedup_ci_high:.2f}] clock={result.timing.clock}")
    engine, bench = statistics.median(engine_ms), statistics.median(autorange)
    cv = statistics.stdev(speedups) / statistics.mean(speedups)
    print(f"\nsoftmax {int(size['rows'])}x{int(size['cols'])} float32, torch CPU, 1 thread")
    print(f"engine submission time (median of {args.grades} grades): {engine:.3f} ms")
    print(f"blocked_autorange median (median of {args.grades} runs):  {bench:.3f} ms")
    print(f"engine / autorange: {engine / bench:.3f} (goal: within 0.90-1.10)")
    print(f"speedup of the reference against itself over {args.grades} grades: mean {statistics.mean(speedups):.3f}, "
          f"CV {cv * 100:.2f} % (goal < 5 %)")


if __name__ == "__main__":
    main()
