"""GET /api/health and the Prometheus metrics."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from .conftest import Api
from .support import Stack, WorkerProcess


def test_health_reports_database_broker_and_workers(client: TestClient, worker: WorkerProcess, stack: Stack) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["database"]["ok"] and body["broker"]["ok"]
    assert body["database"]["backend"] == ("sqlite" if stack.name == "sqlite" else "postgresql")
    assert worker.hostname in {w["hostname"] for w in body["workers"]}
    assert body["status"] == "ok"


def test_health_says_when_the_broker_is_down(stack: Stack) -> None:
    from app.main import create_app

    if stack.settings.embedded_broker:
        broken = stack.settings.model_copy(update={"broker_url": "sqla+sqlite:////nonexistent/dir/b.db"})
    else:
        broken = stack.settings.model_copy(update={"broker_url": "redis://127.0.0.1:1/0"})
    response = TestClient(create_app(broken)).get("/api/health")
    assert response.status_code == 503 and response.json()["broker"]["ok"] is False


def test_metrics(client: TestClient, candidate: Api, worker: WorkerProcess) -> None:
    code = Path("questions/softmax/solutions/stable.torch.py").read_text()
    candidate.wait_done(candidate.submit(code))
    text = client.get("/metrics").text
    assert 'dojo_verdicts_total{status="accepted"}' in text
    assert "dojo_grading_latency_seconds_bucket" in text and "dojo_grading_latency_seconds_count" in text
    assert "dojo_workers_seen" in text and "# TYPE dojo_queue_depth gauge" in text
    assert "/docs" in client.get("/openapi.json").text or client.get("/docs").status_code == 200


def test_runner_pool_state_reaches_health_and_metrics(client: TestClient, candidate: Api,
                                                      worker: WorkerProcess) -> None:
    """The worker process that graded reports its warm-runner pool (ready runners, warm/cold serves)
    and its stock of speed-benchmark inputs, which a submit grade asks it to fill."""
    code = Path("questions/softmax/solutions/stable.torch.py").read_text()
    candidate.wait_done(candidate.submit(code, mode="submit"))
    deadline = time.monotonic() + 30
    served = 0
    while time.monotonic() < deadline and served < 1:
        pools = client.get("/api/health").json()["runner_pools"]
        served = sum(p["served_warm"] + p["served_cold"] for p in pools)
        time.sleep(0.5)
    assert served >= 1, "no runner pool reported a served runner within 30 s"
    assert all(p["enabled"] is True for p in pools)
    stocks = [p["input_stock"] for p in pools]
    assert stocks and all({"inputs", "bytes", "made", "taken"} <= set(stock) for stock in stocks), stocks
    text = client.get("/metrics").text
    assert 'dojo_runner_pool_served_total{process="' in text and 'start="cold"' in text
    assert 'dojo_input_stock_bytes{process="' in text and 'dojo_input_stock_taken_total{process="' in text
