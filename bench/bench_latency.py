"""Submit-to-verdict latency of an accepted `softmax` (torch), on a warm worker.

For each backend (embedded: SQLite + the SQLAlchemy transport; redis: PostgreSQL + Redis), a
real API server and a real worker process; each run POSTs the submission and follows its
server-sent events until the verdict. Goal: run mode under 250 ms at the median. Submit mode
also runs the hidden tests and times the answer against the reference; its goal is a median
below a bare cold interpreter's (a fresh `python` that imports torch and runs the same softmax
once on the benchmark-sized input), which is measured in the same run.

    .venv/bin/python bench/bench_latency.py [--runs 20] [--backend embedded|redis|both] [--mode run|submit|both]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import httpx
from _stack import BACKENDS, api_server, backend_available, percentile, signed_up, stack_with_worker

from app.core.settings import REPO_ROOT

CODE = (REPO_ROOT / "questions/softmax/solutions/stable.torch.py").read_text()
GOAL_S: dict[str, float | None] = {"run": 0.25, "submit": None}  # submit: the bare interpreter's median
BARE = (
    "import torch\n"
    + CODE
    + "\nx = torch.randn(2048, 1024) * 3\nsoftmax(x).sum().item()\n"
)


def bare_cold_interpreter_s(runs: int) -> list[float]:
    """Wall time of a fresh interpreter that imports torch and runs the answer once."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", BARE], check=True)
        times.append(time.perf_counter() - started)
    return times


def one_submission(http: httpx.Client, headers: dict[str, str], mode: str) -> tuple[float, float, str]:
    """(client seconds from POST to the verdict event, server latency_ms, status)."""
    body = {"question": "softmax", "framework": "torch", "code": CODE, "mode": mode}
    started = time.perf_counter()
    accepted = http.post("/api/submissions", json=body, headers=headers)
    accepted.raise_for_status()
    submission_id = accepted.json()["id"]
    with http.stream("GET", f"/api/submissions/{submission_id}/events", headers=headers) as stream:
        for line in stream.iter_lines():
            if line.startswith("event:") and line.split(":", 1)[1].strip() == "verdict":
                break
    elapsed = time.perf_counter() - started
    body = http.get(f"/api/submissions/{submission_id}", headers=headers).json()
    return elapsed, float(body["latency_ms"]), str(body["status"])


def run_backend(name: str, modes: list[str], runs: int, pause_s: float) -> None:
    problem = backend_available(name)
    if problem:
        print(f"{name}: skipped ({problem})")
        return
    with stack_with_worker(name, runner_pool_size=2) as (stack, _worker, _tmp), api_server(stack) as base:
        http = httpx.Client(base_url=base, timeout=120)
        headers = signed_up(base)
        for mode in modes:
            for _ in range(3):  # warm: runners started, expected outputs and reference cached
                one_submission(http, headers, mode)
                time.sleep(pause_s)
            client_s, server_ms, statuses = [], [], set()
            for _ in range(runs):
                elapsed, latency_ms, status = one_submission(http, headers, mode)
                client_s.append(elapsed)
                server_ms.append(latency_ms)
                statuses.add(status)
                time.sleep(pause_s)  # a candidate's next run comes seconds later, not at once
            report(name, mode, client_s, server_ms, statuses)


def report(name: str, mode: str, client_s: list[float], server_ms: list[float], statuses: set[str]) -> None:
    median = statistics.median(client_s)
    goal = GOAL_S[mode]
    verdict = ""
    if goal is not None:
        met = "met" if median < goal else "NOT met"
        verdict = f"\n  goal median < {goal * 1000:.0f} ms: {met} (ratio {median / goal:.2f})"
    print(
        f"{name} ({BACKENDS[name]}), {mode} mode: {len(client_s)} runs, statuses {sorted(statuses)}\n"
        f"  submit-to-verdict (client, POST to SSE verdict): median {median * 1000:.0f} ms, "
        f"p95 {percentile(client_s, 95) * 1000:.0f} ms, min {min(client_s) * 1000:.0f} ms, "
        f"max {max(client_s) * 1000:.0f} ms\n"
        f"  server latency_ms (row created to verdict written): median "
        f"{statistics.median(server_ms):.0f} ms, p95 {percentile(server_ms, 95):.0f} ms{verdict}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pause", type=float, default=3.0, help="seconds between submissions")
    parser.add_argument("--backend", choices=["embedded", "redis", "both"], default="both")
    parser.add_argument("--mode", choices=["run", "submit", "both"], default="both")
    args = parser.parse_args()
    modes = ["run", "submit"] if args.mode == "both" else [args.mode]
    if "submit" in modes:
        bare = bare_cold_interpreter_s(max(5, args.runs // 2))
        GOAL_S["submit"] = statistics.median(bare)
        print(f"bare cold interpreter (import torch, softmax once): median {statistics.median(bare) * 1000:.0f} ms, "
              f"min {min(bare) * 1000:.0f} ms, max {max(bare) * 1000:.0f} ms over {len(bare)} runs", flush=True)
    for name in ("embedded", "redis") if args.backend == "both" else (args.backend,):
        run_backend(name, modes, args.runs, args.pause)


if __name__ == "__main__":
    main()
