"""A worker process's grading setup: one launcher, a warm runner pool and an expected cache.

Starting a runner costs a framework import (about a second for torch); the pool keeps runners
started ahead of time. It learns which kinds of runner (framework and limits) this worker
needs from the jobs it sees, so the first job of a kind starts cold and later ones are warm.
"""

from __future__ import annotations

import logging
import os

from workers.grading.cache import ExpectedCache
from workers.grading.judge import GradeConfig
from workers.grading.pool import RunnerPool
from workers.grading.runners import Hardware
from workers.grading.sandbox.base import Launcher

log = logging.getLogger(__name__)


def hardware_for(queues: list[str]) -> Hardware:
    """Jobs from the gpu queue compute on the assigned GPU (DOJO_GPU_DEVICE); on a machine
    without one (the embedded worker serves both queues) they run on the CPU."""
    device = os.environ.get("DOJO_GPU_DEVICE", "/dev/nvidia0")
    if queues == ["gpu"] and os.path.exists(device):
        return Hardware.gpu(device)
    return Hardware()


def make_grade_config(launcher: Launcher, queues: list[str], pool_size: int) -> GradeConfig:
    hardware = hardware_for(queues)
    runners = RunnerPool(launcher, hardware, keys=[], size=pool_size, learn_keys=8) if pool_size > 0 else None
    return GradeConfig(launcher=launcher, hardware=hardware, runners=runners, expected_cache=ExpectedCache())
