"""The Celery application: queues per hardware class, late acks, one task at a time.

Tasks carry only an id; the database row is the source of truth, so a redelivered task is
harmless (see app/submissions/lifecycle.py). `celery -A workers.celery_app worker` and
`dojo worker` both use the module-level `app`, configured from the DOJO_ settings.
"""

from __future__ import annotations

import threading
from typing import Any

import kombu.transport.sqlalchemy
from celery import Celery
from kombu import Exchange, Queue

from app.core.settings import Settings, get_settings

GRADE_TASK = "dojo.grade_submission"
CHECK_TASK = "dojo.check_question"
QUEUES = ("cpu", "gpu")
_PUBLISH_RETRY = {
    "max_retries": 2,
    "interval_start": 0.0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}

_apps: dict[str, Celery] = {}
_lock = threading.Lock()


def _transport_options(settings: Settings) -> dict[str, Any]:
    if settings.embedded_broker:
        # kombu forwards these to create_engine. polling_interval must NOT be here: kombu 5.7
        # passes it on to create_engine and crashes; it is set on the Transport class instead.
        return {"connect_args": {"timeout": 30}}
    return {
        # An unacknowledged task (its worker died) is redelivered after this long; sized to
        # the longest job. The reaper usually re-sends sooner, guarded by the row's state.
        "visibility_timeout": settings.visibility_timeout_s,
        "socket_connect_timeout": 3,
        "socket_timeout": 10,
    }


def create_celery(settings: Settings) -> Celery:
    # 0.1 s instead of the 1 s default: with 1 s the prefork pool takes one task per second.
    kombu.transport.sqlalchemy.Transport.polling_interval = settings.broker_poll_interval_s
    app = Celery("tensordojo", broker=settings.broker_url, include=["workers.tasks"])
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        # One direct exchange per queue, so a job sent to `gpu` can only land on gpu workers.
        task_queues=[Queue(name, Exchange(name, type="direct"), routing_key=name) for name in QUEUES],
        task_default_queue="cpu",
        task_default_exchange="cpu",
        task_default_routing_key="cpu",
        task_serializer="json",
        accept_content=["json"],
        broker_transport_options=_transport_options(settings),
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=3,
        worker_concurrency=settings.worker_concurrency,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_send_sent_event=False,
        enable_utc=True,
    )
    return app


def celery_for(settings: Settings) -> Celery:
    """One Celery app per broker URL in this process (the API may serve several in tests)."""
    with _lock:
        if settings.broker_url not in _apps:
            _apps[settings.broker_url] = create_celery(settings)
        return _apps[settings.broker_url]


def send_grade(settings: Settings, submission_id: str, queue: str) -> None:
    celery_for(settings).send_task(
        GRADE_TASK, args=[submission_id], queue=queue, retry=True, retry_policy=_PUBLISH_RETRY
    )


def send_check(settings: Settings, question_version_id: int, queue: str) -> None:
    celery_for(settings).send_task(
        CHECK_TASK, args=[question_version_id], queue=queue, retry=True, retry_policy=_PUBLISH_RETRY
    )


app = celery_for(get_settings())
