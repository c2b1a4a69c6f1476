"""Prometheus metrics computed from the database at scrape time.

Workers are separate processes (often on other machines), so in-process counters in the API
would miss their work; the rows hold the truth for every worker, so the collector reads them.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import case, func, select

from app.core.database import Database
from app.submissions.models import ACTIVE_STATES, State, Submission

from .live import LiveCollector
from .service import runner_pools, workers_seen

LATENCY_BUCKETS_S = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)


class DatabaseCollector(Collector):
    def __init__(self, database: Database) -> None:
        self.database = database

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily | HistogramMetricFamily]:
        with self.database.session() as db:
            depth = db.execute(
                select(Submission.queue, Submission.state, func.count())
                .where(Submission.state.in_(ACTIVE_STATES))
                .group_by(Submission.queue, Submission.state)
            ).all()
            verdicts = db.execute(
                select(Submission.status, func.count())
                .where(Submission.state == State.DONE.value)
                .group_by(Submission.status)
            ).all()
            latency = db.execute(self._histogram_query()).one()
            workers = len(workers_seen(db))
            pools = runner_pools(db)
        gauge = GaugeMetricFamily("dojo_queue_depth", "Submissions waiting or being graded", labels=["queue", "state"])
        for queue, state, count in depth:
            gauge.add_metric([queue, state], count)
        yield gauge
        counter = CounterMetricFamily("dojo_verdicts", "Verdicts written", labels=["status"])
        for status, count in verdicts:
            counter.add_metric([status or "unknown"], count)
        yield counter
        yield self._latency_family(latency)
        yield GaugeMetricFamily("dojo_workers_seen", "Workers with a recent heartbeat", value=workers)
        yield from self._pool_families(pools)

    @staticmethod
    def _pool_families(pools: list[dict]) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        ready = GaugeMetricFamily(
            "dojo_runner_pool_ready", "Warm runners waiting for a job", labels=["process", "kind"]
        )
        served = CounterMetricFamily("dojo_runner_pool_served", "Runners handed to jobs", labels=["process", "start"])
        died = CounterMetricFamily("dojo_runner_pool_died_waiting", "Pooled runners that died while waiting",
                                   labels=["process"])
        stocked = GaugeMetricFamily("dojo_input_stock_bytes", "Speed-benchmark inputs made ahead, held in memory",
                                    labels=["process"])
        taken = CounterMetricFamily("dojo_input_stock_taken", "Stocked inputs handed to grades", labels=["process"])
        for pool in pools:
            process = str(pool.get("process"))
            for kind, count in (pool.get("ready") or {}).items():
                ready.add_metric([process, kind], count)
            served.add_metric([process, "warm"], pool.get("served_warm", 0))
            served.add_metric([process, "cold"], pool.get("served_cold", 0))
            died.add_metric([process], pool.get("died_waiting", 0))
            stock = pool.get("input_stock")
            if isinstance(stock, dict):
                stocked.add_metric([process], stock.get("bytes", 0))
                taken.add_metric([process], stock.get("taken", 0))
        yield from (ready, served, died, stocked, taken)

    @staticmethod
    def _histogram_query():
        done = Submission.state == State.DONE.value
        latency = Submission.latency_ms
        columns = [func.sum(case((done & (latency <= bound * 1000.0), 1), else_=0)) for bound in LATENCY_BUCKETS_S]
        columns += [func.sum(case((done, 1), else_=0)), func.sum(case((done, latency), else_=0.0))]
        return select(*columns)

    @staticmethod
    def _latency_family(row: tuple) -> HistogramMetricFamily:
        counts = [int(v or 0) for v in row[: len(LATENCY_BUCKETS_S)]]
        total, total_ms = int(row[-2] or 0), float(row[-1] or 0.0)
        buckets = [(str(b), c) for b, c in zip(LATENCY_BUCKETS_S, counts, strict=True)]
        buckets.append(("+Inf", total))
        return HistogramMetricFamily(
            "dojo_grading_latency_seconds",
            "Submit-to-verdict latency of graded submissions",
            buckets=buckets,
            sum_value=total_ms / 1000.0,
        )


def metrics_registry(database: Database) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector(database))
    registry.register(LiveCollector(database.settings))
    return registry


def render(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)
