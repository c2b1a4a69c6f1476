"""Pair editing: from one side's keystroke to the other side's socket, across two API processes.

For each stack (embedded SQLite + local-socket bus; PostgreSQL + Redis) two uvicorn API
processes serve one interview; the candidate's socket is on one, the interviewer's on the other.
Each side types single characters in turn, as a browser sends them (one Yjs update per key),
and the time from sending to the other socket receiving it is measured: the server checks the
update, stores it in the log, commits, publishes it on the bus and the other process forwards
it. The browser test (tests/browser/test_pair_editing.py) measures the same on one process, key
press to screen.

    .venv/bin/python bench/bench_pairing.py [--keys 200] [--stacks embedded,redis]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from _stack import BACKENDS, backend_available, percentile
from websockets.sync.client import connect

from app.pairing import protocol
from tests.server.support import Stack, postgres_stack, sqlite_stack
from tests.server.test_pairing import NEW, Editor
from tests.server.test_two_processes import ApiProcess, _interviewer


def _key_to_other_side(typist: Editor, watcher: Editor, key: str) -> float:
    started = time.perf_counter()
    typist.type(key)
    while not isinstance(watcher.next_message(), protocol.DocUpdate):
        pass
    return (time.perf_counter() - started) * 1000


def run_stack(name: str, keys: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f"dojo-bench-pairing-{name}-"))
    stack: Stack = sqlite_stack(tmp) if name == "embedded" else postgres_stack(tmp)
    apis = [ApiProcess(stack, tmp / f"api-{i}.log") for i in range(2)]
    try:
        first, second = (api.wait_ready() for api in apis)
        headers = _interviewer(stack, first.url)
        created = httpx.post(f"{first.url}/api/interviews", json=NEW, headers=headers).json()
        bearer = {"Authorization": headers["Authorization"]}
        candidate_url = f"ws://127.0.0.1:{first.port}/api/interview/{created['candidate_token']}/doc/softmax"
        interviewer_url = f"ws://127.0.0.1:{second.port}/api/interviews/{created['id']}/doc/softmax"
        with connect(candidate_url) as cws, connect(interviewer_url, additional_headers=bearer) as iws:
            ada, boss = Editor.over(cws), Editor.over(iws)
            ada.sync(), boss.sync()
            samples = [
                _key_to_other_side(ada, boss, "a") if i % 2 == 0 else _key_to_other_side(boss, ada, "b")
                for i in range(keys)
            ]
        print(
            f"{BACKENDS[name]}, two API processes: {keys} keys, key to the other side's socket "
            f"median {statistics.median(samples):.1f} ms, p95 {percentile(samples, 95):.1f} ms, "
            f"max {max(samples):.1f} ms"
        )
    finally:
        for api in apis:
            api.stop()
        stack.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--stacks", default="embedded,redis")
    args = parser.parse_args()
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    for name in args.stacks.split(","):
        why_not = backend_available(name)
        if why_not:
            print(f"{BACKENDS[name]}: skipped ({why_not})")
            continue
        run_stack(name, args.keys)


if __name__ == "__main__":
    main()
