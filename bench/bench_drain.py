"""200 submissions queued at once: all graded, none lost, and the time to drain the queue.

The submissions go through the API (from 8 client threads, the per-user limit raised for
the run) to a real worker process; then the run waits until every row has its verdict and
checks that each has exactly one.

    .venv/bin/python bench/bench_drain.py [--count 200] [--concurrency 2] [--backend embedded|redis|both]
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from _stack import BACKENDS, api_server, backend_available, signed_up, stack_with_worker
from sqlalchemy import func, select

from app.core.settings import REPO_ROOT
from app.submissions.models import Submission, SubmissionEvent
from tests.server.support import Stack

CODE = (REPO_ROOT / "questions/softmax/solutions/stable.torch.py").read_text()
BODY = {"question": "softmax", "framework": "torch", "code": CODE, "mode": "run"}
TIMEOUT_S = 1800.0


def _counts(stack: Stack, ids: list[str]) -> tuple[int, int, dict[str, int]]:
    with stack.database.session() as db:
        done = db.scalar(select(func.count()).where(Submission.id.in_(ids), Submission.state == "done"))
        verdicts = db.scalar(
            select(func.count()).where(SubmissionEvent.submission_id.in_(ids), SubmissionEvent.type == "verdict")
        )
        statuses = dict(
            db.execute(
                select(Submission.status, func.count()).where(Submission.id.in_(ids)).group_by(Submission.status)
            ).all()
        )
    return int(done or 0), int(verdicts or 0), {str(k): int(v) for k, v in statuses.items()}


def run_backend(name: str, count: int, concurrency: int) -> None:
    problem = backend_available(name)
    if problem:
        print(f"{name}: skipped ({problem})")
        return
    values = {"max_queued_per_user": count + 10, "worker_concurrency": concurrency, "runner_pool_size": 2}
    with stack_with_worker(name, **values) as (stack, _worker, _tmp), api_server(stack) as base:
        headers = signed_up(base)
        http = httpx.Client(base_url=base, timeout=60, limits=httpx.Limits(max_connections=8))
        warm = http.post("/api/submissions", json=BODY, headers=headers).json()["id"]
        while http.get(f"/api/submissions/{warm}", headers=headers).json()["state"] != "done":
            time.sleep(0.1)
        started = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            responses = list(
                pool.map(lambda _: http.post("/api/submissions", json=BODY, headers=headers), range(count))
            )
        submitted_s = time.perf_counter() - started
        ids = [r.json()["id"] for r in responses if r.status_code == 202]
        deadline = time.monotonic() + TIMEOUT_S
        while (done := _counts(stack, ids)[0]) < len(ids) and time.monotonic() < deadline:
            time.sleep(0.25)
        drained_s = time.perf_counter() - started
        done, verdicts, statuses = _counts(stack, ids)
    lost = len(ids) - done
    print(
        f"{name} ({BACKENDS[name]}), 1 worker, concurrency {concurrency}:\n"
        f"  accepted {len(ids)}/{count} (HTTP 202) in {submitted_s:.1f} s\n"
        f"  drained in {drained_s:.1f} s ({len(ids) / drained_s:.1f} verdicts/s), "
        f"graded {done}, lost {lost}, verdict events {verdicts}, statuses {statuses}\n"
        f"  {'OK: every submission has exactly one verdict' if verdicts == done == len(ids) else 'FAILED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=2, help="worker pool processes")
    parser.add_argument("--backend", choices=["embedded", "redis", "both"], default="both")
    args = parser.parse_args()
    for name in ("embedded", "redis") if args.backend == "both" else (args.backend,):
        run_backend(name, min(args.count, 1000), args.concurrency)


if __name__ == "__main__":
    main()
