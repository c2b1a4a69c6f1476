"""Pair editing: from one side's keystroke to the other side's socket, across two API processes.

For each stack (embedded SQLite + local-socket bus; PostgreSQL + Redis) two uvicorn API
processes serve one interview; the candidate's socket is on one, the interviewer's on the other.
Each side types single characters in turn, as a browser sends them (one Yjs update per key),
and the time from sending to the other socket receiving it is measured: the server checks the
update, stores it in the log, commits, publishes it on the bus and the other process forwards
it. The browser test (tests/browser/test_pair_editing.py) measures the same on one process, key
press to screen.

    .venv/bin/python bench/bench_pairing.py [--keys 200] [--stacks embedded,redis]

With --load, it measures what opening a document costs as its log grows instead: one document
is typed into through the server's own append path (`append_update`, one transaction per key,
two typists taking turns in bursts, moving the cursor, deleting and breaking lines as people do), and at
each size in --sizes the time `load_doc` takes to rebuild it (median of --repeats, each in a
fresh database session) is reported with the bytes of the log and the bytes a load reads (the
snapshot and the updates after it).

    .venv/bin/python bench/bench_pairing.py --load [--sizes 1000,10000,50000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from _stack import BACKENDS, backend_available, percentile
from pycrdt import Doc, Text
from sqlalchemy import func, insert, select
from websockets.sync.client import connect

from app.accounts.models import Role
from app.accounts.service import create_user
from app.interviews.service import create_session
from app.pairing import protocol, service
from app.pairing.models import PairUpdate
from app.pairing.snapshots import latest_snapshot, snapshot_if_due
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


class Typist:
    """Two people editing one document, one Yjs update per key: each transaction's own update,
    as a browser's editor sends it (Yjs's "update" event)."""

    def __init__(self, starter: str, seed: int = 7) -> None:
        self.random = random.Random(seed)
        self.docs: list[Doc[Any]] = [Doc(), Doc()]
        self.sent: list[bytes] = []
        for doc in self.docs:
            doc.observe(lambda event: self.sent.append(event.update))
        self.cursor = [len(starter), len(starter)]
        self.typing = 0  # who has the keyboard: each types in bursts of about 50 keys
        self.starter_update = self._edit(0, lambda text: text.insert(0, starter))

    def _edit(self, who: int, change: Callable[[Text], object]) -> bytes:
        change(self.docs[who].get(service.CODE, type=Text))
        update = self.sent.pop()
        self.docs[1 - who].apply_update(update)
        self.sent.clear()  # the other side's echo of the same change
        return update

    def text(self) -> str:
        return str(self.docs[0].get(service.CODE, type=Text))

    def key(self) -> tuple[str, bytes]:
        """The next keystroke: who typed it and its update."""
        if self.random.random() < 0.02:  # the other one takes over for a while
            self.typing = 1 - self.typing
        who = self.typing
        length = len(str(self.docs[who].get(service.CODE, type=Text)))  # ASCII: bytes = characters
        at = min(self.cursor[who], length)
        roll = self.random.random()
        if roll < 0.03 or at == 0:  # click somewhere else
            at = self.random.randrange(length + 1)
        if roll < 0.25 and at > 0:  # backspace
            update = self._edit(who, lambda text: text.__delitem__(slice(at - 1, at)))
            at -= 1
        else:
            char = "\n" if roll > 0.95 else self.random.choice("abcdefghijklmnopqrstuvwxyz_ (),.=+*0123")
            update = self._edit(who, lambda text: text.insert(at, char))
            at += 1
        self.cursor[who] = at
        return (service.CANDIDATE if who == 0 else service.INTERVIEWER), update


REAL_APPENDS = 300  # the last keys before each size go through append_update, one transaction each
FILL_BATCH = 250  # the keys before them are written in batches: 50k real appends take too long


def _fill(stack: Stack, interview_id: int, typist: Typist, first_seq: int, count: int) -> None:
    """Write `count` keys straight into the log, as appends would have numbered them (and
    snapshotted, a batch late at most)."""
    for start in range(0, count, FILL_BATCH):
        keys = [typist.key() for _ in range(min(FILL_BATCH, count - start))]
        rows = [
            {
                "interview_id": interview_id,
                "question": "softmax",
                "seq": first_seq + start + i,
                "role": role,
                "update": update,
            }
            for i, (role, update) in enumerate(keys)
        ]
        with stack.database.session() as db:
            db.execute(insert(PairUpdate), rows)
            # What the append of the batch's last key would do: snapshot once the tail is long.
            snapshot_if_due(db, interview_id, "softmax", rows[-1]["seq"])


def _append(stack: Stack, interview_id: int, typist: Typist, count: int) -> list[float]:
    """Append `count` keys through the server's path; the time each took."""
    times = []
    for _ in range(count):
        role, update = typist.key()
        started = time.perf_counter()
        with stack.database.session() as db:
            service.append_update(db, interview_id, "softmax", update, role, "bench")
        times.append((time.perf_counter() - started) * 1000)
    return times


def _load_once(stack: Stack, interview_id: int) -> float:
    with stack.database.session() as db:
        started = time.perf_counter()
        service.load_doc(db, interview_id, "softmax")
        return (time.perf_counter() - started) * 1000


def _log_bytes(stack: Stack, interview_id: int) -> int:
    with stack.database.session() as db:
        total = db.scalar(
            select(func.sum(func.length(PairUpdate.update))).where(PairUpdate.interview_id == interview_id)
        )
        return int(total or 0)


def _bytes_read(stack: Stack, interview_id: int) -> int:
    """What a load reads: the snapshot's state and the updates after it."""
    with stack.database.session() as db:
        snapshot = latest_snapshot(db, interview_id, "softmax")
        covered, snapshot_bytes = (snapshot.seq, len(snapshot.state)) if snapshot is not None else (0, 0)
        tail = select(func.sum(func.length(PairUpdate.update))).where(
            PairUpdate.interview_id == interview_id, PairUpdate.seq > covered
        )
        return snapshot_bytes + int(db.scalar(tail) or 0)


def _new_document(stack: Stack, name: str, typist: Typist) -> int:
    with stack.database.session() as db:
        user = create_user(db, f"bench-{name}@example.com", "correct horse", Role.INTERVIEWER)
        session, _ = create_session(db, user, questions=["softmax"], framework="torch", duration_min=600)
        service.append_update(db, session.id, "softmax", typist.starter_update, service.STARTER, "bench")
        return session.id


def run_load(name: str, sizes: list[int], repeats: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f"dojo-bench-pairing-load-{name}-"))
    stack: Stack = sqlite_stack(tmp) if name == "embedded" else postgres_stack(tmp)
    try:
        typist = Typist("import torch\n\n\ndef softmax(x):\n    pass\n")
        interview_id = _new_document(stack, name, typist)
        stored = 1
        for size in sizes:
            batched = max(0, size - REAL_APPENDS - stored)
            _fill(stack, interview_id, typist, stored + 1, batched)
            append_ms = _append(stack, interview_id, typist, size - stored - batched)
            stored = size
            samples = [_load_once(stack, interview_id) for _ in range(repeats)]
            with stack.database.session() as db:
                text = service.text_of(service.load_doc(db, interview_id, "softmax"))
            assert text == typist.text(), "the loaded document differs from the typed one"
            print(
                f"{BACKENDS[name]}: {size} updates ({_log_bytes(stack, interview_id)} bytes of log, "
                f"text {len(text)} bytes, a load reads {_bytes_read(stack, interview_id)} bytes): "
                f"load_doc median {statistics.median(samples):.2f} ms "
                f"(min {min(samples):.2f}, max {max(samples):.2f}, {repeats} loads); "
                f"the last {len(append_ms)} appends median {statistics.median(append_ms):.2f} ms, "
                f"max {max(append_ms):.2f} ms"
            )
    finally:
        stack.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--stacks", default="embedded,redis")
    parser.add_argument("--load", action="store_true", help="measure loading a long log instead")
    parser.add_argument("--sizes", default="1000,10000,50000", help="log lengths --load reports at")
    parser.add_argument("--repeats", type=int, default=7, help="loads per size with --load")
    args = parser.parse_args()
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    for name in args.stacks.split(","):
        why_not = backend_available(name)
        if why_not:
            print(f"{BACKENDS[name]}: skipped ({why_not})")
            continue
        if args.load:
            run_load(name, sorted(int(size) for size in args.sizes.split(",")), args.repeats)
        else:
            run_stack(name, args.keys)


if __name__ == "__main__":
    main()
