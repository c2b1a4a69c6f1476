"""A worker process's grading setup: one launcher, a warm runner pool and an expected cache.

Starting a runner costs a framework import (about a second for torch); the pool keeps runners
started ahead of time. It learns which kinds of runner (framework and limits) this worker
needs from the jobs it sees, so the first job of a kind starts cold and later ones are warm.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from workers.grading.cache import ExpectedCache
from workers.grading.judge import GradeConfig
from workers.grading.pool import RunnerPool, case_runner_key
from workers.grading.runners import Hardware
from workers.grading.sandbox.base import Launcher
from workers.grading.stock import InputStock
from workers.grading.warmcache import WarmCache

log = logging.getLogger(__name__)


def hardware_for(queues: list[str]) -> Hardware:
    """Jobs from the gpu queue compute on the assigned GPU (DOJO_GPU_DEVICE); on a machine
    without one (the embedded worker serves both queues) they run on the CPU."""
    device = os.environ.get("DOJO_GPU_DEVICE", "/dev/nvidia0")
    if queues == ["gpu"] and os.path.exists(device):
        return Hardware.gpu(device)
    return Hardware()


def make_grade_config(launcher: Launcher, queues: list[str], pool_size: int,
                      data_dir: Path | None = None, refill_parallel: int = 0) -> GradeConfig:
    """With a pool, JAX runners also share a compile cache under `data_dir` (the settings'
    data directory by default) that the pool warms for the examples' shapes. `refill_parallel`:
    runners the pool starts at once (0: chosen from the node's cores, pool.refill_parallelism)."""
    hardware = hardware_for(queues)
    warm_cache = WarmCache.for_hardware(data_dir or _data_dir(), hardware.label) if pool_size > 0 else None
    runners = (RunnerPool(launcher, hardware, keys=[], size=pool_size, learn_keys=8, warm_cache=warm_cache,
                          refill_parallel=refill_parallel)
               if pool_size > 0 else None)
    stock = input_stock(runners) if runners is not None else None
    return GradeConfig(launcher=launcher, hardware=hardware, runners=runners, expected_cache=ExpectedCache(),
                       input_stock=stock, warm_cache=warm_cache)


def _data_dir() -> Path:
    from app.core.settings import get_settings

    return get_settings().data_dir


def input_stock(runners: RunnerPool) -> InputStock:
    """Speed-benchmark inputs made between grades, in case runners of their own: the pool's
    ready ones are for grades, which would otherwise find them taken and start one cold."""
    stock = InputStock(lambda question: runners.start_fresh(case_runner_key(question), "cases"), runners.timing)
    runners.on_timing_done(stock.nudge)
    return stock
