"""Warm runners against cold starts, side by side in one run.

Prints, for `softmax` in run mode (torch and jax):
  * bare:  a cold `python -c` that imports the framework and calls the reference once
           (no sandbox, no judge): the floor for a cold start;
  * cli:   `dojo grade --mode run` as a fresh process (cold sandboxed runners);
  * warm:  `grade()` through a warm runner pool and the expected-output cache, as a worker
           does it (goal: under half the bare cold run); for JAX also with the shared compile
           cache, warmed once for the examples' shapes before timing, as a worker's pool does
           after the first grade (--no-compile-cache leaves it out);
then throughput (grades per minute per worker core, pool on and off) and the memory the
pooled runners hold.

    .venv/bin/python bench/bench_warm.py [--repeats 7] [--device cuda [--gpu /dev/nvidia0]]

With --device cuda every side computes on the GPU: the bare run moves its input there, and
the runners get the GPU's device node bound into their sandbox.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workers.grading.bank import DEFAULT_BANK_DIR, load_question
from workers.grading.cache import ExpectedCache
from workers.grading.judge import GradeConfig, grade
from workers.grading.pool import FreshRunners, PoolKey, RunnerPool
from workers.grading.runners import Hardware
from workers.grading.sandbox import default_launcher
from workers.grading.warmcache import WarmCache

QUESTION = load_question(DEFAULT_BANK_DIR / "softmax")
BARE = {
    "torch": "import torch\nexec(open({path!r}).read())\n"
             "print(float(softmax(torch.randn(2, 4, device={device!r})).sum()))",
    "jax": "import jax.numpy as jnp, numpy as np\nexec(open({path!r}).read())\n"
           "print(float(softmax(jnp.asarray(np.random.randn(2, 4), jnp.float32)).sum()))",
}


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def bare_ms(framework: str, hardware: Hardware) -> float:
    path = str(DEFAULT_BANK_DIR / "softmax" / framework / "reference.py")
    env = {**os.environ, "JAX_PLATFORMS": "cpu" if hardware.device == "cpu" else "cuda"}
    code = BARE[framework].format(path=path, device=hardware.device)
    return timed(lambda: subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=env))


def cli_ms(framework: str, hardware: Hardware) -> float:
    solution = DEFAULT_BANK_DIR / "softmax" / "solutions" / f"stable.{framework}.py"
    cmd = [sys.executable, "-m", "app.cli", "grade", str(solution), "--question", "softmax", "--framework",
           framework, "--mode", "run", "--json", "--device", hardware.device]
    if hardware.gpu_devices:
        cmd += ["--gpu", hardware.gpu_devices[0]]
    return timed(lambda: subprocess.run(cmd, check=True, capture_output=True))


# A softmax that prints, for each call the judge makes, how many of its programs JAX found in
# the persistent cache and how many it compiled (neither: all were in memory already).
CACHE_PROBE = """
import json, jax, jax.numpy as jnp
_events = []
jax.monitoring.register_event_listener(lambda name, **_: _events.append(name))
def softmax(x):
    _events.clear()
    e = jnp.exp(x - x.max(axis=-1, keepdims=True))
    out = e / e.sum(axis=-1, keepdims=True)
    if not isinstance(x, jax.core.Tracer):
        print(json.dumps([_events.count("/jax/compilation_cache/cache_" + k) for k in ("hits", "misses")]))
    return out
"""


def warm_grader(framework: str, pool_size: int, hardware: Hardware,
                warm_cache: WarmCache | None = None) -> tuple[GradeConfig, FreshRunners]:
    launcher = default_launcher()
    limits = hardware.limits(QUESTION.spec.limits.memory_limit_mb, QUESTION.spec.limits.output_limit_kb)
    key = PoolKey(framework, limits)
    runners: FreshRunners = (RunnerPool(launcher, hardware, [key], size=pool_size, warm_cache=warm_cache)
                             if pool_size else FreshRunners(launcher, hardware))
    if isinstance(runners, RunnerPool):
        runners.wait_until_full()
    config = GradeConfig(launcher=launcher, hardware=hardware, runners=runners, expected_cache=ExpectedCache(),
                         warm_cache=warm_cache)
    return config, runners


def warm_compile_cache(framework: str, config: GradeConfig, pool: FreshRunners,
                       hardware: Hardware) -> tuple[GradeConfig, FreshRunners]:
    """Wait for the pool's warm-up of the examples' shapes (reported by the first grade), then
    start the pool afresh: runners started before the cache existed do not have it bound."""
    cache = config.warm_cache
    assert cache is not None and isinstance(pool, RunnerPool)
    started = time.perf_counter()
    assert cache.wait_idle(600), "the compile cache's warm-up did not finish"
    warmed_s = time.perf_counter() - started
    stats = pool.stats()
    pool.close()
    fresh, runners = warm_grader(framework, pool.size, hardware, cache)
    fresh.expected_cache = config.expected_cache
    entries = cache.readable_dir()
    count = len(list(entries.iterdir())) if entries else 0
    print(f"{framework}: compile cache warmed in {warmed_s:.1f} s after the first grade "
          f"({stats['warm_jobs']} job(s), {stats['warm_failures']} failed): {count} programs")
    return fresh, runners


def cache_use(config: GradeConfig) -> str:
    """Whether the examples' first calls found their programs in the shared cache."""
    result = grade(QUESTION, "jax", CACHE_PROBE, "run", config=config)
    assert result.accepted, result.message
    counts = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("[")]
    hits, misses = (sum(c[i] for c in counts) for i in (0, 1))
    if not hits and not misses:  # dispatched from memory: the pooled runner's warm-up ran them
        return "examples' programs already in the pooled runner's memory: no lookups, none compiled"
    used = "USED" if hits and not misses else "not used" if not hits else "partly used"
    return f"shared compile cache {used}: {hits} programs found, {misses} compiled on the examples' first calls"


def warm_ms(framework: str, config: GradeConfig) -> float:
    code = (DEFAULT_BANK_DIR / "softmax" / "solutions" / f"stable.{framework}.py").read_text()

    def run() -> None:
        result = grade(QUESTION, framework, code, "run", config=config)
        assert result.accepted, result.message

    return timed(run)


def pooled_rss_mb(pool: RunnerPool) -> float:
    total = 0.0
    for queue in list(pool._ready.values()):
        for client in list(queue):  # the refill thread may be adding to it
            for pid in _tree(client.process.pid):
                try:
                    rss_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
                except (OSError, IndexError):
                    continue
                total += rss_pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    return total


def _tree(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [pid, *[p for child in out for p in _tree(int(child))]]


def throughput(framework: str, config: GradeConfig, seconds: float) -> float:
    done, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        warm_ms(framework, config)
        done += 1
    return done / seconds * 60


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--throughput-seconds", type=float, default=20)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--gpu", default="/dev/nvidia0", help="the GPU's device node, with --device cuda")
    parser.add_argument("--frameworks", default="torch,jax")
    parser.add_argument("--no-compile-cache", action="store_true", help="JAX without the shared compile cache")
    args = parser.parse_args()
    hardware = Hardware.gpu(args.gpu) if args.device == "cuda" else Hardware()
    print(f"softmax, run mode, on {hardware.label}, {os.cpu_count()} cores; "
          f"medians of {args.repeats}, measured alternately\n")
    cache_dir = tempfile.TemporaryDirectory(prefix="dojo-bench-jax-cache-")
    for framework in args.frameworks.split(","):
        compiled = framework == "jax" and not args.no_compile_cache
        warm_cache = WarmCache(Path(cache_dir.name) / "cpu") if compiled else None
        config, pool = warm_grader(framework, pool_size=2, hardware=hardware, warm_cache=warm_cache)
        warm_ms(framework, config)  # fills the expected-output cache once (and reports the examples' shapes)
        if compiled:
            config, pool = warm_compile_cache(framework, config, pool, hardware)
            assert isinstance(pool, RunnerPool)
            pool.wait_until_full()
            print(f"{framework}: {cache_use(config)}")
        bare, cli, warm = [], [], []
        for _ in range(args.repeats):
            bare.append(bare_ms(framework, hardware))
            cli.append(cli_ms(framework, hardware))
            assert isinstance(pool, RunnerPool)
            pool.wait_until_full()
            warm.append(warm_ms(framework, config))
        b, c, w = (statistics.median(v) for v in (bare, cli, warm))
        print(f"{framework}: bare cold python {b:.0f} ms | dojo grade CLI (cold sandboxes) {c:.0f} ms | "
              f"warm pool grade {w:.0f} ms  -> warm/bare = {w / b:.2f} (goal < 0.5)")
        assert isinstance(pool, RunnerPool)
        print(f"{framework}: pooled runners hold {pooled_rss_mb(pool):.0f} MB RSS for {pool.size} warm runners")
        warm_rate = throughput(framework, config, args.throughput_seconds)
        pool.close()
        cold_config, _ = warm_grader(framework, pool_size=0, hardware=hardware)
        cold_config.expected_cache = None
        cold_rate = throughput(framework, cold_config, args.throughput_seconds)
        # A CPU worker grades on every core; a GPU worker drives its one GPU.
        share, unit = (os.cpu_count() or 1, "core") if hardware.device == "cpu" else (1, "GPU")
        print(f"{framework}: throughput {warm_rate / share:.1f} grades/min/{unit} with the pool, "
              f"{cold_rate / share:.1f} without ({warm_rate / max(cold_rate, 1e-9):.1f}x)\n")
    cache_dir.cleanup()


if __name__ == "__main__":
    main()
