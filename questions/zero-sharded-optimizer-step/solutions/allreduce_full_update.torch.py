from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import lru_cache

import torch
import torch.distributed as dist


@lru_cache
def process_groups(world):
    store = dist.HashStore()
    with ThreadPoolExecutor(world) as pool:
        return list(pool.map(lambda r: dist.ProcessGroupGloo(store, r, world, timedelta(seconds=30)), range(world)))


def zero_adamw_step(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay, num_devices):
    # Plain data parallelism: all-reduce the whole gradient and update every parameter and the
    # whole optimizer state on every device. Right numbers, but nothing is sharded: each device
    # keeps the full Adam state, which is what ZeRO exists to avoid.
    groups = process_groups(num_devices)
    t = step + 1

    def rank(r):
        g = grads[r].clone()
        groups[r].allreduce([g]).wait()
        g /= num_devices
        m = beta1 * exp_avg + (1 - beta1) * g
        v = beta2 * exp_avg_sq + (1 - beta2) * g * g
        p = params * (1 - lr * weight_decay) - lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)
        return p, m, v

    with ThreadPoolExecutor(num_devices) as pool:
        return list(pool.map(rank, range(num_devices)))[0]
