"""Workers announce themselves in the database so that /api/health can list them."""

from __future__ import annotations

import functools
import logging
import os
import platform
import socket
import subprocess
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete

from app.core.database import Database, utcnow
from app.submissions.models import RunnerPoolState, WorkerHeartbeat

log = logging.getLogger(__name__)
INTERVAL_S = 5.0


@functools.cache
def hardware_label(queue: str) -> str:
    """What graded a job: the GPU's name on gpu workers, the CPU model otherwise."""
    override = os.environ.get("DOJO_HARDWARE_LABEL")
    if override:
        return override
    if queue == "gpu":
        try:
            names = (
                subprocess.run(
                    ["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                    capture_output=True,
                    text=True,
                    timeout=5,
                    check=True,
                )
                .stdout.strip()
                .splitlines()
            )
            if names:
                return f"gpu: {names[0]}"
        except (OSError, subprocess.SubprocessError):
            pass
    return f"cpu: {_cpu_model()} x{os.cpu_count()}"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


class Heartbeat(threading.Thread):
    def __init__(self, database: Database, hostname: str, queues: list[str]) -> None:
        super().__init__(name="dojo-heartbeat", daemon=True)
        self.database = database
        self.hostname = hostname
        self.queues = queues
        self._stop_event = threading.Event()
        self._began = utcnow()

    def beat(self) -> None:
        label = hardware_label("gpu" if "gpu" in self.queues and "cpu" not in self.queues else "cpu")
        with self.database.session() as db:
            # Delete-then-insert is an upsert that reads the same on SQLite and PostgreSQL.
            db.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.hostname == self.hostname))
            db.add(
                WorkerHeartbeat(
                    hostname=self.hostname,
                    queues=",".join(self.queues),
                    hardware=label,
                    started_at=self._began,
                    last_seen=utcnow(),
                )
            )

    def run(self) -> None:
        while True:
            try:
                self.beat()
            except Exception:
                log.warning("heartbeat failed; the database may be restarting", exc_info=True)
            if self._stop_event.wait(INTERVAL_S):
                return

    def stop(self) -> None:
        self._stop_event.set()
        try:
            with self.database.session() as db:
                db.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.hostname == self.hostname))
        except Exception:
            log.warning("could not remove the heartbeat row", exc_info=True)


class PoolReporter(threading.Thread):
    """Writes one worker process's runner-pool state (ready runners, warm/cold serves) to the
    database, where /api/health and /metrics read it: pools live in the pool processes, which
    the API cannot ask directly."""

    def __init__(self, database: Database, stats: Callable[[], dict[str, Any]]) -> None:
        super().__init__(name="dojo-pool-reporter", daemon=True)
        self.database = database
        self.stats = stats
        self.hostname = socket.gethostname()
        self.process = f"{self.hostname}:{os.getpid()}"

    def report(self) -> None:
        with self.database.session() as db:
            db.execute(delete(RunnerPoolState).where(RunnerPoolState.process == self.process))
            db.add(RunnerPoolState(process=self.process, hostname=self.hostname, stats=self.stats(),
                                   last_seen=utcnow()))

    def run(self) -> None:
        while True:
            try:
                self.report()
            except Exception:
                log.warning("pool report failed; the database may be restarting", exc_info=True)
            threading.Event().wait(INTERVAL_S)
