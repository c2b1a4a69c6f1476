"""Celery tasks: thin wrappers that hand an id to the database-side logic in app/.

Each pool process opens its own database engine (connections must not cross a fork) and
its own sandbox launcher, once.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from typing import TYPE_CHECKING, Any

from celery import Task
from celery.signals import worker_ready, worker_shutdown

from app.core.database import Database
from app.core.settings import get_settings

from .celery_app import CHECK_TASK, GRADE_TASK, app
from .heartbeat import Heartbeat, PoolReporter, hardware_label

if TYPE_CHECKING:
    from .grading.judge import GradeConfig

log = logging.getLogger(__name__)
_per_process: dict[str, Any] = {}
_heartbeat: list[Heartbeat] = []
CHECK_RETRIES = 3


def _process_state() -> dict[str, Any]:
    """This process's own objects; a forked pool child starts afresh instead of inheriting."""
    if _per_process.get("pid") != os.getpid():
        _per_process.clear()
        _per_process["pid"] = os.getpid()
    return _per_process


def _database() -> Database:
    state = _process_state()
    if "database" not in state:
        state["database"] = Database(get_settings())
    database: Database = state["database"]
    return database


def _launcher() -> Any:
    state = _process_state()
    if "launcher" not in state:
        state["launcher"] = make_launcher(get_settings().unsafe_no_sandbox)
    return state["launcher"]


def _grade_config(queue: str) -> Any:
    """One grading setup (warm runner pool, expected-output cache) per queue and process."""
    state, key = _process_state(), f"config:{queue}"
    if key not in state:
        from .warm import make_grade_config

        settings = get_settings()
        config = make_grade_config(_launcher(), [queue], settings.runner_pool_size,
                                   refill_parallel=settings.runner_pool_refill_parallel)
        if config.runners is not None:
            PoolReporter(_database(), partial(_pool_stats, config)).start()
        state[key] = config
    return state[key]


def _pool_stats(config: GradeConfig) -> dict[str, Any]:
    """What /api/health and /metrics show of this process's warm runners and input stock."""
    assert config.runners is not None
    stats = config.runners.stats()
    if config.input_stock is not None:
        stats["input_stock"] = config.input_stock.stats()
    return stats


def make_launcher(unsafe_no_sandbox: bool) -> Any:
    """The sandbox, or (explicitly, for development) plain child processes."""
    if unsafe_no_sandbox:
        from workers.grading.sandbox.unsandboxed import UnsandboxedLauncher

        log.warning("DOJO_UNSAFE_NO_SANDBOX is set: candidate code runs without a sandbox")
        return UnsandboxedLauncher()
    from workers.grading.sandbox import default_launcher

    return default_launcher(allow_unsandboxed=False)


def _queue_of(task: Task) -> str:
    info = task.request.delivery_info or {}
    return str(info.get("routing_key") or "cpu")


@app.task(name=GRADE_TASK, bind=True)
def grade_submission(self: Task, submission_id: str) -> str:
    from app.submissions.grading import run_grading

    queue = _queue_of(self)
    outcome = run_grading(
        _database(),
        submission_id,
        worker=str(self.request.hostname),
        hardware=hardware_label(queue),
        config=_grade_config(queue),
    )
    return outcome.value


@app.task(name=CHECK_TASK, bind=True)
def check_question(self: Task, question_version_id: int) -> str:
    from app.questions.checking import run_check

    try:
        return run_check(_database(), question_version_id, _launcher())
    except Exception as exc:
        # Only our own failure lands here (the checker crashed): retry, then report it.
        if self.request.retries < CHECK_RETRIES:
            raise self.retry(exc=exc, countdown=2) from exc
        from app.questions.checking import record_check_crash

        record_check_crash(_database(), question_version_id, repr(exc))
        return "crashed"


@worker_ready.connect
def _start_heartbeat(sender: Any = None, **_: Any) -> None:
    queues = sorted(q.name for q in sender.app.amqp.queues.consume_from.values()) if sender else []
    heartbeat = Heartbeat(Database(get_settings(), pool=False), str(sender.hostname), queues)
    heartbeat.start()
    _heartbeat.append(heartbeat)


@worker_shutdown.connect
def _stop_heartbeat(**_: Any) -> None:
    for heartbeat in _heartbeat:
        heartbeat.stop()
