"""What the sandbox adds to a run: start -> first response -> finish, sandboxed vs not.

The runner is trivial (it answers "ready" and exits when its request pipe closes), so the
figures are the launchers' own cost: the interpreter start-up is in both columns and
cancels out in the difference. Runs alternate between the launchers so that machine load
drifts affect both alike.

    .venv/bin/python bench/bench_sandbox_overhead.py [--runs 30]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workers.grading.sandbox import BwrapLauncher, Launcher, Limits, UnsandboxedLauncher
from workers.grading.sandbox.runtime import runner_spec_for_current_interpreter

BOOT = """\
import os
in_fd, out_fd = (int(fd) for fd in os.environ["DOJO_CHANNEL_FDS"].split(","))
os.write(out_fd, b"ready\\n")
while os.read(in_fd, 65536):
    pass
os._exit(0)
"""


def one_run(launcher: Launcher, harness: Path, limits: Limits) -> float:
    spec = runner_spec_for_current_interpreter(harness)
    started = time.perf_counter()
    proc = launcher.start(spec, limits)
    if proc.from_child.readline() != b"ready\n":
        raise RuntimeError(f"the runner did not start: {proc.finish()}")
    info = proc.finish()
    elapsed = time.perf_counter() - started
    if info.returncode != 0 or info.leftover_processes:
        raise RuntimeError(f"unexpected end of run: {info}")
    return elapsed * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--cgroup-parent",
        default="tensordojo-bench",
        help="parent of the runs' cgroups; its own, so that other runs on a shared host do "
        "not share its CPU weight (pass tensordojo for the workers' default)",
    )
    args = parser.parse_args()
    limits = Limits(memory_limit_mb=512, pids_limit=32)
    bwrap = BwrapLauncher(cgroup_parent=args.cgroup_parent, require_cgroups=True)
    launchers: dict[str, Launcher] = {"unsandboxed": UnsandboxedLauncher(), "bwrap": bwrap}
    times: dict[str, list[float]] = {name: [] for name in launchers}
    with tempfile.TemporaryDirectory() as tmp:
        harness = Path(tmp)
        harness.chmod(0o755)
        (harness / "boot.py").write_text(BOOT)
        for launcher in launchers.values():  # warm the page cache and imports
            one_run(launcher, harness, limits)
        for _ in range(args.runs):
            for name, launcher in launchers.items():
                times[name].append(one_run(launcher, harness, limits))
    setup = bwrap.cgroup_setup()
    for parent in setup.parents() if setup else []:
        with contextlib.suppress(OSError):  # still used by another run: leave it
            parent.rmdir()
    print(f"{args.runs} runs each, start -> first response -> finish, in ms")
    print(f"{'launcher':<12} {'median':>8} {'p95':>8}")
    for name, values in times.items():
        print(f"{name:<12} {statistics.median(values):8.1f} {percentile(values, 0.95):8.1f}")
    base, boxed = times["unsandboxed"], times["bwrap"]
    print(
        f"{'overhead':<12} {statistics.median(boxed) - statistics.median(base):8.1f} "
        f"{percentile(boxed, 0.95) - percentile(base, 0.95):8.1f}"
    )


if __name__ == "__main__":
    main()
