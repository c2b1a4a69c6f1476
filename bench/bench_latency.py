"""Submit-to-verdict latency of an accepted `softmax` in run mode, on a warm worker.

For each backend (embedded: SQLite + the SQLAlchemy transport; redis: PostgreSQL + Redis), a
real API server and a real worker process; each run POSTs the submission and follows its
server-sent events until the verdict. Goal: median under 0.5 s.

    .venv/bin/python bench/bench_latency.py [--runs 20] [--backend embedded|redis|both]
"""

from __future__ import annotations

import argparse
import statistics
import time

import httpx
from _stack import BACKENDS, api_server, backend_available, percentile, signed_up, stack_with_worker

from app.core.settings import REPO_ROOT

CODE = (REPO_ROOT / "questions/softmax/solutions/stable.torch.py").read_text()
BODY = {"question": "softmax", "framework": "torch", "code": CODE, "mode": "run"}


def one_submission(http: httpx.Client, headers: dict[str, str]) -> tuple[float, float, str]:
    """(client seconds from POST to the verdict event, server latency_ms, status)."""
    started = time.perf_counter()
    accepted = http.post("/api/submissions", json=BODY, headers=headers)
    accepted.raise_for_status()
    submission_id = accepted.json()["id"]
    with http.stream("GET", f"/api/submissions/{submission_id}/events", headers=headers) as stream:
        for line in stream.iter_lines():
            if line.startswith("event:") and line.split(":", 1)[1].strip() == "verdict":
                break
    elapsed = time.perf_counter() - started
    body = http.get(f"/api/submissions/{submission_id}", headers=headers).json()
    return elapsed, float(body["latency_ms"]), str(body["status"])


def run_backend(name: str, runs: int, pause_s: float) -> None:
    problem = backend_available(name)
    if problem:
        print(f"{name}: skipped ({problem})")
        return
    with stack_with_worker(name, runner_pool_size=2) as (stack, _worker, _tmp), api_server(stack) as base:
        http = httpx.Client(base_url=base, timeout=120)
        headers = signed_up(base)
        for _ in range(3):  # warm: runners started, expected outputs cached
            one_submission(http, headers)
            time.sleep(pause_s)
        client_s, server_ms, statuses = [], [], set()
        for _ in range(runs):
            elapsed, latency_ms, status = one_submission(http, headers)
            client_s.append(elapsed)
            server_ms.append(latency_ms)
            statuses.add(status)
            time.sleep(pause_s)  # a candidate's next run comes seconds later, not at once
    median = statistics.median(client_s)
    print(
        f"{name} ({BACKENDS[name]}): {runs} runs, statuses {sorted(statuses)}\n"
        f"  submit-to-verdict (client, POST to SSE verdict): median {median * 1000:.0f} ms, "
        f"p95 {percentile(client_s, 95) * 1000:.0f} ms, min {min(client_s) * 1000:.0f} ms, "
        f"max {max(client_s) * 1000:.0f} ms\n"
        f"  server latency_ms (row created to verdict written): median "
        f"{statistics.median(server_ms):.0f} ms, p95 {percentile(server_ms, 95):.0f} ms\n"
        f"  goal median < 500 ms: {'met' if median < 0.5 else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pause", type=float, default=3.0, help="seconds between submissions")
    parser.add_argument("--backend", choices=["embedded", "redis", "both"], default="both")
    args = parser.parse_args()
    for name in ("embedded", "redis") if args.backend == "both" else (args.backend,):
        run_backend(name, args.runs, args.pause)


if __name__ == "__main__":
    main()
