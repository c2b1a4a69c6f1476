"""API throughput: `GET /api/questions` against a bare FastAPI endpoint, measured in one run.

Each server runs alone as a uvicorn process (one worker) on 127.0.0.1; a bounded load
generator (asyncio keep-alive connections, fixed concurrency, fixed duration, loopback only) measures
requests per second and latency percentiles. The app uses the embedded SQLite database with
the repository's question bank loaded.

    .venv/bin/python bench/bench_api.py [--seconds 8] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _stack import percentile

from app.core.settings import REPO_ROOT
from tests.server.support import free_port, make_test_bank

MAX_SECONDS, MAX_CONCURRENCY = 60.0, 64


async def _connection(host: str, port: int, path: str, deadline: float, latencies: list[float]) -> int:
    """One keep-alive connection sending requests back to back; returns the error count.

    A minimal HTTP/1.1 client on raw sockets: a full client library costs more CPU per
    request than the servers being measured, and the generator shares this machine.
    """
    reader, writer = await asyncio.open_connection(host, port)
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    errors = 0
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: *(\d+)", head, re.I).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            errors += not head.startswith(b"HTTP/1.1 200")
    finally:
        writer.close()
    return errors


async def _load(url: str, seconds: float, concurrency: int) -> tuple[int, int, list[float]]:
    parsed = httpx.URL(url)
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    errors = await asyncio.gather(
        *(_connection(parsed.host, parsed.port or 80, parsed.raw_path.decode(), deadline, latencies)
          for _ in range(concurrency))
    )  # fmt: skip
    return len(latencies), sum(errors), latencies


def _server(argv: list[str], env: dict[str, str], probe: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(argv, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(probe, timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server did not answer {probe}")


def measure(name: str, argv: list[str], env: dict[str, str], path: str, seconds: float, concurrency: int) -> None:
    port = free_port()
    argv = [*argv, "--port", str(port)]
    url = f"http://127.0.0.1:{port}{path}"
    proc = _server(argv, env, url)
    try:
        asyncio.run(_load(url, 1.0, concurrency))  # warm-up, not counted
        count, errors, latencies = asyncio.run(_load(url, seconds, concurrency))
    finally:
        proc.terminate()
        proc.wait(10)
    print(
        f"{name:<28} {count / seconds:8.0f} req/s   p50 {statistics.median(latencies) * 1000:6.1f} ms"
        f"   p99 {percentile(latencies, 99) * 1000:6.1f} ms   errors {errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    seconds, concurrency = min(args.seconds, MAX_SECONDS), min(args.concurrency, MAX_CONCURRENCY)
    data = Path(tempfile.mkdtemp(prefix="dojo-bench-api-"))
    bank = REPO_ROOT / "questions" if os.environ.get("DOJO_BENCH_FULL_BANK") else make_test_bank(data)
    env = os.environ | {
        "DOJO_DATA_DIR": str(data),
        "DOJO_BANK_DIR": str(bank),
        "DOJO_REAPER_ENABLED": "false",
        "PYTHONPATH": f"{REPO_ROOT}:{REPO_ROOT / 'bench'}",
    }
    subprocess.run([sys.executable, "-m", "app.cli", "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "app.cli", "questions", "sync"], env=env, check=True)
    uvicorn = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--log-level", "warning", "--no-access-log"]
    print(f"{seconds:.0f} s per server, {concurrency} concurrent connections, one uvicorn worker each")
    measure("bare FastAPI endpoint", [*uvicorn, "bare_app:app"], env, "/bare", seconds, concurrency)
    measure(
        "GET /api/questions",
        [*uvicorn, "--factory", "app.main:create_app"],
        env,
        "/api/questions",
        seconds,
        concurrency,
    )


if __name__ == "__main__":
    main()
