"""On a GPU node: what the pooled runners' device warm-up saves, and that a runner sees only its GPU.

Prints, for `softmax` in run mode:
  * which NVIDIA devices a sandboxed runner can open and how many GPUs its framework counts
    (it must be exactly the bound one);
  * the warm pool grade's latency with pooled runners that warmed their GPU before they were
    served (harness/device_warmup.py) and with runners that did not, alternately, medians of
    --repeats, with the warm-up's own time as the runners reported it.

    PYTHONPATH=. .venv/bin/python bench/gpu_check.py [--gpu /dev/nvidia0] [--framework torch|jax] [--repeats 7]

Without a GPU it says so and exits with status 2: nothing here runs on the CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from workers.grading.bank import DEFAULT_BANK_DIR, load_question
from workers.grading.cache import ExpectedCache
from workers.grading.judge import GradeConfig, grade
from workers.grading.pool import FreshRunners, PoolKey, RunnerPool
from workers.grading.runners import Hardware
from workers.grading.sandbox import default_launcher
from workers.grading.sandbox.base import Launcher

NO_GPU_EXIT = 2
# A softmax that first reports what the candidate's process can see of the machine's GPUs.
PROBE = {
    "torch": """
import json, os, torch
print("PROBE" + json.dumps({"dev": sorted(n for n in os.listdir("/dev") if n.startswith("nvidia")),
                            "count": torch.cuda.device_count(), "gpu": torch.cuda.is_available()}))
def softmax(x):
    return torch.softmax(x, dim=-1)
""",
    "jax": """
import json, os, jax
print("PROBE" + json.dumps({"dev": sorted(n for n in os.listdir("/dev") if n.startswith("nvidia")),
                            "count": len(jax.devices()), "gpu": jax.devices()[0].platform == "gpu"}))
def softmax(x):
    return jax.nn.softmax(x, axis=-1)
""",
}


def visible_devices(framework: str, launcher: Launcher, hardware: Hardware, gpu: str) -> bool:
    question = load_question(DEFAULT_BANK_DIR / "softmax")
    config = GradeConfig(launcher=launcher, hardware=hardware, runners=FreshRunners(launcher, hardware))
    result = grade(question, framework, PROBE[framework], "run", config=config)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("PROBE")), None)
    if line is None:
        print(f"the probe printed nothing: {result.status.value} {result.message}\n{result.stderr[-2000:]}")
        return False
    seen = json.loads(line.removeprefix("PROBE"))
    others = [n for n in seen["dev"] if n[6:].isdigit() and f"/dev/{n}" != gpu]
    alone = seen["gpu"] and seen["count"] == 1 and not others and os.path.basename(gpu) in seen["dev"]
    print(f"{framework} runner sees /dev: {', '.join(seen['dev'])}; {seen['count']} GPU(s) counted; "
          f"other GPUs visible: {others or 'none'} -> {'OK, only its bound device' if alone else 'FAILED'}")
    return bool(alone)


def pool_for(framework: str, launcher: Launcher, hardware: Hardware, warm_device: bool) -> tuple[RunnerPool, PoolKey]:
    question = load_question(DEFAULT_BANK_DIR / "softmax")
    limits = question.spec.limits
    key = PoolKey(framework, hardware.limits(limits.memory_limit_mb, limits.output_limit_kb))
    return RunnerPool(launcher, hardware, [key], size=2, warm_device=warm_device), key


def warm_grade_ms(framework: str, pool: RunnerPool, key: PoolKey, cache: ExpectedCache,
                  launcher: Launcher, hardware: Hardware) -> tuple[float, int | None]:
    """One run-mode grade through a full pool; the served runner's reported warm-up ms."""
    question = load_question(DEFAULT_BANK_DIR / "softmax")
    code = (DEFAULT_BANK_DIR / "softmax" / "solutions" / f"stable.{framework}.py").read_text()
    assert pool.wait_until_full(600), pool.stats()
    warmup_ms = pool._ready[key][0].info.get("warmup_ms")
    config = GradeConfig(launcher=launcher, hardware=hardware, runners=pool, expected_cache=cache)
    started = time.perf_counter()
    result = grade(question, framework, code, "run", config=config)
    elapsed = (time.perf_counter() - started) * 1000
    assert result.accepted, (result.message, result.stderr[-2000:])
    return elapsed, warmup_ms if isinstance(warmup_ms, int) else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gpu", default=os.environ.get("DOJO_GPU_DEVICE", "/dev/nvidia0"))
    parser.add_argument("--framework", default="torch", choices=["torch", "jax"])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    if not os.path.exists(args.gpu):
        print(f"no GPU here: {args.gpu} does not exist. Run this on a GPU node (--gpu names its device node).")
        return NO_GPU_EXIT
    launcher, hardware = default_launcher(), Hardware.gpu(args.gpu)
    print(f"softmax, run mode, {args.framework} on {hardware.label}, {os.cpu_count()} cores\n")
    alone = visible_devices(args.framework, launcher, hardware, args.gpu)
    cache = ExpectedCache()  # shared: both sides find the examples' answers cached
    pools = {warm: pool_for(args.framework, launcher, hardware, warm) for warm in (True, False)}
    try:
        warm_grade_ms(args.framework, *pools[True], cache, launcher, hardware)  # fills the expected cache
        times: dict[bool, list[float]] = {True: [], False: []}
        warmups: list[int] = []
        for repeat in range(args.repeats):
            for warm in ((True, False) if repeat % 2 == 0 else (False, True)):
                elapsed, warmup_ms = warm_grade_ms(args.framework, *pools[warm], cache, launcher, hardware)
                times[warm].append(elapsed)
                if warm and warmup_ms is not None:
                    warmups.append(warmup_ms)
    finally:
        for pool, _ in pools.values():
            pool.close()
    with_ms, without_ms = (statistics.median(times[w]) for w in (True, False))
    warmup = f"{statistics.median(warmups)} ms per runner, median" if warmups else "not reported (no warm-up ran)"
    print(f"warm pool grade, medians of {args.repeats}: with the device warm-up {with_ms:.0f} ms, "
          f"without {without_ms:.0f} ms (all: {[round(t) for t in times[True]]} / "
          f"{[round(t) for t in times[False]]}); warm-up itself {warmup}, paid while the pool refills")
    return 0 if alone else 1


if __name__ == "__main__":
    sys.exit(main())
