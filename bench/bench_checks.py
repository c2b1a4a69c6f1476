"""`questions check` time, this tree against another checkout, side by side in one run.

A check grades every reference and solutions/ file of a question in submit mode; for the whole
bank it is most of CI's time. This bench runs the same check (the same questions, two grades
at a time, the CI's speed budget) alternately with this tree's engine and a baseline tree's,
each in a fresh process, and prints each round, the medians and their ratio.

    git worktree add /tmp/dojo-before <revision>
    .venv/bin/python bench/bench_checks.py --baseline /tmp/dojo-before [--rounds 2] [SLUG ...]

Without slugs it checks a mix of heavy and light questions in both frameworks.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
DEFAULT_SLUGS = ["mlp-classifier", "causal-attention", "cumulative-logsumexp", "adamw-step", "softmax",
                 "linear-regression"]

# Run in the tree under test: its own engine, with what that engine offers checks.
CHECK = """
import inspect, json, sys, time
from workers.grading import checks
from workers.grading.bank import load_bank
from workers.grading.judge import GradeConfig
from workers.grading.sandbox import default_launcher

bank = load_bank()
options = {"share_jax_compiles": True}
options = {k: v for k, v in options.items() if k in inspect.signature(checks.check_questions).parameters}
config = GradeConfig(launcher=default_launcher(), speed_budget_scale=0.25)
started = time.perf_counter()
outcomes = checks.check_questions([bank[s] for s in sys.argv[1:]], config, parallel=2, **options)
print(json.dumps({"seconds": time.perf_counter() - started, "items": len(outcomes),
                  "failed": [o.describe() for o in outcomes if not o.ok], "options": options}))
"""


def check_once(tree: Path, slugs: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", CHECK, *slugs], cwd=tree, env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the check in {tree} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="another checkout of the project")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("slugs", nargs="*", default=DEFAULT_SLUGS)
    args = parser.parse_args()
    trees = {"baseline": args.baseline.resolve(), "this tree": HERE}
    seconds: dict[str, list[float]] = {name: [] for name in trees}
    for round_number in range(1, args.rounds + 1):
        for name, tree in trees.items():  # alternating, so drift hits both sides alike
            result = check_once(tree, args.slugs)
            seconds[name].append(result["seconds"])
            verdicts = "all verdicts as expected" if not result["failed"] else "; ".join(result["failed"])
            print(f"round {round_number} {name:9s} {result['seconds']:7.1f} s  {result['items']} files  "
                  f"{result['options'] or 'no options'}  {verdicts}", flush=True)
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    print(f"median: baseline {medians['baseline']:.1f} s, this tree {medians['this tree']:.1f} s, "
          f"ratio {medians['this tree'] / medians['baseline']:.2f} ({', '.join(args.slugs)})")


if __name__ == "__main__":
    main()
