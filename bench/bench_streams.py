"""Open event streams against list latency: queued submissions, N open streams, four clients.

For each stack (embedded SQLite + SQLAlchemy transport; PostgreSQL + Redis) the API runs as its
own uvicorn process with no grading worker, so every submission stays queued and its stream
stays open. Accounts of 4 submissions each (a hiring day: everyone watching their runs) open
one stream per submission; meanwhile four keep-alive clients time `GET /api/questions`. Then a
verdict is stored for a sample of the open streams (as the worker stores it) and the time until
it reaches its stream is measured. Memory per stream is the server's RSS growth divided by N.

    .venv/bin/python bench/bench_streams.py [--streams 20,50,100,500] [--seconds 5] [--stacks embedded,redis]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from _stack import BACKENDS, backend_available, percentile
from bench_api import _load

from app.accounts.service import create_user, issue_token
from app.core.settings import REPO_ROOT
from app.submissions import lifecycle
from tests.server.support import Stack, free_port, postgres_stack, sqlite_stack

PER_ACCOUNT = 4
OPEN_TIMEOUT_S = 30.0
LIST_CLIENTS = 4
VERDICT_SAMPLE = 20
VERDICT = {"status": "accepted", "message": "bench", "tests": [], "timing": {}}


class Stream:
    """One raw SSE connection: open once its first stored event arrived, then watched."""

    def __init__(self, submission_id: str, token: str) -> None:
        self.submission_id, self.token = submission_id, token
        self.opened = asyncio.Event()
        self.verdict_at: float | None = None
        self.status = 0
        self._writer: asyncio.StreamWriter | None = None

    async def run(self, host: str, port: int) -> None:
        reader, self._writer = await asyncio.open_connection(host, port)
        self._writer.write(
            f"GET /api/submissions/{self.submission_id}/events HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: Bearer {self.token}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        self.status = int(head.split(b" ", 2)[1])
        seen = b""
        while chunk := await reader.read(65536):
            seen = (seen + chunk)[-4096:]
            if b"event: queued" in seen or b"event: running" in seen:
                self.opened.set()
            if b"event: verdict" in seen:
                self.verdict_at = time.perf_counter()
                return

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def _accounts(stack: Stack, count: int) -> list[str]:
    tokens = []
    with stack.database.session() as db:
        for _ in range(count):
            user = create_user(db, f"bench-{uuid.uuid4().hex[:12]}@example.com", None)
            tokens.append(issue_token(db, user)[0])
    return tokens


def _submissions(base: str, tokens: list[str]) -> list[tuple[str, str]]:
    """PER_ACCOUNT queued submissions per account: (submission id, its owner's token)."""
    code = "def softmax(x):\n    return x\n"
    body = {"question": "softmax", "framework": "torch", "code": code, "mode": "run"}
    made = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for token in tokens:
            for _ in range(PER_ACCOUNT):
                response = client.post("/api/submissions", json=body, headers={"Authorization": f"Bearer {token}"})
                response.raise_for_status()
                made.append((response.json()["id"], token))
    return made


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _list_p99(base: str, seconds: float) -> tuple[float, int]:
    _count, errors, latencies = await _load(f"{base}/api/questions", seconds, LIST_CLIENTS)
    return percentile(latencies, 99) * 1000 if latencies else float("inf"), errors


async def _level(stack: Stack, base: str, pid: int, subs: list[tuple[str, str]], seconds: float) -> dict[str, Any]:
    url = httpx.URL(base)
    streams = [Stream(sid, token) for sid, token in subs]
    before = _rss_kib(pid)
    tasks = [asyncio.create_task(s.run(url.host, url.port or 80)) for s in streams]
    started = time.perf_counter()
    waits = [asyncio.create_task(s.opened.wait()) for s in streams]
    await asyncio.wait(waits, timeout=OPEN_TIMEOUT_S)
    open_s = time.perf_counter() - started
    opened = sum(s.opened.is_set() for s in streams)
    await asyncio.sleep(0.5)
    per_stream_kib = (_rss_kib(pid) - before) / max(1, opened)
    p99, errors = await _list_p99(base, seconds)
    sample = [s for s in streams if s.opened.is_set()][:VERDICT_SAMPLE]
    delays = await _verdicts(stack, sample)
    for s in streams:
        s.close()
    for task in (*tasks, *waits):
        task.cancel()
    await asyncio.gather(*tasks, *waits, return_exceptions=True)
    return {"n": len(streams), "opened": opened, "open_s": open_s, "p99": p99, "errors": errors,
            "kib": per_stream_kib, "verdict_ms": delays, "done": {s.submission_id for s in sample}}  # fmt: skip


async def _verdicts(stack: Stack, streams: list[Stream]) -> list[float]:
    """Store a verdict for each (claim, then finish, as the worker does), one at a time, and
    time it from the moment the storing call starts until the stream has it."""
    delays = []
    for stream in streams:
        claim = await asyncio.to_thread(lifecycle.claim, stack.database, stream.submission_id, "bench", "cpu")
        if claim is None:
            continue
        stored = time.perf_counter()
        await asyncio.to_thread(lifecycle.finish, stack.database, claim.submission_id, claim.attempt, VERDICT)
        deadline = time.perf_counter() + 5
        while stream.verdict_at is None and time.perf_counter() < deadline:
            await asyncio.sleep(0.001)  # the bench's own wait, not the server's
        if stream.verdict_at is not None:
            delays.append((stream.verdict_at - stored) * 1000)
    return delays


def _api(stack: Stack) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--port", str(port),
            "--log-level", "warning", "--no-access-log"]  # fmt: skip
    proc = subprocess.Popen(argv, cwd=REPO_ROOT, env=stack.env(), stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code in (200, 503):
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the API did not start")


def run_stack(name: str, levels: list[int], seconds: float) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f"dojo-bench-streams-{name}-"))
    stack = sqlite_stack(tmp) if name == "embedded" else postgres_stack(tmp)
    proc, base = _api(stack)
    try:
        # Every level opens fresh (still queued) submissions; the sampled ones get verdicts.
        needed = max(levels) + VERDICT_SAMPLE * len(levels)
        subs = _submissions(base, _accounts(stack, -(-needed // PER_ACCOUNT)))
        idle, _ = asyncio.run(_list_p99(base, seconds))
        print(f"\n{BACKENDS[name]}: idle list p99 {idle:.1f} ms")
        for n in levels:
            row = asyncio.run(_level(stack, base, proc.pid, subs[:n], seconds))
            subs = [sub for sub in subs if sub[0] not in row["done"]]
            delays = row["verdict_ms"]
            verdict = (f"verdict p50 {statistics.median(delays):.1f} ms, max {max(delays):.1f} ms"
                       if delays else "no verdict arrived")  # fmt: skip
            print(
                f"  {row['n']:4d} streams: {row['opened']} of {row['n']} open in {row['open_s']:.1f} s; "
                f"list p99 {row['p99']:.1f} ms ({row['p99'] / idle:.1f}x idle, {row['errors']} errors); "
                f"{row['kib']:.0f} KiB per stream; {verdict}"
            )
    finally:
        proc.terminate()
        proc.wait(15)
        stack.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--streams", default="20,50,100,500")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--stacks", default="embedded,redis")
    args = parser.parse_args()
    levels = sorted(int(n) for n in args.streams.split(","))
    if max(levels) > 2000:
        parser.error("at most 2000 streams")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    for name in args.stacks.split(","):
        why_not = backend_available(name)
        if why_not:
            print(f"\n{BACKENDS[name]}: skipped ({why_not})")
            continue
        run_stack(name, levels, args.seconds)


if __name__ == "__main__":
    main()
