"""Grades attacks in a process of its own and reports how much each grew the judge's memory.

    python -m tests.grading.judge_probe attacks.json

`attacks.json` is a list of {"framework", "code", "mode"} graded against the softmax question
with the real sandbox. One JSON line per attack: status, message, stderr and `rss_growth_mb`,
the growth of this process's peak resident memory (ru_maxrss) over its level before the
first grade. Runners are separate processes, so this is the judge's own memory.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from workers.grading import compare, speed  # noqa: F401  (imported now, not during a grade)
from workers.grading.bank import DEFAULT_BANK_DIR, load_question
from workers.grading.judge import GradeConfig, grade
from workers.grading.sandbox import BwrapLauncher


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(path: str) -> None:
    attacks = json.loads(Path(path).read_text())
    question = load_question(DEFAULT_BANK_DIR / "softmax")
    config = GradeConfig(launcher=BwrapLauncher(), speed_budget_scale=0.25)
    baseline = peak_rss_mb()
    for attack in attacks:
        result = grade(question, attack["framework"], attack["code"], attack.get("mode", "run"), config=config)
        print(json.dumps({
            "status": result.status.value, "message": result.message, "stderr": result.stderr[-2000:],
            "rss_growth_mb": peak_rss_mb() - baseline,
        }), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
